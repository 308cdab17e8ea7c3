// Posture polling through the composition root against the simulator over loopback, with a manual clock: a poll
// asked for while one runs, polls that evaluate nothing, and what-if judged as of the poll it reads.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../sim';
import { dispatch } from '../../../src-shared/dispatch';
import type { App } from '../app';
import { createTestApp } from '../test-app.testkit';

const HOUR = 3_600_000;
const DEVICES = 120;

let sim: Simulator;
let app: App;
let dir: string;
let clockAt = Date.parse('2026-11-25T12:00:00Z');

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 11 });
  // A manual clock that steps a second per reading, so polls of one provider are evaluated in order.
  ({ app, dir } = await createTestApp({ schedule: false, clock: () => new Date((clockAt += 1000)) }));
});

afterAll(async () => {
  await app.close();
  await sim.close();
});

async function call<T = unknown>(channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(`${channel}: ${JSON.stringify(res.error)}`);
  return res.value as T;
}

type Summary = { trend: { at: number; providerId: string; pass: number; fail: number; unknown: number }[] };
const rowsOf = async (checkId: string) => (await call<{ count: number }>('postureLog.count', { view: 'latest', checkIds: [checkId] })).count;

describe('posture runtime', () => {
  let providerId = '';

  it('a poll that evaluates nothing (no checks yet) is not a 0 % point on the trend', async () => {
    const { falcon } = sim.credentials;
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    });
    providerId = saved.config.id;
    expect(await call('posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded', tally: { evaluations: 0 } });
    expect(await call('posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded', tally: { evaluations: 0 } });
    expect((await call<Summary>('dashboard.summary', {})).trend).toEqual([]);
    const history = join(dir, 'poll-history.json');
    expect(existsSync(history) ? JSON.parse(readFileSync(history, 'utf8')) : []).toEqual([]);
  });

  it('a check saved while a poll runs gets rows from the poll that Poll now queues behind it', async () => {
    const first = await call<{ id: string }>('checks.save', { name: 'Overall 70', providerId, rule: { attribute: 'overall', operator: '>=', value: 70 } });
    // Slow answers keep the first poll running while the second check is saved and Poll now is asked for.
    sim.setFaults([{ kind: 'latency', route: '*', value: 400 }]);
    const requestsBefore = sim.stats().requests;
    const running = call('posture.pollNow', { providerId });
    await expect.poll(() => sim.stats().requests, { timeout: 5_000 }).toBeGreaterThan(requestsBefore);
    expect((await call<{ state: string }[]>('posture.status', {}))[0]?.state).toBe('polling');
    const second = await call<{ id: string }>('checks.save', { name: 'OS 50', providerId, rule: { attribute: 'os', operator: '>=', value: 50 } });
    const queued = call('posture.pollNow', { providerId });
    sim.clearFaults();

    expect(await running).toMatchObject({ outcome: 'succeeded', tally: { checks: 1 } });
    // The running poll read the checks before the save: it evaluated only the first.
    expect(await rowsOf(first.id)).toBe(DEVICES);
    expect(await queued).toMatchObject({ outcome: 'succeeded', tally: { checks: 2 } });
    expect(await rowsOf(second.id)).toBe(DEVICES);

    const trend = (await call<Summary>('dashboard.summary', {})).trend;
    expect(trend).toHaveLength(2);
    expect(trend.map((t) => t.pass + t.fail + t.unknown)).toEqual([DEVICES, 2 * DEVICES]);
  });

  it('what-if reads the inventory as of the poll that fetched it, hours later', async () => {
    const polledAt = (await call<Summary>('dashboard.summary', {})).trend.at(-1)!.at;
    const [check] = await call<{ id: string; name: string; providerId: string; rule: unknown }[]>('checks.list', {});
    const latest = await Promise.all(
      (['pass', 'fail', 'unknown'] as const).map(
        async (result) => (await call<{ count: number }>('postureLog.count', { view: 'latest', checkIds: [check!.id], results: [result] })).count,
      ),
    );
    // Long past twice the polling interval: judged against now, every device would read as stale (unknown).
    clockAt += 5 * HOUR;
    const result = await call<{ evaluatedAt: number; counts: { pass: number; fail: number; unknown: number } }>('checks.whatIf', {
      draft: { id: check!.id, name: check!.name, providerId, rule: check!.rule },
    });
    expect(result.evaluatedAt).toBe(polledAt);
    expect([result.counts.pass, result.counts.fail, result.counts.unknown]).toEqual(latest);
    expect(result.counts.pass).toBeGreaterThan(0);
  });
});
