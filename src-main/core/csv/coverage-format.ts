// The coverage export's CSV format: one record per device with a gap, RFC 4180 quoting by csv-stringify, a BOM so
// Excel reads UTF-8, and formula neutralization (reversible with `restoreFormula`, so a serial round-trips).
import { stringify, type Options } from 'csv-stringify/sync';
import { neutralizeFormula } from './formula';

export const COVERAGE_COLUMNS = ['device', 'serial', 'serial_status', 'platform', 'present_in', 'missing_from', 'reason', 'why', 'device_key'] as const;

const RECORD_OPTIONS: Options = {
  record_delimiter: 'windows',
  eof: true,
  // csv-stringify quotes on the record delimiter, not on a lone CR or LF; RFC 4180 readers need both quoted.
  quoted_match: /[\r\n]/,
};

export const COVERAGE_CSV_HEADER = `\uFEFF${stringify([[...COVERAGE_COLUMNS]], RECORD_OPTIONS)}`;

export type CoverageCsvRecord = Record<(typeof COVERAGE_COLUMNS)[number], string | null>;

/** Records as CSV text, each ending in CRLF. */
export function coverageRecords(records: readonly CoverageCsvRecord[]): string {
  if (records.length === 0) return '';
  return stringify(
    records.map((r) => COVERAGE_COLUMNS.map((c) => (r[c] === null ? '' : neutralizeFormula(r[c])))),
    RECORD_OPTIONS,
  );
}
