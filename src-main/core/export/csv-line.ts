// One posture-log row as a CSV line, shared by the export (main thread) and the store worker, which writes
// CSV pages itself so rows cross the thread boundary as text instead of objects.
import type { LogRow } from '../../../src-shared/schemas/posture-log';
import { neutralizeFormula } from './formula';

/** Display names for ids; by default the provider id and the check name stored with the row. */
export type NameResolvers = {
  provider?: (providerId: string) => string;
  check?: (row: Pick<LogRow, 'providerId' | 'checkId' | 'checkName'>) => string;
};

// The bytes csv-stringify produced before (RFC 4180 with CRLF and a UTF-8 BOM so Excel reads accents and
// emoji), written directly: a field is quoted when it holds a quote, comma, CR or LF (RFC 4180 readers need
// a lone CR or LF quoted too), and quotes inside are doubled.
export const BOM = '\uFEFF';
export const CRLF = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTES, '""')}"` : value;
}

/** One CSV line (with its CRLF) for a row: the same cells as `toCsvRecord`, without the array. */
export function csvLine(row: LogRow, names: NameResolvers): string {
  return (
    new Date(row.at).toISOString() +
    ',' +
    field(neutralizeFormula(row.deviceName)) +
    ',' +
    (row.serial === null ? '' : field(neutralizeFormula(row.serial))) +
    ',' +
    (row.platform === null ? '' : field(neutralizeFormula(row.platform))) +
    ',' +
    field(neutralizeFormula(names.provider?.(row.providerId) ?? row.providerId)) +
    ',' +
    field(neutralizeFormula(names.check?.(row) ?? row.checkName)) +
    ',' +
    row.result +
    ',' +
    (row.expected === null ? '' : field(neutralizeFormula(row.expected))) +
    ',' +
    (row.received === null ? '' : field(neutralizeFormula(row.received))) +
    ',' +
    (row.reason === null ? '' : field(neutralizeFormula(row.reason))) +
    CRLF
  );
}

