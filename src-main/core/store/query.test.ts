import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../../src-shared/errors';
import { LogQuery, PostureResult, type LogRow, type PollEvaluations } from '../../../src-shared/schemas/posture-log';
import { openConnection } from './connection';
import { openStoreCore, type StoreCore } from './sync-store';
import { runsPageSql } from './query';
import { syntheticPolls } from './synthetic-polls.testkit';

/**
 * The oracle: the log recomputed in plain JavaScript from the polls, by the rule the store promises
 * (a run spans consecutive polls of its provider with the same result and expected value, and carries the latest
 * received value and reason).
 */
function reference(polls: PollEvaluations[]) {
  type Run = LogRow & { seriesKey: string; lastPoll: number; latest: boolean };
  const runs: Run[] = [];
  const evaluations: { at: number; pollSeq: number; run: Run }[] = [];
  const open = new Map<string, Run>();
  const lastPollOf = new Map<string, number>();
  const devices = new Map<string, { name: string; serialKey: string | null; platform: string | null }>();
  const serials = new Map<string, string | null>();
  polls.forEach((poll, pollSeq) => {
    const previous = lastPollOf.get(poll.providerId);
    for (const row of poll.rows) {
      devices.set(row.deviceKey, { name: row.deviceName, serialKey: row.serialKey, platform: row.platform });
      const seriesKey = `${poll.providerId}|${row.checkId}|${row.deviceKey}`;
      serials.set(seriesKey, row.serial);
      let run = open.get(seriesKey);
      const same = run && run.lastPoll === previous && run.result === row.result && run.expected === row.expected;
      if (run && same) {
        // The run carries the latest received value and reason.
        run.received = row.received;
        run.reason = row.reason;
        run.lastEvaluatedAt = poll.evaluatedAt;
        run.count++;
        run.lastPoll = pollSeq;
      } else {
        if (run) run.latest = false;
        run = {
          ...row,
          id: String(runs.length + 1),
          at: poll.evaluatedAt,
          firstEvaluatedAt: poll.evaluatedAt,
          lastEvaluatedAt: poll.evaluatedAt,
          count: 1,
          providerId: poll.providerId,
          seriesKey,
          lastPoll: pollSeq,
          latest: true,
        };
        runs.push(run);
        open.set(seriesKey, run);
      }
      evaluations.push({ at: poll.evaluatedAt, pollSeq, run });
    }
    lastPollOf.set(poll.providerId, pollSeq);
  });
  // Rows show a device's latest name, match key and platform, and the serial its provider last reported.
  for (const run of runs) {
    const d = devices.get(run.deviceKey)!;
    Object.assign(run, { deviceName: d.name, serialKey: d.serialKey, platform: d.platform, serial: serials.get(run.seriesKey) });
  }
  return { runs, evaluations };
}

/** The identity and content of a row, without its id (evaluation ids embed internal poll ids). */
const content = (r: LogRow) => [r.at, r.providerId, r.checkId, r.deviceKey, r.result, r.expected, r.received, r.reason, r.firstEvaluatedAt, r.count].join('|');

const T0 = Date.UTC(2026, 10, 1);
const MIN5 = 5 * 60_000;

