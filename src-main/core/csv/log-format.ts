// The posture log's CSV format: its columns, RFC 4180 quoting and formula neutralization (reversible:
// `restoreFormula` gives every cell back exactly, so a serial round-trips as the provider sent it). A record
// is split in two so the every-evaluation export stays cheap: a run's cells are quoted once, and each
// evaluation of that run only puts its time in front.
import { neutralizeFormula } from './formula';

export const CSV_COLUMNS = ['timestamp', 'device', 'serial', 'match_key', 'platform', 'provider', 'check', 'result', 'expected', 'received', 'reason'] as const;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field as RFC 4180 writes it: quoted when it holds a comma, a quote, a CR or an LF, quotes doubled. The same
 * bytes as csv-stringify with CRLF records and `quoted_match: /[\r\n]/` (log-format.test.ts holds it to that),
 * written by hand because normalizing csv-stringify's options for every record was most of an export's cost.
 */
function quote(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Fields joined into one record, CRLF at the end. */
export function csvRecord(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + quote(fields[i]!);
  return `${line}\r\n`;
}

/** The BOM (so Excel reads UTF-8: accents, emoji) and the header record. */
export const CSV_HEADER = `\uFEFF${csvRecord(CSV_COLUMNS)}`;

/** What a record says about its run: every column but the timestamp. */
export type CsvRun = {
  deviceName: string;
  /** As the provider reported it; `serialKey` is the match key. */
  serial: string | null;
  serialKey: string | null;
  platform: string | null;
  provider: string;
  checkName: string;
  result: string;
  expected: string | null;
  received: string | null;
  reason: string | null;
};

function cell(value: string | null): string {
  return value === null ? '' : neutralizeFormula(value);
}

/** The record after its timestamp cell: `,device,…,reason` and CRLF, quoted. */
export function runCells(run: CsvRun): string {
  const cells = [
    cell(run.deviceName),
    cell(run.serial),
    cell(run.serialKey),
    cell(run.platform),
    cell(run.provider),
    cell(run.checkName),
    run.result,
    cell(run.expected),
    cell(run.received),
    cell(run.reason),
  ];
  return `,${csvRecord(cells)}`;
}

/**
 * The timestamp cell: ISO 8601 in UTC. Its characters never need quoting, which is what lets it be joined
 * to `runCells` by hand; years outside 0–9999 start with a sign, so it is still neutralized.
 */
export function csvTime(at: number): string {
  return cell(new Date(at).toISOString());
}
