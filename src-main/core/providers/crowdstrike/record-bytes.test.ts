import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecordsEnvelope } from './record-bytes';

const read = (text: string) => parseRecordsEnvelope(Buffer.from(text, 'utf8'));
/** What the plain path gives: JSON.parse of the text, or a throw. */
const plain = (text: string): unknown => JSON.parse(Buffer.from(text, 'utf8').toString('utf8'));

describe('reading a Falcon list answer record by record', () => {
  it('gives what JSON.parse gives for any envelope, however it is spaced', () => {
    const envelope = fc.record(
      { meta: fc.jsonValue(), resources: fc.array(fc.jsonValue()), errors: fc.jsonValue(), other: fc.jsonValue() },
      { requiredKeys: ['resources'] },
    );
    fc.assert(
      fc.property(envelope, fc.constantFrom(undefined, 0, 1, 2, '\t'), (value, space) => {
        const text = JSON.stringify(value, null, space);
        expect(read(text)).toEqual(plain(text));
      }),
      { numRuns: 300 },
    );
  });

  it('reads strings with escaped quotes, backslashes, brackets and multi-byte characters inside records', () => {
    const text = '{"meta":{"a":"}]"},"resources":[{"id":"x\\\\","n":"q\\"]}{["},"ü€😀",[1,{"b":[]}],null,-1.5e3,true],"errors":[]}';
    expect(read(text)).toEqual(plain(text));
    expect((read(text)!.resources as unknown[]).length).toBe(6);
  });

  it('leaves anything it cannot vouch for to JSON.parse (never a different value)', () => {
    const cases = [
      '',
      '[]',
      '{"meta":{}}',
      '{"resources":{}}',
      '{"resources":[1,2],"resources":[3]}',
      '{"resourc\\u0065s":[1]}',
      '{"resources":[1,]}',
      '{"resources":[1 2]}',
      '{"resources":[{"a":1}]} trailing',
      '{"resources":["unterminated]}',
      '\ufeff{"resources":[]}',
      '{"resources":[01]}',
    ];
    for (const text of cases) expect(read(text), text).toBeUndefined();
    // The plain path then parses (or refuses) these as before.
    expect(plain('{"resourc\\u0065s":[1]}')).toEqual({ resources: [1] });
  });

  it('never disagrees with JSON.parse on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:\\ 0123abc\n'.split('')), maxLength: 40 }), (body) => {
        const text = `{"resources":[${body}]}`;
        const got = read(text);
        if (got === undefined) return;
        expect(got).toEqual(plain(text));
      }),
      { numRuns: 2000 },
    );
  });
});
