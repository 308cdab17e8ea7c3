import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { idField, readRecords, readRecordsSliced, type RecordKind } from './records';

const Host = z.looseObject({ id: z.string().min(1), serial: z.string().nullish(), score: z.number().int().optional() });
type Host = z.output<typeof Host>;
const HOST: RecordKind<Host> = { label: 'Test sent an unreadable host', idOf: idField('id'), salvage: (raw, id) => ({ id, serial: null, salvaged: raw }) };

describe('readRecordsSliced', () => {
  it('reads a page one record a step to exactly what readRecords reads, readable or not', async () => {
    const page = Array.from({ length: 700 }, (_, i) =>
      i % 97 === 5
        ? { id: `h${i}`, score: 'high' }
        : i % 131 === 7
          ? { serial: 'no id', score: 1.5 }
          : { id: `h${i}`, serial: `SN${i}`, score: i, extra: true },
    );
    const sliced = await readRecordsSliced(page, Host, HOST);
    expect(sliced).toEqual(readRecords(page, Host, HOST));
    expect(sliced.records).toHaveLength(700 - 6);
    expect(sliced.unreadable.filter((u) => u.id === null)).toHaveLength(6);
    expect(sliced.unreadable.find((u) => u.id === 'h5')?.reason).toMatch(/^Test sent an unreadable host: field score:/);

    const clean = page.filter((_, i) => i % 97 !== 5 && i % 131 !== 7);
    expect(await readRecordsSliced(clean, Host, HOST)).toEqual(readRecords(clean, Host, HOST));
  });
});