let dir: string;
let core: StoreCore;
let polls: PollEvaluations[];
let oracle: ReturnType<typeof reference>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-query-'));
  core = openStoreCore(join(dir, 'log.db'));
  const falcon = [...syntheticPolls({ devices: 60, polls: 30, seed: 7, providerId: 'falcon', changeRate: 0.15, absentRate: 0.05, hostile: true, start: T0 })];
  const s1 = [...syntheticPolls({ devices: 40, checks: 1, polls: 30, seed: 9, providerId: 's1', changeRate: 0.1, absentRate: 0.05, start: T0 + 60_000 })];
  polls = falcon.flatMap((p, i) => [p, s1[i]!]);
  for (const p of polls) core.ingest(p);
  oracle = reference(polls);
});
afterAll(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

const query = (q: Partial<LogQuery>) => LogQuery.parse({ limit: 5000, ...q });

function pageAll(q: Partial<LogQuery>, limit: number): LogRow[] {
  const rows: LogRow[] = [];
  let cursor: string | undefined;
  do {
    const page = core.queryLog(query({ ...q, limit, cursor }));
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** SQLite's NOCASE: ASCII letters fold, everything else compares by UTF-8 bytes. */
const nocase = (s: string) => Buffer.from(s.replace(/[A-Z]/g, (c) => c.toLowerCase()));

function isSorted(rows: LogRow[], by: 'time' | 'device' | 'result', dir: 'asc' | 'desc'): boolean {
  const sign = dir === 'asc' ? 1 : -1;
  const key = (r: LogRow): (number | Buffer)[] =>
    by === 'time' ? [r.at] : by === 'result' ? [PostureResult.options.indexOf(r.result), r.at] : [nocase(r.deviceName), Number(r.deviceKey.split('-').pop())];
  const compare = (a: (number | Buffer)[], b: (number | Buffer)[]) => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      const c = typeof x === 'number' ? x - (y as number) : Buffer.compare(x, y as Buffer);
      if (c !== 0) return c;
    }
    return 0;
  };
  return rows.every((r, i) => i === 0 || sign * compare(key(rows[i - 1]!), key(r)) <= 0 || by === 'device');
}

describe('the four questions the log answers', () => {
  it('the result of a device/check at a time T is the run in force then', () => {
    const run = oracle.runs.find((r) => r.count >= 3 && !r.latest)!;
    const ask = (at: number) => core.resultAt({ providerId: run.providerId, checkId: run.checkId, deviceKey: run.deviceKey, at });
    expect(ask(run.firstEvaluatedAt)).toMatchObject({ id: run.id, result: run.result, count: run.count });
    expect(ask(run.lastEvaluatedAt + 1)).toMatchObject({ id: run.id });
    expect(ask(run.firstEvaluatedAt - 1)?.id).not.toBe(run.id);
    expect(core.resultAt({ providerId: run.providerId, checkId: run.checkId, deviceKey: run.deviceKey, at: T0 - 1 })).toBeNull();
    expect(core.resultAt({ providerId: 'nope', checkId: run.checkId, deviceKey: run.deviceKey, at: T0 })).toBeNull();
  });

  it('all changes in a window are the runs that started in it', () => {
    const from = T0 + 10 * MIN5;
    const to = T0 + 20 * MIN5;
    const got = pageAll({ view: 'changes', from, to, sort: { by: 'time', dir: 'asc' } }, 50);
    const want = oracle.runs.filter((r) => r.firstEvaluatedAt >= from && r.firstEvaluatedAt <= to);
    expect(got.map((r) => r.id)).toEqual(want.map((r) => r.id));
    expect(got.map(content)).toEqual(want.map(content));
    expect(core.countLog(query({ view: 'changes', from, to }))).toBe(want.length);
  });

  it('the latest state per device is the newest run of each device/check', () => {
    const got = pageAll({ view: 'latest', sort: { by: 'device', dir: 'asc' } }, 13);
    const want = oracle.runs.filter((r) => r.latest);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set(want.map((r) => r.id)));
    expect(got).toHaveLength(want.length);
    expect(core.countLog(query({ view: 'latest' }))).toBe(want.length);
  });

  it('every evaluation in a window expands runs to each poll they span', () => {
    const from = T0 + 5 * MIN5;
    const to = T0 + 9 * MIN5 + 60_000;
    const got = pageAll({ view: 'evaluations', from, to, sort: { by: 'time', dir: 'asc' } }, 37);
    const want = oracle.evaluations.filter((e) => e.at >= from && e.at <= to);
    expect(got.map((r) => `${r.at}|${r.providerId}|${r.checkId}|${r.deviceKey}|${r.result}|${r.received}`).sort()).toEqual(
      want.map(({ at, run: r }) => `${at}|${r.providerId}|${r.checkId}|${r.deviceKey}|${r.result}|${r.received}`).sort(),
    );
    expect(got.every((r, i) => i === 0 || got[i - 1]!.at <= r.at)).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    expect(core.countLog(query({ view: 'evaluations', from, to }))).toBe(want.length);
    expect(core.countLog(query({ view: 'evaluations' }))).toBe(oracle.evaluations.length);
  });
});

