import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogFilter, LogQuery, type LogRow, type LogSort } from '../../../src-shared/schemas/posture-log';
import { openStoreCore, type StoreCore } from '../store/sync-store';
import { openStore } from '../store/store';
import { syntheticPolls } from '../store/synthetic-polls.testkit';
import { CSV_COLUMNS, exportCsv, type CsvProgress, type LogSource } from './csv';
import { restoreFormula } from '../csv/formula';

/** A strict RFC 4180 reader (csv-parse is not a dependency): CRLF records, "" escapes, optional BOM. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else if (ch === '\r' || ch === '\n' || ch === '"') {
      throw new Error(`Unquoted ${JSON.stringify(ch)} at ${i}`);
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('Unterminated quoted field');
  if (field !== '' || record.length) throw new Error('Last record lacks its CRLF');
  return records;
}

/** The spec, restated: OWASP's formula prefixes (and a leading quote, so restoring is exact), nulls as empty cells, UTC ISO 8601 times. */
const expectedCell = (v: string | null) => (v === null ? '' : /^[=+\-@\t\r\0']/.test(v) ? `'${v}` : v);
const expectedRecord = (r: LogRow, provider = (id: string) => id) => [
  new Date(r.at).toISOString(),
  expectedCell(r.deviceName),
  expectedCell(r.serial),
  expectedCell(r.serialKey),
  expectedCell(r.platform),
  expectedCell(provider(r.providerId)),
  expectedCell(r.checkName),
  r.result,
  expectedCell(r.expected),
  expectedCell(r.received),
  expectedCell(r.reason),
];

let dir: string;
let core: StoreCore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-export-'));
  core = openStoreCore(join(dir, 'log.db'));
  // Two providers polling out of step, with devices missing from polls: the every-evaluation walk must
  // follow each series through its runs and gaps. 150 devices so a search for "sn" is broad (> 256 series).
  const falcon = [...syntheticPolls({ devices: 150, polls: 12, changeRate: 0.2, hostile: true, seed: 5 })];
  const s1 = [
    ...syntheticPolls({
      devices: 30,
      polls: 9,
      changeRate: 0.3,
      absentRate: 0.3,
      seed: 8,
      providerId: 's1',
      start: Date.UTC(2026, 10, 1, 0, 2, 30),
      intervalMs: 7 * 60_000,
    }),
  ];
  for (const p of [...falcon, ...s1].sort((a, b) => a.evaluatedAt - b.evaluatedAt)) core.ingest(p);
});
afterAll(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

function allRows(filter: LogFilter, sort: LogSort): LogRow[] {
  const rows: LogRow[] = [];
  let cursor: string | undefined;
  do {
    const page = core.queryLog(LogQuery.parse({ ...filter, sort, limit: 5000, cursor }));
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

describe('exportCsv', () => {
  const from = Date.UTC(2026, 10, 1, 0, 12);
  const to = Date.UTC(2026, 10, 1, 0, 41);
  it.each([
    { filter: { view: 'changes' }, sort: { by: 'device', dir: 'asc' } },
    { filter: { view: 'changes', from, to, results: ['unknown', 'fail'] }, sort: { by: 'time', dir: 'desc' } },
    { filter: { view: 'latest', text: 'ünïcødé' }, sort: { by: 'result', dir: 'asc' } },
    { filter: { view: 'evaluations' }, sort: { by: 'time', dir: 'desc' } },
    { filter: { view: 'evaluations' }, sort: { by: 'time', dir: 'asc' } },
    { filter: { view: 'evaluations', results: ['fail'] }, sort: { by: 'time', dir: 'desc' } },
    { filter: { view: 'evaluations', from, to, providerIds: ['s1'] }, sort: { by: 'time', dir: 'asc' } },
    { filter: { view: 'evaluations', checkIds: ['check-1'], results: ['pass', 'unknown'] }, sort: { by: 'time', dir: 'asc' } },
    { filter: { view: 'evaluations', text: 'host-00001' }, sort: { by: 'time', dir: 'desc' } },
    { filter: { view: 'evaluations', text: 'sn', from }, sort: { by: 'time', dir: 'asc' } },
  ] as const)('writes exactly what the log lists for $filter, $sort.dir, re-parsed cell for cell', async ({ filter, sort }) => {
    const parsedFilter = LogFilter.parse(filter);
    const file = join(dir, `${filter.view}.csv`);
    const result = await exportCsv({ store: core, filter: parsedFilter, sort, sink: file, pageSize: 40 });
    const [header, ...records] = parseCsv(readFileSync(file, 'utf8'));
    const want = allRows(parsedFilter, sort);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toEqual(want.map((r) => expectedRecord(r)));
    // The serial column gives back each serial exactly as the provider reported it.
    expect(records.map((r) => (r[2] === '' ? null : restoreFormula(r[2]!)))).toEqual(want.map((r) => r.serial));
    expect(result).toEqual({ rowsWritten: want.length, total: want.length, file });
    expect(want.length).toBeGreaterThan(0);
  });

  it('neutralizes formulas and survives quotes, commas, newlines, emoji and bidi controls', async () => {
    const file = join(dir, 'hostile.csv');
    await exportCsv({ store: core, filter: LogFilter.parse({}), sink: file });
    const text = readFileSync(file, 'utf8');
    const cells = parseCsv(text).flat();
    for (const trap of ['=HYPERLINK(', '+cmd|', '-2+3', '@SUM(', '\tTAB-LEAD', '\rCR-LEAD', '=SN', '@risk, "sensor"']) {
      expect(
        cells.some((c) => c.startsWith(`'${trap}`)),
        trap,
      ).toBe(true);
      expect(
        cells.some((c) => c.startsWith(trap)),
        trap,
      ).toBe(false);
    }
    expect(cells.some((c) => c.startsWith("'-") && /^'-\d+$/.test(c))).toBe(true);
    for (const name of ['Laptop, "Finance" #', 'multi\nline\r\nname #', 'Ünïcødé 💻🔒 #', 'bidi \u202Egnp.exe\u202C \u2066iso\u2069 #'])
      expect(
        cells.some((c) => c.startsWith(name)),
        name,
      ).toBe(true);
    expect(text.startsWith('\uFEFFtimestamp,device,serial,match_key,platform,provider,check,result,expected,received,reason\r\n')).toBe(true);
    expect(text).toContain('"Laptop, ""Finance"" #6"');
  });

  it('writes providers under their display names, and an unnamed one under its id', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    const filter = LogFilter.parse({ view: 'latest' });
    await exportCsv({ store: core, filter, sink, providerNames: { falcon: '=Falcon, "EU"' } });
    const records = parseCsv(Buffer.concat(chunks).toString('utf8')).slice(1);
    const want = allRows(filter, { by: 'time', dir: 'desc' });
    expect(records.map((r) => r[5])).toEqual(want.map((r) => (r.providerId === 'falcon' ? `'=Falcon, "EU"` : r.providerId)));
    expect(new Set(records.map((r) => r[5]))).toEqual(new Set([`'=Falcon, "EU"`, 's1']));
    expect(sink.writableFinished).toBe(true);
  });

  it('reports progress after each page, ending at the total', async () => {
    const progress: CsvProgress[] = [];
    const filter = LogFilter.parse({ view: 'evaluations' });
    await exportCsv({ store: core, filter, sink: join(dir, 'progress.csv'), pageSize: 100, onProgress: (p) => progress.push(p) });
    const total = core.countLog(filter);
    expect(progress.length).toBe(Math.ceil(total / 100));
    expect(progress.every((p, i) => p.total === total && (i === 0 || p.rowsWritten > progress[i - 1]!.rowsWritten))).toBe(true);
    expect(progress.at(-1)).toEqual({ rowsWritten: total, total });
  });

  it('leaves nothing under the final name, and no partial file, when cancelled', async () => {
    const out = mkdtempSync(join(dir, 'cancel-'));
    const file = join(out, 'log.csv');
    const controller = new AbortController();
    const run = exportCsv({
      store: core,
      filter: LogFilter.parse({ view: 'evaluations' }),
      sink: file,
      pageSize: 50,
      signal: controller.signal,
      onProgress: (p) => p.rowsWritten >= 150 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  it('leaves nothing behind when the store fails mid-export, and keeps an older file intact', async () => {
    const out = mkdtempSync(join(dir, 'fail-'));
    const file = join(out, 'log.csv');
    await exportCsv({ store: core, filter: LogFilter.parse({ view: 'latest' }), sink: file });
    const previous = readFileSync(file, 'utf8');
    let chunks = 0;
    const failing: LogSource = {
      exportOpen: (request) => core.exportOpen(request),
      exportNext: (exportId, maxRows) => {
        if (++chunks === 3) throw new Error('disk on fire');
        return core.exportNext(exportId, maxRows);
      },
      exportClose: (exportId) => core.exportClose(exportId),
    };
    await expect(exportCsv({ store: failing, filter: LogFilter.parse({}), sink: file, pageSize: 20 })).rejects.toThrow('disk on fire');
    expect(readdirSync(out)).toEqual(['log.csv']);
    expect(readFileSync(file, 'utf8')).toBe(previous);
  });

  it('exports from the worker-backed store', async () => {
    const file = join(dir, 'worker.db');
    const store = await openStore({ file });
    try {
      for (const p of syntheticPolls({ devices: 5, polls: 3, hostile: true })) await store.ingest(p);
      const chunks: string[] = [];
      const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk.toString()), done()) });
      const result = await exportCsv({ store, filter: LogFilter.parse({ view: 'evaluations' }), sink, pageSize: 4 });
      expect(result).toMatchObject({ rowsWritten: 30, total: 30, file: null });
      expect(parseCsv(chunks.join(''))).toHaveLength(31);
    } finally {
      await store.close();
    }
  });
});
