// The posture log's CSV format: its columns, csv-stringify's RFC 4180 quoting and formula neutralization
// (reversible: `restoreFormula` gives every cell back exactly, so a serial round-trips as the provider sent it).
// A record is split in two so the every-evaluation export stays cheap: a run's cells are quoted once, and
// each evaluation of that run only puts its time in front.
import { stringify, type Options } from 'csv-stringify/sync';
import { neutralizeFormula } from './formula';

export const CSV_COLUMNS = ['timestamp', 'device', 'serial', 'match_key', 'platform', 'provider', 'check', 'result', 'expected', 'received', 'reason'] as const;

const RECORD_OPTIONS: Options = {
  // RFC 4180 ends records with CRLF.
  record_delimiter: 'windows',
  eof: true,
  // csv-stringify quotes on the record delimiter, not on a lone CR or LF; RFC 4180 readers need both quoted.
  quoted_match: /[\r\n]/,
};

/** The BOM (so Excel reads UTF-8: accents, emoji) and the header record. */
export const CSV_HEADER = `\uFEFF${stringify([[...CSV_COLUMNS]], RECORD_OPTIONS)}`;

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

/** The record after its timestamp cell: `,device,…,reason` and CRLF, quoted by csv-stringify. */
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
  return `,${stringify([cells], RECORD_OPTIONS)}`;
}

/**
 * The timestamp cell: ISO 8601 in UTC. Its characters never need quoting, which is what lets it be joined
 * to `runCells` by hand; years outside 0–9999 start with a sign, so it is still neutralized.
 */
export function csvTime(at: number): string {
  return cell(new Date(at).toISOString());
}
