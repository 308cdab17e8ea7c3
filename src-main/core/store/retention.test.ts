import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogQuery, type PollEvaluations } from '../../../src-shared/schemas/posture-log';
import { openStoreCore, type StoreCore } from './sync-store';
import { syntheticPolls } from './synthetic-polls.testkit';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

let dir: string;
let core: StoreCore;
let polls: PollEvaluations[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-retention-'));
  core = openStoreCore(join(dir, 'log.db'));
  // 40 days, two polls a day; some series never change, so their first run spans the 30-day cutoff.
  polls = [...syntheticPolls({ devices: 30, polls: 80, intervalMs: DAY / 2, start: T0, changeRate: 0.05, absentRate: 0.02, seed: 3 })];
  for (const p of polls) core.ingest(p);
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = (view: 'changes' | 'evaluations') => core.queryLog(LogQuery.parse({ view, limit: 5000 })).rows;

describe('retention', () => {
  it('deletes runs last evaluated before the cutoff, in batches, keeping everything newer', () => {
    const now = T0 + 40 * DAY;
    const cutoff = now - 30 * DAY;
    const before = all('changes');
    const expired = before.filter((r) => r.lastEvaluatedAt < cutoff);
    expect(expired.length).toBeGreaterThan(20);

    const result = core.prune({ now, days: 30, batchSize: 7 });
    expect(result).toMatchObject({ cutoff, deleted: expired.length, batches: Math.floor(expired.length / 7) + 1 });
    const after = all('changes');
    expect(after.map((r) => r.id)).toEqual(before.filter((r) => r.lastEvaluatedAt >= cutoff).map((r) => r.id));
    expect(core.prune({ now, days: 30, batchSize: 7 })).toMatchObject({ deleted: 0, batches: 1 });
  });

  it('keeps every poll a surviving run spans, so runs still expand to all their evaluations', () => {
    const now = T0 + 40 * DAY;
    core.prune({ now, days: 30, batchSize: 5 });
    const spanning = all('changes').filter((r) => r.firstEvaluatedAt < now - 30 * DAY);
    expect(spanning.length).toBeGreaterThan(0);
    const stats = core.stats();
    expect(core.countLog(LogQuery.parse({ view: 'evaluations' }))).toBe(stats.evaluations);
    expect(all('evaluations')).toHaveLength(stats.evaluations);
    // Polls older than every surviving run are gone.
    expect(stats.polls).toBe(polls.filter((p) => p.evaluatedAt >= Math.min(...all('changes').map((r) => r.firstEvaluatedAt))).length);
  });

  it('lets the next poll continue normally after pruning everything', () => {
    const last = polls.at(-1)!;
    expect(core.prune({ now: last.evaluatedAt + 31 * DAY, days: 30 }).deleted).toBeGreaterThan(0);
    expect(core.stats()).toMatchObject({ runs: 0, polls: 0 });
    const next = core.ingest({ ...last, pollId: 'after-prune', evaluatedAt: last.evaluatedAt + 31 * DAY });
    expect(next.opened).toHaveLength(last.rows.length);
  });

  it('opens a new run when retention deleted the newest run a poll would have extended', () => {
    // s1's run spans the cutoff and so keeps falcon's only poll; falcon's run from that poll expires.
    const row = { ...polls[0]!.rows[0]!, deviceKey: 'solo' };
    const fresh = openStoreCore(join(dir, 'fresh.db'));
    try {
      const at = (n: number) => T0 + n * DAY;
      fresh.ingest({ pollId: 's1-0', providerId: 's1', evaluatedAt: at(0), rows: [row] });
      fresh.ingest({ pollId: 'falcon-0', providerId: 'falcon', evaluatedAt: at(1), rows: [row] });
      fresh.ingest({ pollId: 's1-1', providerId: 's1', evaluatedAt: at(40), rows: [row] });
      expect(fresh.prune({ now: at(40), days: 30 }).deleted).toBe(1);
      expect(fresh.stats()).toMatchObject({ runs: 1, polls: 3 });

      const next = fresh.ingest({ pollId: 'falcon-1', providerId: 'falcon', evaluatedAt: at(41), rows: [row] });
      expect(next).toMatchObject({ extended: 0, opened: [{ providerId: 'falcon', count: 1, at: at(41) }] });
      expect(fresh.stats()).toMatchObject({ runs: 2, evaluations: 3 });
    } finally {
      fresh.close();
    }
  });
});