describe('keyset paging', () => {
  const cases = [
    ...(['changes', 'latest'] as const).flatMap((view) =>
      (['time', 'device', 'result'] as const).flatMap((by) => (['asc', 'desc'] as const).map((dir) => ({ view, by, dir }))),
    ),
    { view: 'evaluations' as const, by: 'time' as const, dir: 'asc' as const },
    { view: 'evaluations' as const, by: 'time' as const, dir: 'desc' as const },
  ];

  it.each(cases)('$view by $by $dir: small pages add up to the whole list, in order, once each', ({ view, by, dir }) => {
    const whole = core.queryLog(query({ view, sort: { by, dir } }));
    expect(whole.nextCursor).toBeNull();
    const paged = pageAll({ view, sort: { by, dir } }, 9);
    expect(paged.map((r) => r.id)).toEqual(whole.rows.map((r) => r.id));
    expect(new Set(paged.map((r) => r.id)).size).toBe(paged.length);
    expect(isSorted(paged, by, dir)).toBe(true);
    const expected = view === 'evaluations' ? oracle.evaluations.length : oracle.runs.filter((r) => view === 'changes' || r.latest).length;
    expect(paged).toHaveLength(expected);
  });

  it('sorts by device name case-insensitively, then by device, check and time', () => {
    const rows = pageAll({ view: 'changes', sort: { by: 'device', dir: 'asc' } }, 11);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      const byName = Buffer.compare(nocase(a.deviceName), nocase(b.deviceName));
      expect(byName).toBeLessThanOrEqual(0);
      if (a.deviceKey === b.deviceKey && a.checkId === b.checkId) expect(a.at).toBeLessThanOrEqual(b.at);
    }
  });

  it('stays exact under concurrent ingest: every row that existed is listed once, none is skipped', () => {
    const extra = [...syntheticPolls({ devices: 60, polls: 8, seed: 7, providerId: 'falcon', changeRate: 0.3, hostile: true, start: T0 + 40 * MIN5 })].map(
      (p, i) => ({ ...p, pollId: `late-${i}` }),
    );
    // Later tests compare against the oracle, so it learns these polls too.
    polls.push(...extra);
    oracle = reference(polls);
    for (const sort of [
      { by: 'time', dir: 'asc' },
      { by: 'device', dir: 'asc' },
      { by: 'result', dir: 'desc' },
    ] as const) {
      const before = core.queryLog(query({ view: 'changes', sort })).rows.map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = core.queryLog(query({ view: 'changes', sort, limit: 40, cursor }));
        seen.push(...page.rows.map((r) => r.id));
        const next = extra.shift();
        if (next) core.ingest(next);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      const listed = new Set(seen);
      expect(before.filter((id) => !listed.has(id))).toEqual([]);
      expect(seen.filter((id) => before.includes(id))).toEqual(before);
    }
  });

  it('refuses a cursor it did not hand out, or one from another sort or filter', () => {
    const first = core.queryLog(query({ view: 'changes', limit: 5 }));
    expect(() => core.queryLog(query({ view: 'changes', cursor: 'not-a-cursor' }))).toThrow(ContractError);
    try {
      core.queryLog(query({ view: 'changes', sort: { by: 'device', dir: 'asc' }, cursor: first.nextCursor! }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'cursor' }] });
    }
    expect(() => core.queryLog(query({ view: 'changes', text: 'host', cursor: first.nextCursor! }))).toThrow(/different view, sort or filter/);
  });

  it('walks an index for every sort without sorting the whole table', () => {
    const conn = openConnection(join(dir, 'log.db'));
    try {
      for (const view of ['changes', 'latest'] as const)
        for (const by of ['time', 'device', 'result'] as const)
          for (const dir of ['asc', 'desc'] as const) {
            const sql = runsPageSql({ view, sort: { by, dir } }, false, view === 'latest' ? ['r.latest = 1', 'r.first_at >= ?'] : ['r.first_at >= ?']);
            const plan = conn.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 10) as { detail: string }[];
            expect(plan.map((p) => p.detail).join('\n'), `${view} ${by} ${dir}`).not.toMatch(/TEMP B-TREE|SCAN r$/m);
          }
    } finally {
      conn.db.close();
    }
  });
});

