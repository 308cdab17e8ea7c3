import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadingMember, parseRecordsEnvelope } from './record-bytes';

const read = (text: string, fields?: readonly string[]) => parseRecordsEnvelope(Buffer.from(text, 'utf8'), fields);
/** What the plain path gives: JSON.parse of the text, or a throw. */
const plain = (text: string): unknown => JSON.parse(Buffer.from(text, 'utf8').toString('utf8'));

describe('reading a list answer record by record', () => {
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

  describe('keeping only the fields a schema reads', () => {
    const FIELDS = ['aid', 'assessment', 'a'];
    /** JSON.parse, each record that is an object cut down to FIELDS (what a schema that strips unknown keys sees). */
    const cut = (text: string) => {
      const body = plain(text) as { resources: unknown[] };
      const resources = body.resources.map((r) =>
        typeof r === 'object' && r !== null && !Array.isArray(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => FIELDS.includes(k))) : r,
      );
      return { ...body, resources };
    };

    it('keeps those members as JSON.parse reads them and drops the rest', () => {
      const text =
        '{"meta":{},"resources":[{"aid":"1","assessment":{"os":5},"assessment_items":{"os_signals":[{"x":"y\\\\"}]},"a":[1,2]},' +
        '{"ai\\u0064":"2","aid":"3","junk":-0.5e-3},"plain",7],"errors":null}';
      expect(read(text, FIELDS)).toEqual(cut(text));
      expect(read(text, FIELDS)).toEqual({
        meta: {},
        resources: [{ aid: '1', assessment: { os: 5 }, a: [1, 2] }, { aid: '3' }, 'plain', 7],
        errors: null,
      });
    });

    it('reads kept members of any size, a large record then a small one (the buffer they are cut into is reused)', () => {
      const resources = [
        { aid: 'x'.repeat(5000), assessment: { os: 'é'.repeat(3000) }, b: 1 },
        { aid: 'small', b: 'dropped' },
        { a: ['y'.repeat(40_000)], assessment_items: 'z'.repeat(100) },
        { aid: '' },
      ];
      const text = JSON.stringify({ meta: {}, resources });
      expect(read(text, FIELDS)).toEqual(cut(text));
    });

    it('agrees with JSON.parse on any envelope of records', () => {
      const record = fc.dictionary(fc.constantFrom('aid', 'assessment', 'a', 'b', 'assessment_items'), fc.jsonValue(), { maxKeys: 5 });
      fc.assert(
        fc.property(fc.array(fc.oneof(record, fc.jsonValue())), fc.constantFrom(undefined, 1, '\t'), (resources, space) => {
          const text = JSON.stringify({ meta: { trace_id: 't' }, resources }, null, space);
          expect(read(text, FIELDS)).toEqual(cut(text));
        }),
        { numRuns: 300 },
      );
    });

    it('still refuses a record JSON.parse refuses, in a member it would not keep', () => {
      const bad = [
        '{"x":tru}',
        '{"x":01}',
        '{"x":1.}',
        '{"x":-}',
        '{"x":1e}',
        '{"x":"\\q"}',
        '{"x":"\\u12g4"}',
        '{"x":"a\tb"}',
        '{"x":[1,]}',
        '{"x":{"y":1,}}',
        '{"x":{"y" 1}}',
        '{"x":{1:2}}',
        '{"x":[1 2]}',
        '{"x":nul}',
        '{"x":"unterminated}',
        '{"x":1,}',
        '{"x" 1}',
      ];
      for (const record of bad) {
        const text = `{"resources":[${record}]}`;
        expect(() => plain(text), record).toThrow();
        expect(read(text, FIELDS), record).toBeUndefined();
      }
    });

    it('never accepts what JSON.parse refuses, nor reads it differently', () => {
      const junk = fc.string({ unit: fc.constantFrom(...'{}[]",:\\ 01-.eE+tuenlfasx\n'.split('')), maxLength: 30 });
      fc.assert(
        fc.property(junk, (member) => {
          const text = `{"resources":[{"aid":"1","x":${member}}]}`;
          const got = read(text, FIELDS);
          let expected: unknown;
          try {
            expected = cut(text);
          } catch {
            expect(got).toBeUndefined();
            return;
          }
          if (got !== undefined) expect(got).toEqual(expected);
        }),
        { numRuns: 5000 },
      );
    });
  });

  it("reads SentinelOne's envelope by its `data` key, and only that key", () => {
    const text =
      '{"data":[{"id":"1","computerName":"lt-1","extra":{"deep":[1,2]}},{"id":"2"}],"pagination":{"totalItems":2,"nextCursor":null},"resources":[9]}';
    const page = parseRecordsEnvelope(Buffer.from(text, 'utf8'), ['id', 'computerName'], 'data');
    // The records cut to the fields, everything else exactly as JSON.parse reads it (`resources` untouched here).
    expect(page).toEqual({ ...(plain(text) as object), data: [{ id: '1', computerName: 'lt-1' }, { id: '2' }] });
    // Without the key, a body is left to JSON.parse.
    expect(parseRecordsEnvelope(Buffer.from('{"pagination":{}}', 'utf8'), undefined, 'data')).toBeUndefined();
  });
});

describe('a leading member read from the first bytes of an answer', () => {
  const head = (text: string) => Buffer.from(text, 'utf8');
  it('reads `meta` ahead of records cut off anywhere, as JSON.parse reads it', () => {
    const body = JSON.stringify({ meta: { pagination: { total: 3, next: 'tok "en"\\é' } }, resources: [{ a: 1 }, { b: '}]' }] });
    for (let cut = body.indexOf(',"resources"'); cut <= body.length; cut++)
      expect(leadingMember(head(body.slice(0, cut)), 'meta')).toEqual(JSON.parse(body).meta);
    // A key spelled with escapes is the same key.
    expect(leadingMember(head('{"me\\u0074a" : {"x": [1]} ,"resources":['), 'meta')).toEqual({ x: [1] });
  });

  it('gives nothing it cannot vouch for: cut before its end, behind a member that runs past the bytes, absent, or not JSON', () => {
    const body = JSON.stringify({ meta: { pagination: { next: 'n' } }, resources: [] });
    for (let cut = 0; cut < body.indexOf(',"resources"'); cut++) expect(leadingMember(head(body.slice(0, cut)), 'meta')).toBeUndefined();
    expect(leadingMember(head('{"resources":[{"a":1},{"b":2'), 'meta')).toBeUndefined();
    expect(leadingMember(head('{"resources":[],"errors":[]}'), 'meta')).toBeUndefined();
    expect(leadingMember(head('{"meta":{"next":tru},"resources":[]}'), 'meta')).toBeUndefined();
    expect(leadingMember(head('[{"meta":{}}]'), 'meta')).toBeUndefined();
  });
});
