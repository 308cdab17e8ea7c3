import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../src-shared/errors';
import { LogQuery, type PollEvaluations, type PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import { openStoreCore, type StoreCore } from './sync-store';
import { packPoll, PIECE_ROWS } from './packed-poll';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
let core: StoreCore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-ingest-'));
  core = openStoreCore(join(dir, 'log.db'));
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 25, 12);
const MIN5 = 5 * 60_000;

function evaluation(
  deviceKey: string,
  result: PostureEvaluation['result'],
  received: string | null,
  extra: Partial<PostureEvaluation> = {},
): PostureEvaluation {
  return {
    deviceKey,
    deviceName: `name-${deviceKey}`,
    serial: `SN-${deviceKey}`,
    serialKey: `SN${deviceKey.toUpperCase()}`,
    platform: 'windows',
    checkId: 'zta-overall',
    checkName: 'ZTA overall ≥ 60',
    result,
    expected: '>= 60',
    received,
    reason: null,
    ...extra,
  };
}

function poll(n: number, rows: PostureEvaluation[], providerId = 'falcon'): PollEvaluations {
  return { pollId: `${providerId}-${n}`, providerId, evaluatedAt: T0 + n * MIN5, rows };
}

const changes = (extra: Partial<LogQuery> = {}) =>
  core.queryLog(LogQuery.parse({ view: 'changes', sort: { by: 'time', dir: 'asc' }, limit: 1000, ...extra })).rows;