describe('filters', () => {
  const all = () => oracle.runs;
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
  const check = (filter: Partial<LogQuery>, want: LogRow[]) => {
    const got = pageAll({ view: 'changes', ...filter }, 25);
    expect(ids(got)).toEqual(ids(want));
    expect(core.countLog(query({ view: 'changes', ...filter }))).toBe(want.length);
  };

  it('by provider', () =>
    check(
      { providerIds: ['s1'] },
      all().filter((r) => r.providerId === 's1'),
    ));
  it('by check', () =>
    check(
      { checkIds: ['check-1'] },
      all().filter((r) => r.checkId === 'check-1'),
    ));
  it('by check within a provider', () =>
    check(
      { checkIds: ['check-0'], providerIds: ['s1'] },
      all().filter((r) => r.checkId === 'check-0' && r.providerId === 's1'),
    ));
  it('by result', () =>
    check(
      { results: ['fail', 'unknown'] },
      all().filter((r) => r.result !== 'pass'),
    ));
  it('by one result, sorted by time', () =>
    check(
      { results: ['unknown'], sort: { by: 'time', dir: 'desc' } },
      all().filter((r) => r.result === 'unknown'),
    ));
  it('by time range', () =>
    check(
      { from: T0 + 3 * MIN5, to: T0 + 4 * MIN5 },
      all().filter((r) => r.at >= T0 + 3 * MIN5 && r.at <= T0 + 4 * MIN5),
    ));
  it('by ISO time range', () =>
    check(
      { from: new Date(T0 + 3 * MIN5).toISOString() as unknown as number },
      all().filter((r) => r.at >= T0 + 3 * MIN5),
    ));
  it('by device name, case-insensitively, including non-ASCII', () => {
    check(
      { text: 'ÜNÏCØDÉ' },
      all().filter((r) => r.deviceName.toLowerCase().includes('ünïcødé')),
    );
    expect(all().some((r) => r.deviceName.includes('Ünïcødé'))).toBe(true);
  });
  it('by match key', () =>
    check(
      { text: 'sn00000012' },
      all().filter((r) => r.serialKey?.toLowerCase().includes('sn00000012')),
    ));
  it('by text matching many devices (scan instead of seek)', () =>
    check(
      { text: 'host-', sort: { by: 'result', dir: 'asc' } },
      all().filter((r) => r.deviceName.includes('host-')),
    ));
  it('all together, in every view', () => {
    const filter = { providerIds: ['falcon'], results: ['fail' as const], text: 'host-0000', from: T0 + 2 * MIN5 };
    check(
      filter,
      all().filter((r) => r.providerId === 'falcon' && r.result === 'fail' && r.deviceName.includes('host-0000') && r.at >= filter.from),
    );
    const evaluations = pageAll({ view: 'evaluations', ...filter, sort: { by: 'time', dir: 'desc' } }, 17);
    const want = oracle.evaluations.filter(
      ({ at, run: r }) => at >= filter.from && r.providerId === 'falcon' && r.result === 'fail' && r.deviceName.includes('host-0000'),
    );
    expect(evaluations.map((r) => `${r.at}|${r.deviceKey}|${r.checkId}`).sort()).toEqual(
      want.map(({ at, run: r }) => `${at}|${r.deviceKey}|${r.checkId}`).sort(),
    );
    expect(core.countLog(query({ view: 'evaluations', ...filter }))).toBe(want.length);
  });
  it('with an unknown provider lists nothing', () => check({ providerIds: ['nobody'] }, []));
});

describe('a filter that matches nothing stored yet', () => {
  // A provider or check added since the last poll has no rows: every view, sort, count and export answers empty.
  const empties: Partial<LogQuery>[] = [
    { providerIds: ['added-later'] },
    { checkIds: ['added-later'] },
    { providerIds: ['s1'], checkIds: ['check-1'] },
    { providerIds: [] },
    { results: [] },
    { text: 'no device has this text' },
  ];
  const views = [
    ...(['time', 'device', 'result'] as const).flatMap((by) =>
      (['changes', 'latest'] as const).flatMap((view) => (['asc', 'desc'] as const).map((dir) => ({ view, sort: { by, dir } }))),
    ),
    { view: 'evaluations' as const, sort: { by: 'time' as const, dir: 'desc' as const } },
  ];

  it.each(empties)('%j is an empty page, a count of 0 and a CSV of the header only, in every view and sort', (filter) => {
    for (const v of views) {
      expect(core.queryLog(query({ ...filter, ...v })), `${v.view} by ${v.sort.by} ${v.sort.dir}`).toEqual({ rows: [], nextCursor: null });
      expect(core.countLog(query({ ...filter, ...v }))).toBe(0);
      const { exportId, total } = core.exportOpen({ filter: query({ ...filter, ...v }), sort: v.sort });
      const chunk = core.exportNext(exportId, 100);
      expect({ total, rows: chunk.rows, done: chunk.done }).toEqual({ total: 0, rows: 0, done: true });
      expect(Buffer.from(chunk.bytes).toString('utf8').split('\r\n')).toEqual([expect.stringContaining('timestamp,device,'), '']);
    }
  });
});

describe('LogQuery', () => {
  it('gives field-level messages', () => {
    const bad = LogQuery.safeParse({ from: 10, to: 5, limit: 0, view: 'evaluations', sort: { by: 'device', dir: 'up' } });
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining(['limit: Page size must be at least 1.', 'sort.dir: Sort direction is asc or desc.']));
    const order = LogQuery.safeParse({ from: 10, to: 5, view: 'evaluations', sort: { by: 'device', dir: 'asc' } });
    expect(order.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'to: The end of the time range is before its start.',
      'sort.by: Every-evaluation view can only be sorted by time.',
    ]);
  });
});
