// The hand-written quoting must write what csv-stringify writes (the format the export has always had), for any text.
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_HEADER, csvRecord, runCells, type CsvRun } from './log-format';

const asStringify = (fields: string[]) => stringify([fields], { record_delimiter: 'windows', eof: true, quoted_match: /[\r\n]/ });

// Text biased towards what quoting is about: commas, quotes, CR, LF, spaces, formula starts, emoji, bidi controls.
const nasty = fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', ' ', '=', '-', "'", '\t', 'a', 'Z', '0', 'é', '😀', '\u202e', '\0') });
const text = fc.oneof(nasty, fc.string({ unit: 'grapheme' }), fc.constant(''));

describe('log CSV records', () => {
  it('quote every field as csv-stringify does (CRLF records, CR and LF quoted)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), (fields) => {
        expect(csvRecord(fields)).toBe(asStringify(fields));
      }),
      { numRuns: 2_000 },
    );
  });

  it('write a run as csv-stringify wrote it, nulls as empty cells and formulas neutralized', () => {
    const run = fc.record({
      deviceName: text,
      serial: fc.option(text),
      serialKey: fc.option(text),
      platform: fc.option(text),
      provider: text,
      checkName: text,
      result: fc.constantFrom('pass', 'fail', 'unknown'),
      expected: fc.option(text),
      received: fc.option(text),
      reason: fc.option(text),
    });
    fc.assert(
      fc.property(run, (r: CsvRun) => {
        const cell = (v: string | null) => (v === null ? '' : /^[=+\-@\t\r\0']/.test(v) ? `'${v}` : v);
        const fields = [r.deviceName, r.serial, r.serialKey, r.platform, r.provider, r.checkName].map(cell);
        expect(runCells(r)).toBe(`,${asStringify([...fields, r.result, ...[r.expected, r.received, r.reason].map(cell)])}`);
      }),
      { numRuns: 1_000 },
    );
  });

  it('start with the BOM and the header record', () => {
    expect(CSV_HEADER).toBe(`\uFEFF${asStringify([...CSV_COLUMNS])}`);
    expect(CSV_HEADER).toBe('\uFEFFtimestamp,device,serial,match_key,platform,provider,check,result,expected,received,reason\r\n');
  });
});