// Both entry points: rows (in-thread callers) and packed (what the worker receives), which has a fast path.
describe.each(['rows', 'packed'] as const)('ingest (%s)', (mode) => {
  const ingest = (p: PollEvaluations) => (mode === 'rows' ? core.ingest(p) : core.ingestPacked(packPoll(p)));

  it('returns only the newest opened rows when asked to keep a few, and counts them all', () => {
    const rows = Array.from({ length: 25 }, (_, i) => evaluation(`d${String(i).padStart(2, '0')}`, 'pass', '80'));
    const p = poll(0, rows);
    const result = mode === 'rows' ? core.ingest(p, { keepOpened: 3 }) : core.ingestPacked(packPoll(p), { keepOpened: 3 });
    expect(result.openedCount).toBe(25);
    expect(result.extended).toBe(0);
    expect(result.opened.map((r) => r.deviceKey)).toEqual(['d22', 'd23', 'd24']);
    // Everything was written all the same.
    expect(changes()).toHaveLength(25);
  });

  it('changes nothing on a device renamed by one check: the other check of the same device still extends its run', () => {
    const both = (n: number, name: string) =>
      poll(n, [
        evaluation('a', 'pass', '80', { deviceName: name }),
        evaluation('a', 'fail', 'offline', { deviceName: name, checkId: 'online', checkName: 'Online' }),
      ]);
    ingest(both(0, 'old-name'));
    const renamed = ingest(both(1, 'new-name'));
    expect(renamed.openedCount).toBe(0);
    expect(renamed.extended).toBe(2);
    const again = ingest(both(2, 'new-name'));
    expect(again.extended).toBe(2);
    expect(changes().map((r) => r.deviceName)).toEqual(['new-name', 'new-name']);
  });

  it('extends the open run while result and received stay the same, and opens a new run on a change', () => {
    expect(ingest(poll(0, [evaluation('a', 'pass', '80'), evaluation('b', 'fail', '40')])).opened).toHaveLength(2);
    const second = ingest(poll(1, [evaluation('a', 'pass', '80'), evaluation('b', 'fail', '40')]));
    expect(second).toMatchObject({ extended: 2, opened: [] });
    const third = ingest(poll(2, [evaluation('a', 'pass', '80'), evaluation('b', 'pass', '75')]));
    expect(third.extended).toBe(1);
    expect(third.opened).toMatchObject([{ deviceKey: 'b', result: 'pass', received: '75', count: 1, at: T0 + 2 * MIN5 }]);

    expect(changes().map((r) => [r.deviceKey, r.result, r.count, r.firstEvaluatedAt, r.lastEvaluatedAt])).toEqual([
      ['a', 'pass', 3, T0, T0 + 2 * MIN5],
      ['b', 'fail', 2, T0, T0 + MIN5],
      ['b', 'pass', 1, T0 + 2 * MIN5, T0 + 2 * MIN5],
    ]);
    expect(core.stats()).toMatchObject({ runs: 3, evaluations: 6, polls: 3, series: 2, devices: 2 });
  });

  it('adds no change row when only the received value moves, and shows the newest received value', () => {
    // A last-seen check whose band moves while it keeps passing: a change is a change of result.
    const seen = (band: string, reason = `Meets last seen within 1h; seen ${band} ago.`) =>
      evaluation('a', 'pass', `last seen ${band}`, { expected: 'last seen within 1h', reason });
    ingest(poll(0, [seen('<15m')]));
    const next = ingest(poll(1, [seen('<30m')]));
    expect(next).toMatchObject({ extended: 1, opened: [] });
    const third = ingest(poll(2, [seen('<30m'), evaluation('b', 'fail', '10')]));
    expect(third).toMatchObject({ extended: 1, opened: [{ deviceKey: 'b' }] });

    const row = {
      deviceKey: 'a',
      result: 'pass',
      received: 'last seen <30m',
      reason: 'Meets last seen within 1h; seen <30m ago.',
      count: 3,
      firstEvaluatedAt: T0,
      lastEvaluatedAt: T0 + 2 * MIN5,
    };
    expect(changes({ text: 'name-a' })).toMatchObject([row]);
    expect(changes({ view: 'latest', text: 'name-a' })).toMatchObject([row]);
    // The log drawer's question: the state of this device/check now.
    expect(core.resultAt({ providerId: 'falcon', checkId: 'zta-overall', deviceKey: 'a', at: T0 + 3 * MIN5 })).toMatchObject(row);
    expect(core.stats()).toMatchObject({ runs: 2, evaluations: 4 });

    // A change of result still opens a row, with the value received then.
    const fails = ingest(poll(3, [evaluation('a', 'fail', 'last seen 2h', { expected: 'last seen within 1h' })]));
    expect(fails.opened).toMatchObject([{ deviceKey: 'a', result: 'fail', received: 'last seen 2h' }]);
  });

  it('starts a new run when a device returns after missing a poll, even with the same result', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80'), evaluation('b', 'pass', '90')]));
    ingest(poll(1, [evaluation('b', 'pass', '90')]));
    const back = ingest(poll(2, [evaluation('a', 'pass', '80'), evaluation('b', 'pass', '90')]));
    expect(back.opened.map((r) => r.deviceKey)).toEqual(['a']);
    expect(changes({ text: 'name-a' }).map((r) => [r.count, r.firstEvaluatedAt])).toEqual([
      [1, T0],
      [1, T0 + 2 * MIN5],
    ]);
  });

  it('writes nothing for a poll id already committed', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80')]));
    const again = ingest(poll(0, [evaluation('a', 'fail', '10')]));
    expect(again).toMatchObject({ duplicate: true, extended: 0, opened: [] });
    expect(core.stats()).toMatchObject({ runs: 1, polls: 1, evaluations: 1 });
  });

  it('refuses a poll evaluated before the provider’s last one, and writes none of it', () => {
    ingest(poll(5, [evaluation('a', 'pass', '80')]));
    const late = () => ingest(poll(4, [evaluation('a', 'fail', '10'), evaluation('new', 'pass', '99')]));
    expect(late).toThrow(ContractError);
    expect(late).toThrow(/not after the provider's last committed poll/);
    expect(core.stats()).toMatchObject({ runs: 1, polls: 1, devices: 1 });
  });

  it('refuses a poll that evaluates one device/check twice, writing none of it', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80')]));
    let error: unknown;
    try {
      ingest(poll(1, [evaluation('z', 'pass', '1'), evaluation('a', 'fail', '10'), evaluation('a', 'pass', '80')]));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'store.duplicate_evaluation' });
    expect(core.stats()).toMatchObject({ runs: 1, polls: 1, devices: 1, evaluations: 1 });
    // The failed poll left no stale cache behind: the same poll id and device z now write normally.
    expect(ingest(poll(1, [evaluation('z', 'pass', '1'), evaluation('a', 'pass', '80')])).opened).toHaveLength(1);
    expect(core.stats()).toMatchObject({ runs: 2, polls: 2, devices: 2, evaluations: 3 });
  });

  it('keeps a renamed device’s run and shows its latest name and serial', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80')]));
    const renamed = ingest(poll(1, [evaluation('a', 'pass', '80', { deviceName: 'LAPTOP-NEW', serial: 'SN-2' })]));
    expect(renamed.extended).toBe(1);
    expect(changes()).toMatchObject([{ deviceName: 'LAPTOP-NEW', serial: 'SN-2', count: 2 }]);
    expect(changes({ text: 'laptop-new' })).toHaveLength(1);
    expect(changes({ text: 'name-a' })).toHaveLength(0);
  });

  it('keeps the serial as reported per provider and notices a match key that changes while the serial stays', () => {
    const row = (serialKey: string | null, serial = 'SN1') => evaluation('a', 'pass', '80', { serial, serialKey });
    ingest(poll(0, [row('SN1')]));
    expect(ingest(poll(1, [row('SN1')])).extended).toBe(1);
    ingest(poll(2, [row(null)]));
    expect(changes()).toMatchObject([{ serial: 'SN1', serialKey: null, count: 3 }]);
    ingest(poll(3, [row('SN1')]));
    ingest(poll(4, [row('SN1', 'sn-1')]));
    expect(changes()).toMatchObject([{ serial: 'sn-1', serialKey: 'SN1', count: 5 }]);
    // Another provider reports the same machine's serial its own way; each row keeps its own.
    ingest(poll(0, [row('SN1', ' SN 1 ')], 's1'));
    expect(changes().map((r) => [r.providerId, r.serial, r.serialKey])).toEqual([
      ['falcon', 'sn-1', 'SN1'],
      ['s1', ' SN 1 ', 'SN1'],
    ]);
  });

  it('keeps the same device key separate per provider and check', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80'), evaluation('a', 'fail', 'true', { checkId: 'infected', checkName: 'Infected' })], 's1'));
    ingest(poll(0, [evaluation('a', 'pass', '80')], 'falcon'));
    expect(
      changes()
        .map((r) => `${r.providerId}/${r.checkId}`)
        .sort(),
    ).toEqual(['falcon/zta-overall', 's1/infected', 's1/zta-overall']);
    expect(changes({ providerIds: ['s1'] })).toHaveLength(2);
  });

  it('refuses an unknown result value without writing', () => {
    const bad = { ...evaluation('a', 'pass', '80'), result: 'maybe' } as unknown as PostureEvaluation;
    expect(() => ingest(poll(0, [bad]))).toThrow(/Unknown posture result 'maybe'/);
    expect(core.stats()).toMatchObject({ runs: 0, polls: 0 });
  });

  it('continues open runs after the file is reopened, and still sees renames and changes', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80'), evaluation('b', 'fail', '40'), evaluation('c', 'pass', '90')]));
    core.close();
    core = openStoreCore(join(dir, 'log.db'));
    const next = ingest(
      poll(1, [
        evaluation('a', 'pass', '80'),
        evaluation('b', 'fail', '41'),
        evaluation('c', 'pass', '90', { deviceName: 'renamed', checkName: 'ZTA overall ≥ 61' }),
      ]),
    );
    expect(next).toMatchObject({ extended: 3, opened: [] });
    expect(changes().map((r) => [r.deviceKey, r.deviceName, r.checkName, r.received, r.count])).toEqual([
      ['a', 'name-a', 'ZTA overall ≥ 61', '80', 2],
      ['b', 'name-b', 'ZTA overall ≥ 61', '41', 2],
      ['c', 'renamed', 'ZTA overall ≥ 61', '90', 2],
    ]);
    expect(ingest(poll(2, [evaluation('a', 'pass', '80'), evaluation('b', 'pass', '70')])).opened).toMatchObject([{ deviceKey: 'b', result: 'pass' }]);
    expect(() => ingest(poll(3, [evaluation('a', 'pass', '80'), evaluation('a', 'pass', '80')]))).toThrow(/twice/);
    expect(ingest(poll(3, [evaluation('a', 'pass', '80')])).extended).toBe(1);
  });

  it('shows one device under every provider that evaluates it with its latest name', () => {
    ingest(poll(0, [evaluation('a', 'pass', '80')], 'falcon'));
    ingest(poll(0, [evaluation('a', 'pass', '80', { deviceName: 'from-s1' })], 's1'));
    expect(ingest(poll(1, [evaluation('a', 'pass', '80')], 'falcon')).extended).toBe(1);
    expect(changes().map((r) => [r.providerId, r.deviceName])).toEqual([
      ['falcon', 'name-a'],
      ['s1', 'name-a'],
    ]);
    expect(core.stats()).toMatchObject({ devices: 1, series: 2 });
  });

  it('matches rows to their series whatever order a poll lists them in', () => {
    // Identical apart from the key, so only the key tells them apart.
    const same = { deviceName: 'same', serial: null };
    const [a, b, c] = ['a', 'b', 'c'].map((key) => evaluation(key, 'pass', '80', same));
    ingest(poll(0, [a!, b!, c!]));
    expect(ingest(poll(1, [c!, a!, b!])).extended).toBe(3);
    expect(ingest(poll(2, [b!, c!])).extended).toBe(2);
    const next = ingest(poll(3, [a!, evaluation('b', 'fail', '10', same), c!]));
    expect(next).toMatchObject({ extended: 1, opened: [{ deviceKey: 'a' }, { deviceKey: 'b', result: 'fail' }] });
    expect(changes().map((r) => [r.deviceKey, r.count])).toEqual([
      ['a', 2],
      ['b', 3],
      ['c', 4],
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('tells one device’s checks apart when a poll lists only some of them', () => {
    const other = { checkId: 'infected', checkName: 'Infected' };
    ingest(poll(0, [evaluation('a', 'pass', '80'), evaluation('a', 'pass', '80', other)]));
    expect(ingest(poll(1, [evaluation('a', 'pass', '80', other)])).extended).toBe(1);
    expect(changes().map((r) => [r.checkId, r.count])).toEqual([
      ['zta-overall', 1],
      ['infected', 2],
    ]);
  });

  it('compares long values (past the fast path’s length limit) exactly too', () => {
    const long = (text: string, reason = 'r') =>
      evaluation('a', 'fail', '10', { deviceName: 'n'.repeat(300), expected: text.repeat(200), reason: reason.repeat(200) });
    ingest(poll(0, [long('x')]));
    expect(ingest(poll(1, [long('x')])).extended).toBe(1);
    expect(ingest(poll(2, [long('x', 's')]))).toMatchObject({ extended: 1, opened: [] });
    expect(ingest(poll(3, [long('y')])).opened).toMatchObject([{ expected: 'y'.repeat(200) }]);
    expect(changes().map((r) => [r.count, r.reason])).toEqual([
      [3, 's'.repeat(200)],
      [1, 'r'.repeat(200)],
    ]);
  });

  it('treats a value moved between fields, or null turned empty, as a change', () => {
    ingest(
      poll(0, [
        evaluation('a', 'pass', '80', { deviceName: 'ab', serial: 'c' }),
        evaluation('b', 'pass', '80', { expected: null }),
        evaluation('c', 'pass', '80'),
      ]),
    );
    const next = ingest(
      poll(1, [
        evaluation('a', 'pass', '80', { deviceName: 'a', serial: 'bc' }),
        evaluation('b', 'pass', '80', { expected: '' }),
        evaluation('c', 'pass', '80', { reason: '' }),
      ]),
    );
    expect(next).toMatchObject({ extended: 2, opened: [{ deviceKey: 'b', expected: '' }] });
    expect(changes().filter((r) => r.deviceKey === 'a')).toMatchObject([{ deviceName: 'a', serial: 'bc', count: 2 }]);
    expect(changes({ text: 'name-c' })).toMatchObject([{ reason: '', count: 2 }]);
  });
});

describe('ingest of a packed poll in several pieces', () => {
  it('extends every run of a fleet spread over pieces and opens exactly the changed rows, as the rows path does', () => {
    const fleet = (n: number, changed: number[]) =>
      poll(
        n,
        Array.from({ length: 2 * PIECE_ROWS + 40 }, (_, i) =>
          evaluation(
            `d${i}`,
            changed.includes(i) ? 'fail' : 'pass',
            changed.includes(i) ? '10' : '80',
            i === PIECE_ROWS + 1 ? { deviceName: 'odd \uDC00' } : {},
          ),
        ),
      );
    const first = core.ingestPacked(packPoll(fleet(0, [])), { keepOpened: 5 });
    expect(first.openedCount).toBe(2 * PIECE_ROWS + 40);
    const second = core.ingestPacked(packPoll(fleet(1, [3, PIECE_ROWS + 1, 2 * PIECE_ROWS + 39])));
    expect(second.extended).toBe(2 * PIECE_ROWS + 37);
    expect(second.opened.map((r) => [r.deviceKey, r.deviceName, r.result])).toEqual([
      ['d3', 'name-d3', 'fail'],
      [`d${PIECE_ROWS + 1}`, 'odd \uDC00', 'fail'],
      [`d${2 * PIECE_ROWS + 39}`, `name-d${2 * PIECE_ROWS + 39}`, 'fail'],
    ]);
    expect(core.stats()).toMatchObject({ runs: 2 * PIECE_ROWS + 43, series: 2 * PIECE_ROWS + 40 });
  });
});

describe('ingest, rows and packed polls mixed', () => {
  it('does not extend a run from a packed row the rows path has since replaced', () => {
    core.ingestPacked(packPoll(poll(0, [evaluation('a', 'pass', '80')])));
    core.ingest(poll(1, [evaluation('a', 'fail', '10')]));
    const third = core.ingestPacked(packPoll(poll(2, [evaluation('a', 'pass', '80')])));
    expect(third).toMatchObject({ extended: 0, opened: [{ result: 'pass', count: 1 }] });
    expect(changes().map((r) => [r.result, r.count])).toEqual([
      ['pass', 1],
      ['fail', 1],
      ['pass', 1],
    ]);
  });
});

describe('ingest after the store gave back its memory', () => {
  it('a store that dropped its mirror and cache between polls writes the same log as one that kept them', () => {
    const kept = openStoreCore(join(dir, 'kept.db'));
    try {
      const providers = ['falcon', 's1'];
      const polls = providers.flatMap((providerId, i) => [
        ...syntheticPolls({ devices: 300, polls: 6, checks: 2, changeRate: 0.1, absentRate: 0.05, seed: 7 + i, providerId, hostile: true }),
      ]);
      // Interleaved by time, as two providers poll; the released store drops everything after every poll.
      polls.sort((a, b) => a.evaluatedAt - b.evaluatedAt || a.providerId.localeCompare(b.providerId));
      for (const p of polls) {
        const released = core.ingestPacked(packPoll(p));
        core.releaseMemory();
        const held = kept.ingestPacked(packPoll(p));
        expect(released).toEqual(held);
      }
      const all = (c: StoreCore) => c.queryLog(LogQuery.parse({ view: 'changes', sort: { by: 'time', dir: 'asc' }, limit: 1000 })).rows;
      expect(all(core)).toEqual(all(kept));
      expect(all(core).length).toBeGreaterThan(600);
      expect(core.stats()).toMatchObject({ runs: kept.stats().runs, evaluations: kept.stats().evaluations, series: kept.stats().series });
    } finally {
      kept.close();
    }
  });
});
