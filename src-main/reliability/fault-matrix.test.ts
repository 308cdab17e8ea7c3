// Fault matrix, end to end: the real app (vault, settings, SQLite worker, scheduler, pollers) against the
// simulator over loopback. For each fault the admin sees a specific diagnosis, the poller recovers by
// itself once the fault clears (the scheduler's own retry timer, not a re-save or a re-test), and the
// posture log and the incidents hold every device and alert exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import type { LogRow } from '../../src-shared/schemas/posture-log';
import type { ProviderView } from '../../src-shared/schemas/providers';
import type { PollStatus } from '../../src-shared/schemas/posture';
import type { App } from '../core/app';
import { call, manualTimers, startApp, until } from './harness';

type Target = 'zta' | 's1' | 'incidents';

/** The simulator in use (a restart replaces it) and every alert it was ever given. */
interface Ctx {
  sim: Simulator;
  alerts: Set<string>;
}

interface Row {
  fault: string;
  target: Target;
  /** A short burst the HTTP layer or the client absorbs: that poll still succeeds. */
  burst?: string;
  /** Starts the fault before the poll. */
  inject: string | ((ctx: Ctx) => Promise<void>);
  /** Runs once the poll is under way (e.g. stops the simulator mid-poll). */
  midPoll?: (ctx: Ctx) => Promise<void>;
  /** Lifts the fault; default clearFaults(). */
  clear?: (ctx: Ctx) => Promise<void>;
  /** What the admin reads while the fault lasts (poll status, provider health, poller lastError). */
  diagnosis: RegExp;
  /** The diagnosis code of the poller's lastError (incidents) or of the one-click Test's failing step. */
  code?: string;
  /** Handled inside the poll (no failed poll): region moves, or alerts re-read through the overlap window. */
  absorbed?: boolean;
  /** The simulator forgets what it held (a restart): alerts given to it during the fault are gone with it. */
  losesState?: boolean;
}

interface Outcome {
  fault: string;
  target: Target;
  recovered: boolean;
  diagnosis: string;
  duplicates: number;
  gaps: number;
}

const results: Outcome[] = [];

const FALCON_429 = /is rate-limiting this app \(HTTP 429\)/;
const HUNG = /did not answer in time/;
const CUT = /reported \d+ (hosts|agents) but returned only \d+.*cut short/;
const DOWN = /refused the connection|closed before the answer was complete/;

/** The simulator goes away while a poll is reading from it (connections torn down), and comes back on the same port. */
const restart = {
  inject: async (ctx: Ctx) => ctx.sim.setFaults('latency:*:40'),
  midPoll: async (ctx: Ctx) => {
    const before = ctx.sim.stats().requests;
    // A request is in the simulator (held by the latency) when it goes away.
    await until(() => ctx.sim.stats().requests > before, 'the poll to reach the simulator');
    await ctx.sim.close();
  },
  clear: async (ctx: Ctx) => {
    ctx.sim = await startSimulator({ devices: DEVICES, seed: SEED, alerts: 0, port: Number(new URL(ctx.sim.url).port) });
  },
  diagnosis: DOWN,
  code: 'net.refused',
  losesState: true,
};

const rows: Row[] = [
  {
    fault: '429 storm',
    target: 'zta',
    burst: 'rate_limit:/devices:count=2:value=0',
    inject: 'rate_limit:/devices:value=2',
    diagnosis: FALCON_429,
    code: 'http.rate_limited',
  },
  {
    fault: '429 storm',
    target: 's1',
    burst: 'rate_limit:/agents:count=2:value=0',
    inject: 'rate_limit:/agents:value=2',
    diagnosis: /rate-limiting this app \(HTTP 429\)/,
    code: 'http.rate_limited',
  },
  {
    fault: '429 storm',
    target: 'incidents',
    burst: 'rate_limit:/alerts:count=2:value=0',
    inject: 'rate_limit:/alerts:value=2',
    diagnosis: FALCON_429,
    code: 'http.rate_limited',
  },
  {
    fault: '5xx burst',
    target: 'zta',
    burst: 'server_error:/zero-trust-assessment:count=2:value=503',
    inject: 'server_error:/zero-trust-assessment:value=503',
    diagnosis: /server error \(HTTP 503\)/,
    code: 'http.server_error',
  },
  {
    fault: '5xx burst',
    target: 's1',
    burst: 'server_error:/agents:count=2',
    inject: 'server_error:/agents:value=502',
    diagnosis: /server error \(HTTP 502\)/,
    code: 'http.server_error',
  },
  {
    fault: '5xx burst',
    target: 'incidents',
    burst: 'server_error:/alerts:count=2',
    inject: 'server_error:/alerts',
    diagnosis: /server error \(HTTP 500\)/,
    code: 'http.server_error',
  },
  { fault: 'hung connection', target: 'zta', burst: 'hang:/devices:count=1', inject: 'hang:/devices', diagnosis: HUNG, code: 'net.timeout' },
  { fault: 'hung connection', target: 's1', burst: 'hang:/agents:count=1', inject: 'hang:/agents', diagnosis: HUNG, code: 'net.timeout' },
  { fault: 'hung connection', target: 'incidents', burst: 'hang:/alerts:count=1', inject: 'hang:/alerts', diagnosis: HUNG, code: 'net.timeout' },
  {
    fault: 'malformed JSON',
    target: 'zta',
    burst: 'malformed_json:/zero-trust-assessment:count=1',
    inject: 'malformed_json:/zero-trust-assessment',
    diagnosis: /not valid JSON/,
    code: 'http.malformed',
  },
  {
    fault: 'malformed JSON',
    target: 's1',
    burst: 'malformed_json:/agents:count=1',
    inject: 'malformed_json:/agents',
    diagnosis: /not valid JSON/,
    code: 'http.malformed',
  },
  {
    fault: 'malformed JSON',
    target: 'incidents',
    burst: 'malformed_json:/alerts:count=1',
    inject: 'malformed_json:/alerts',
    diagnosis: /not valid JSON/,
    code: 'http.malformed',
  },
  { fault: 'truncated pages', target: 'zta', burst: 'truncated_page:/devices:count=1', inject: 'truncated_page:/devices', diagnosis: CUT },
  { fault: 'truncated pages', target: 's1', burst: 'truncated_page:/agents:count=1', inject: 'truncated_page:/agents', diagnosis: CUT },
  // Alerts a short page left out sit behind the cursor, inside the overlap window the next poll re-reads.
  { fault: 'truncated pages', target: 'incidents', burst: 'truncated_page:/alerts:count=1', inject: 'truncated_page:/alerts', diagnosis: /.^/, absorbed: true },
  {
    fault: 'token expiring mid-poll',
    target: 'zta',
    burst: 'token_expiry:count=1',
    inject: 'token_expiry:value=0',
    diagnosis: /rejected a freshly issued token/,
    code: 'falcon.token_rejected',
  },
  {
    fault: 'token expiring mid-poll',
    target: 'incidents',
    burst: 'token_expiry:count=1',
    inject: 'token_expiry:value=0',
    diagnosis: /rejected a freshly issued token/,
    code: 'falcon.token_rejected',
  },
  { fault: 'wrong region', target: 'zta', inject: 'wrong_region', diagnosis: /.^/, code: 'falcon.wrong_region', absorbed: true },
  { fault: 'wrong region', target: 'incidents', inject: 'wrong_region', diagnosis: /.^/, code: 'falcon.wrong_region', absorbed: true },
  {
    fault: 'missing scope',
    target: 'zta',
    inject: 'missing_scope:zero-trust-assessment:read',
    diagnosis: /lacks the Zero Trust Assessment: Read scope/,
    code: 'falcon.scope_missing',
  },
  { fault: 'missing scope', target: 'incidents', inject: 'missing_scope:alerts:read', diagnosis: /lacks the Alerts: Read scope/, code: 'falcon.scope_missing' },
  { fault: 'S1 site-scoped token', target: 's1', inject: 's1_site_scoped', diagnosis: /site-scoped user/, code: 's1.site_scoped' },
  { fault: 'S1 expired token', target: 's1', inject: 's1_token_expired', diagnosis: /API token has expired/, code: 's1.token_expired' },
  { fault: 'simulator restarted mid-poll', target: 'zta', ...restart },
  { fault: 'simulator restarted mid-poll', target: 's1', ...restart },
  { fault: 'simulator restarted mid-poll', target: 'incidents', ...restart },
];

const order = (o: Outcome) => rows.findIndex((r) => r.fault === o.fault && r.target === o.target);

afterAll(() => {
  const table = [
    ['fault', 'provider', 'recovered', 'diagnosis shown', 'duplicates', 'gaps'],
    ...results
      .sort((a, b) => order(a) - order(b))
      .map((r) => [r.fault, r.target, r.recovered ? 'yes' : 'NO', r.diagnosis, String(r.duplicates), String(r.gaps)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    [
      `Fault matrix: ${results.length} scenarios, real app against the simulator over loopback`,
      line(table[0]!),
      line(widths.map((w) => '-'.repeat(w))),
      ...table.slice(1).map(line),
    ].join('\n'),
  );
});

const SEED = 11;
const DEVICES = 40;

async function scenario(row: Row): Promise<void> {
  const ctx: Ctx = { sim: await startSimulator({ devices: DEVICES, seed: SEED, alerts: 0 }), alerts: new Set() };
  const timers = manualTimers();
  const { app, close } = await startApp({ timers });
  try {
    if (row.target === 'incidents') await incidentsScenario(row, ctx, app);
    else await postureScenario(row, ctx, app, timers);
  } finally {
    await close();
    await ctx.sim.close();
  }
}

async function saveProvider(app: App, sim: Simulator, target: Target, id?: string): Promise<ProviderView> {
  const { falcon, sentinelOne } = sim.credentials;
  if (target === 's1') return call(app, 'providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: sentinelOne.apiToken });
  if (target === 'zta')
    return call(app, 'providers.save', {
      id,
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: falcon.clientId,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
      ...(id ? {} : { clientSecret: falcon.clientSecret }),
    });
  return call(app, 'providers.save', {
    id,
    kind: 'crowdstrike-falcon-incidents',
    name: 'Detections',
    clientId: falcon.clientId,
    region: 'custom',
    baseUrl: sim.url,
    ...(id ? {} : { clientSecret: falcon.clientSecret }),
  });
}

async function inject(ctx: Ctx, row: Row): Promise<void> {
  if (typeof row.inject === 'string') ctx.sim.setFaults(row.inject);
  else await row.inject(ctx);
}

/** The failing (or warning) step's code from the one-click Test. */
async function testCode(app: App, id: string): Promise<string | undefined> {
  const report = await call(app, 'providers.test', { id });
  return (report.steps.find((s) => s.status === 'fail') ?? report.steps.find((s) => s.status === 'warn'))?.code;
}

const firstSentence = (text: string) => text.split(/(?<=\.) /)[0]!.replace(/127\.0\.0\.1:\d+/, 'sim');

/**
 * A region move is handled, not failed: the one-click Test names it (and saves the right base URL);
 * a poll with the stale base URL follows the 308 and saves it too.
 */
async function wrongRegion(app: App, ctx: Ctx, target: Target, id: string, poll: () => Promise<unknown>): Promise<string> {
  const home = ctx.sim.regionUrl('us-1');
  const baseUrl = async () => {
    const config = (await call(app, 'providers.list', {})).find((p) => p.config.id === id)!.config;
    return config.kind === 'sentinelone' ? config.apiUrl : config.kind === 'intune' ? config.graphUrl : 'baseUrl' in config ? config.baseUrl : undefined;
  };
  const report = await call(app, 'providers.test', { id });
  const step = report.steps.find((s) => s.id === 'region')!;
  expect(step).toMatchObject({ status: 'warn', code: 'falcon.wrong_region' });
  expect(await baseUrl()).toBe(home);
  await saveProvider(app, ctx.sim, target, id); // back to the stale base URL
  await poll();
  expect(await baseUrl()).toBe(home);
  return `Test: ${step.code} (moved to ${new URL(home).pathname})`;
}

async function allLatest(app: App, providerId: string): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(app, 'postureLog.query', { view: 'latest', providerIds: [providerId], limit: 5000, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

async function postureScenario(row: Row, ctx: Ctx, app: App, timers: ReturnType<typeof manualTimers>) {
  const providerId = (await saveProvider(app, ctx.sim, row.target)).config.id;
  await call(app, 'checks.save', {
    name: 'Check',
    providerId,
    rule: row.target === 'zta' ? { attribute: 'overall', operator: '>=', value: 50 } : { attribute: 'infected', expected: false },
  });
  // Scheduling on, with timers this test fires: each fire is "the poll the scheduler had armed".
  await call(app, 'posture.resume', {});
  // The poll the timer starts, awaited through its status events: Poll now would queue one more poll behind it.
  const scheduledPoll = async (): Promise<{ outcome: 'succeeded' | 'failed' }> => {
    let started = false;
    const ended = new Promise<{ outcome: 'succeeded' | 'failed' }>((resolve) => {
      const stop = app.events.listen((event, payload) => {
        if (event !== 'poll.status') return;
        const s = payload as PollStatus;
        if (s.providerId !== providerId) return;
        if (s.state === 'polling') started = true;
        else if (started) {
          stop();
          resolve({ outcome: s.lastError === null && s.failures === 0 ? 'succeeded' : 'failed' });
        }
      });
    });
    expect(timers.fireAll(), 'the scheduler armed the next poll').toBeGreaterThan(0);
    return ended;
  };
  const status = async () => (await call(app, 'posture.status', {})).find((s) => s.providerId === providerId)!;
  let succeeded = 0;

  expect(await scheduledPoll()).toMatchObject({ outcome: 'succeeded' });
  succeeded++;
  const baseline = await allLatest(app, providerId);
  const pairs = (rows: LogRow[]) => rows.map((r) => `${r.deviceKey}|${r.checkId}`);
  const expected = new Set(pairs(baseline));
  const devices = (await call(app, 'devices.list', { limit: 1 })).total;
  if (row.target === 'zta') expect(devices).toBe(ctx.sim.fleet.deviceIds.length);
  expect(expected.size).toBe(devices);

  if (row.burst) {
    ctx.sim.setFaults(row.burst);
    expect(await scheduledPoll(), `${row.fault}: a short burst is absorbed`).toMatchObject({ outcome: 'succeeded' });
    succeeded++;
    ctx.sim.clearFaults();
  }

  let shown: string;
  if (row.fault === 'wrong region') {
    ctx.sim.setFaults('wrong_region');
    shown = await wrongRegion(app, ctx, row.target, providerId, async () => {
      expect(await scheduledPoll()).toMatchObject({ outcome: 'succeeded' });
      succeeded++;
    });
  } else {
    await inject(ctx, row);
    const polling = scheduledPoll();
    await row.midPoll?.(ctx);
    const during = await polling;
    expect(during.outcome, `${row.fault}: the poll fails while the fault lasts`).toBe('failed');
    const now = await status();
    expect(now.state).toBe('backing_off');
    expect(now.nextPollAt, 'a retry is armed').not.toBeNull();
    expect(now.lastError).toMatch(row.diagnosis);
    const health = (await call(app, 'providers.list', {})).find((p) => p.config.id === providerId)!.health;
    expect(health.lastError).toMatch(row.diagnosis);
    // The failed poll kept the previous results: the Devices page still lists every device.
    expect((await call(app, 'devices.list', { limit: 1 })).total).toBe(devices);
    shown = firstSentence(now.lastError!);
    if (row.code) {
      const code = await testCode(app, providerId);
      expect(code, `${row.fault}: Test step code`).toBe(row.code);
      shown += ` [Test: ${code}]`;
    }
  }

  if (row.clear) await row.clear(ctx);
  else ctx.sim.clearFaults();
  expect(await scheduledPoll(), `${row.fault}: recovers by itself`).toMatchObject({ outcome: 'succeeded' });
  succeeded++;
  expect(await status()).toMatchObject({ state: 'idle', lastError: null, failures: 0 });
  expect((await call(app, 'providers.list', {})).find((p) => p.config.id === providerId)!.health.lastError).toBeNull();

  const got = pairs(await allLatest(app, providerId));
  const duplicates = got.length - new Set(got).size;
  const gaps = [...expected].filter((p) => !got.includes(p)).length + got.filter((p) => !expected.has(p)).length;
  // Every successful poll was written whole, and no failed one left rows: evaluations = polls × devices × checks.
  const { count: evaluations } = await call(app, 'postureLog.count', { view: 'evaluations', providerIds: [providerId] });
  results.push({ fault: row.fault, target: row.target, recovered: true, diagnosis: shown, duplicates, gaps });
  expect(duplicates).toBe(0);
  expect(gaps).toBe(0);
  expect(evaluations).toBe(succeeded * expected.size);
}

async function incidentsScenario(row: Row, ctx: Ctx, app: App) {
  const integrationId = (await saveProvider(app, ctx.sim, 'incidents')).config.id;
  // The poller's timer calls this same pollNow; a failed poll is simply followed by the next one.
  const poll = () => call(app, 'incidents.pollNow', { integrationId });
  const poller = async () => (await call(app, 'incidents.pollerStatus', {})).find((p) => p.integrationId === integrationId)!;
  const arrive = (n: number, severity: number) => {
    for (const alert of ctx.sim.addAlerts(n, { severity })) ctx.alerts.add(alert.composite_id);
  };

  arrive(6, 90);
  arrive(4, 20);
  await poll();
  if (row.burst) {
    arrive(3, 60);
    ctx.sim.setFaults(row.burst);
    await poll();
    ctx.sim.clearFaults();
  }

  let shown: string;
  if (row.fault === 'wrong region') {
    ctx.sim.setFaults('wrong_region');
    arrive(5, 85);
    shown = await wrongRegion(app, ctx, 'incidents', integrationId, poll);
  } else {
    await inject(ctx, row);
    // Alerts keep arriving while the fault lasts (a real provider keeps them across its restarts; the simulator does not).
    if (!row.losesState) {
      arrive(5, 85);
      arrive(5, 10);
    }
    if (row.absorbed) {
      await poll();
      shown = '– (re-read by the next poll)';
    } else {
      const polling = poll();
      await row.midPoll?.(ctx);
      await expect(polling).rejects.toThrow();
      const status = await poller();
      expect(status.lastError?.message).toMatch(row.diagnosis);
      if (row.code) expect(status.lastError?.code).toBe(row.code);
      shown = `${status.lastError!.code}: ${firstSentence(status.lastError!.message)}`;
    }
  }

  if (row.clear) await row.clear(ctx);
  else ctx.sim.clearFaults();
  arrive(2, 95);
  await poll();
  const status = await poller();
  expect(status.lastError).toBeNull();

  const log = await call(app, 'incidents.alertLog', { integrationId, limit: 1000 });
  const seen = log.items.map((e) => e.alert.compositeId);
  const incidents = await call(app, 'incidents.list', { limit: 500 });
  const linked = incidents.items.flatMap((i) => i.alertIds);
  const shouldOpen = log.items.filter((e) => e.outcome === 'create_incident').map((e) => e.alert.compositeId);
  const duplicates = seen.length - new Set(seen).size + (linked.length - new Set(linked).size);
  const gaps =
    [...ctx.alerts].filter((id) => !seen.includes(id)).length +
    seen.filter((id) => !ctx.alerts.has(id)).length +
    shouldOpen.filter((id) => !linked.includes(id)).length;
  results.push({ fault: row.fault, target: 'incidents', recovered: status.lastError === null, diagnosis: shown, duplicates, gaps });
  expect(duplicates).toBe(0);
  expect(gaps).toBe(0);
  expect(log.total).toBe(ctx.alerts.size);
}

describe('fault matrix', () => {
  for (const row of rows) {
    // Hung connections spend their time waiting for timeouts, so those three run side by side.
    const test = row.fault === 'hung connection' ? it.concurrent : it;
    test(`${row.fault} (${row.target}): diagnosed, recovered, no duplicates or gaps`, () => scenario(row));
  }
});
