// The alerts poller against the simulator over loopback: routing, de-duplication under faults and restarts,
// the overlap window with identical and nanosecond timestamps, the cursor, status and the schedule.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FalconAlert } from '../../../sim/index';
import { canonicalTimestamp } from './alert-time';
import { createMemoryRepository } from './memory-repository.testkit';
import type { IncidentRepository, OperationName } from './operations';
import { AlertPoller, DEFAULT_OVERLAP_MS } from './poller';
import { compileOrThrow } from './compiled-rules';
import { evaluateRuleSet } from './rules';
import { allIncidents, ruleSetOf, seedRuleSet, startHarness, testBackends, type Harness, type TestDatabase } from './test-harness.testkit';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

/** Polls until one poll succeeds; faulty polls throw and must leave nothing half done. */
async function pollUntilClean(poll: () => Promise<unknown>, attempts = 20): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    try {
      await poll();
      return;
    } catch {
      // A failed poll must leave nothing half done; the next one starts from the committed cursor.
    }
  }
  throw new Error(`no clean poll in ${attempts} attempts`);
}

/** Every alert accounted for exactly once: in one incident if the rules say so, else logged. */
async function expectExactlyOnce(repository: IncidentRepository, alerts: readonly FalconAlert[]): Promise<void> {
  const seed = compileOrThrow(seedRuleSet, 'seed');
  const incidents = await allIncidents(repository);
  const linked = incidents.flatMap((i) => i.alertIds);
  expect(new Set(linked).size).toBe(linked.length);
  const log = await repository.alertLog({ limit: 1000, offset: 0 });
  const logged = log.items.map((e) => e.alert.compositeId);
  expect(new Set(logged).size).toBe(logged.length);
  expect(new Set(logged)).toEqual(new Set(alerts.map((a) => a.composite_id)));
  const shouldOpen = alerts.filter((a) => evaluateRuleSet(seed, a as unknown as Record<string, unknown>)?.outcome.action === 'create_incident');
  expect(new Set(linked)).toEqual(new Set(shouldOpen.map((a) => a.composite_id)));
  // The simulator gives every alert its own Falcon aggregate: one incident each.
  expect(incidents).toHaveLength(shouldOpen.length);
}

describe('routing', () => {
  const rules = ruleSetOf({
    detection_rules: [
      { id: 'critical', condition: 'severity >= 80', action: 'create_incident', priority: 'P1' },
      { id: 'noisy', condition: 'severity >= 50', action: 'log_only' },
      { id: 'medium', condition: 'severity >= 40', action: 'create_incident', priority: 'P3' },
    ],
  });

  it('sends each alert to the first matching rule and records log_only and no-match outcomes too', async () => {
    const h = await start();
    const service = h.service({ ruleSet: () => rules });
    const critical = h.sim.addAlerts(2, { severity: 90 });
    const noisy = h.sim.addAlerts(2, { severity: 60 });
    const unmatched = h.sim.addAlerts(3, { severity: 10 });

    const batch = await service.pollNow(h.config.id);

    expect(batch).toMatchObject({ fetched: 7, fresh: 7, incidentsCreated: 2, logged: 2, unmatched: 3, duplicates: 0 });
    const log = await service.alertLog({ limit: 100 });
    const byId = new Map(log.items.map((e) => [e.alert.compositeId, e]));
    for (const a of critical) expect(byId.get(a.composite_id)).toMatchObject({ outcome: 'create_incident', ruleIndex: 0, ruleId: 'critical' });
    for (const a of noisy) expect(byId.get(a.composite_id)).toMatchObject({ outcome: 'log_only', ruleIndex: 1, ruleId: 'noisy', incidentNumber: null });
    for (const a of unmatched) expect(byId.get(a.composite_id)).toMatchObject({ outcome: 'no_match', ruleIndex: null, ruleId: null, incidentNumber: null });
    const incidents = await allIncidents(h.repository);
    expect(incidents.map((i) => [i.priority, i.rule.id])).toEqual([
      ['P1', 'critical'],
      ['P1', 'critical'],
    ]);
    for (const incident of incidents) expect(byId.get(incident.alertIds[0] ?? '')?.incidentNumber).toBe(incident.number);
  });

  it('takes priority, assignment group and category from the matched seed rule', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(1, { severity: 95 });
    await service.pollNow(h.config.id);
    const [incident] = await allIncidents(h.repository);
    expect(incident).toMatchObject({
      number: 'INC0000001',
      priority: 'P1',
      assignmentGroup: 'Security Operations',
      category: 'security',
      state: 'new',
      autoContain: false,
    });
    const detail = await service.getIncident('INC0000001');
    expect(detail.timeline[0]).toMatchObject({ seq: 1, kind: 'created', actor: 'system' });
    expect(detail.alerts.map((a) => a.compositeId)).toEqual(incident?.alertIds);
  });

  it('refuses to poll with a rule set that does not compile, and moves no cursor', async () => {
    const h = await start();
    const broken = { rules: [{ id: 'r', name: 'r', condition: 'severty >= 80', action: 'create_incident' as const, priority: 'P1' as const }] };
    const service = h.service({ ruleSet: () => broken });
    h.sim.addAlerts(3);
    await expect(service.pollNow(h.config.id)).rejects.toMatchObject({ code: 'rules.invalid' });
    const [status] = await service.pollerStatus();
    expect(status).toMatchObject({ phase: 'stopped', cursor: null, lastError: { code: 'rules.invalid' } });
    expect((await service.alertLog()).total).toBe(0);
  });
});

describe.each(testBackends)('de-duplication ($name)', (backend) => {
  let db: TestDatabase;
  beforeEach(() => {
    db = backend.create();
  });
  afterEach(() => db.dispose());

  it('creates zero duplicates and misses zero alerts through 429s, 5xx, hangs, malformed bodies and token expiry', async () => {
    const h = await start({ repository: await db.open() });
    const service = h.service({ poller: { pageSize: 7 } });
    const added: FalconAlert[] = [];
    const faults = [
      'rate_limit:/alerts:0.5:count=4:value=0',
      'server_error:/alerts:0.3,server_error:/devices:0.3:502',
      'hang:/alerts/entities:count=1',
      'malformed_json:/alerts/queries:count=2',
      'token_expiry:*:value=2',
      'rate_limit:*:0.3:count=3:value=0,server_error:*:0.2,token_expiry:*:value=3,hang:/alerts/queries:count=1',
    ];
    for (const spec of faults) {
      added.push(...h.sim.addAlerts(12));
      h.sim.setFaults(spec);
      await pollUntilClean(() => service.pollNow(h.config.id));
      h.sim.clearFaults();
    }
    // One more clean poll re-reads the whole overlap window: everything in it is a duplicate.
    const last = await service.pollNow(h.config.id);
    expect(last).toMatchObject({ fresh: 0, incidentsCreated: 0 });
    expect(last.duplicates).toBeGreaterThanOrEqual(added.length);
    expect(h.sim.stats().status429).toBeGreaterThan(0);
    await expectExactlyOnce(h.repository, added);
  }, 60_000);

  it('a restart mid-poll — a new service over the same database — neither duplicates nor misses, and finishes the enrichment', async () => {
    let commits = 0;
    // The process "dies" right after the second page that created incidents committed, before their enrichment ran.
    const dying = new Proxy(await db.open(), {
      get(target, name: OperationName) {
        const operation = target[name] as (input: unknown) => Promise<unknown>;
        if (name !== 'commitPoll') return operation;
        return async (input: unknown) => {
          const result = (await operation(input)) as Awaited<ReturnType<IncidentRepository['commitPoll']>>;
          if (result.created.length > 0 && ++commits === 2) throw new Error('process killed');
          return result;
        };
      },
    });
    const h = await start({ repository: dying });
    const added = h.sim.addAlerts(30);
    const first = h.service({ poller: { pageSize: 6 } });
    await expect(first.pollNow(h.config.id)).rejects.toThrow('process killed');
    await first.close();
    const stranded = (await allIncidents(await db.open())).filter((i) => i.enrichment.state === 'pending');
    expect(stranded.length).toBeGreaterThan(0);

    added.push(...h.sim.addAlerts(10));
    const restarted = await db.reopen();
    const second = h.service({ repository: restarted, poller: { pageSize: 6 } });
    await second.pollNow(h.config.id);
    await second.pollNow(h.config.id);

    await expectExactlyOnce(restarted, added);
    const incidents = await allIncidents(restarted);
    expect(incidents.every((i) => i.enrichment.state === 'done')).toBe(true);
  });

  it('an aborted poll (stop while a request hangs) commits nothing half-way and the next instance catches up', async () => {
    const h = await start({ repository: await db.open(), httpTimeoutMs: 30_000 });
    const added = h.sim.addAlerts(8);
    h.sim.setFaults('hang:/alerts/entities:count=1');
    const first = h.service();
    const polling = first.pollNow(h.config.id);
    // Wait until the entities request is held by the simulator, then stop the service.
    await vi.waitFor(() => expect(h.sim.stats().byRoute['POST /alerts/entities/alerts/v2'] ?? 0).toBeGreaterThan(0));
    await first.stop();
    await expect(polling).rejects.toBeTruthy();
    expect((await first.alertLog()).total).toBe(0);
    h.sim.clearFaults();
    const restarted = await db.reopen();
    await h.service({ repository: restarted }).pollNow(h.config.id);
    await expectExactlyOnce(restarted, added);
  });

  it('a cancelled poll ends with code cancelled, keeps the schedule, and the next poll takes every alert exactly once', async () => {
    const h = await start({ repository: await db.open(), httpTimeoutMs: 30_000 });
    const added = h.sim.addAlerts(6);
    h.sim.setFaults('hang:/alerts/entities:count=1');
    const service = h.service();
    service.start();
    const polling = service.pollNow(h.config.id);
    await vi.waitFor(() => expect(h.sim.stats().byRoute['POST /alerts/entities/alerts/v2'] ?? 0).toBeGreaterThan(0));
    expect(service.cancelPoll(h.config.id)).toBe(true);
    await expect(polling).rejects.toMatchObject({ code: 'cancelled' });
    const [status] = await service.pollerStatus();
    expect(status).toMatchObject({ phase: 'idle', lastError: null });
    expect(status!.nextPollAt).not.toBeNull();
    expect(service.cancelPoll(h.config.id)).toBe(false);
    h.sim.clearFaults();
    await service.pollNow(h.config.id);
    await expectExactlyOnce(h.repository, added);
    await service.stop();
  });
});

describe('overlap window', () => {
  it('takes alerts that share one timestamp exactly once, across pages smaller than the group', async () => {
    const h = await start();
    const service = h.service({ poller: { pageSize: 2 } });
    const stamp = new Date(Date.now() - 60_000).toISOString();
    const same = h.sim.addAlerts(7, { createdAt: stamp, severity: 70 });
    const batch = await service.pollNow(h.config.id);
    expect(batch.fresh).toBe(7);
    const again = await service.pollNow(h.config.id);
    expect(again.fresh).toBe(0);
    await expectExactlyOnce(h.repository, same);
  });

  it('keeps nanosecond timestamps apart within one millisecond and never moves the cursor back', async () => {
    const h = await start();
    const service = h.service({ poller: { pageSize: 2 } });
    // One millisecond, four nanosecond-precision instants in it (JS Date alone would make them equal).
    const ms = new Date(Date.now() - 30_000).toISOString().slice(0, 23);
    const added = ['000001', '000002', '456789', '999999'].flatMap((ns) => h.sim.addAlerts(1, { createdAt: `${ms}${ns}Z`, severity: 85 }));
    await service.pollNow(h.config.id);
    const [status] = await service.pollerStatus();
    expect(status?.cursor).toBe(`${ms}999999Z`);
    // An older alert arriving late but inside the overlap window is still picked up.
    const late = h.sim.addAlerts(1, { createdAt: new Date(Date.now() - DEFAULT_OVERLAP_MS / 2).toISOString(), severity: 85 });
    await service.pollNow(h.config.id);
    const [after] = await service.pollerStatus();
    expect(after?.cursor).toBe(`${ms}999999Z`);
    await expectExactlyOnce(h.repository, [...added, ...late]);
  });

  it('re-reads the overlap behind the cursor, and stops re-reading alerts once the cursor has moved past it', async () => {
    const h = await start();
    const service = h.service({ poller: { overlapMs: 60_000 } });
    const old = h.sim.addAlerts(3, { createdAt: new Date(Date.now() - 50 * 60_000).toISOString(), severity: 90 });
    await service.pollNow(h.config.id);
    const fresh = h.sim.addAlerts(2, { severity: 90 });
    // The old alerts sit at the cursor: re-read once more, recognised as duplicates.
    expect(await service.pollNow(h.config.id)).toMatchObject({ fetched: 5, fresh: 2, duplicates: 3 });
    // Now the cursor is 50 minutes later: they are behind the window, not fetched, not duplicated.
    expect(await service.pollNow(h.config.id)).toMatchObject({ fetched: 2, fresh: 0, duplicates: 2 });
    await expectExactlyOnce(h.repository, [...old, ...fresh]);
  });
});

describe('cursor and status', () => {
  it('a failed poll leaves the cursor where it was and reports the diagnosis', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(4);
    await service.pollNow(h.config.id);
    const [before] = await service.pollerStatus();
    h.sim.addAlerts(4);
    h.sim.setFaults('server_error:/alerts:503');
    await expect(service.pollNow(h.config.id)).rejects.toMatchObject({ code: 'http.server_error' });
    const [failed] = await service.pollerStatus();
    expect(failed).toMatchObject({ cursor: before?.cursor, alertsSeen: 4, lastError: { code: 'http.server_error' } });
    expect(failed?.lastError?.fix).toBeTruthy();
    h.sim.clearFaults();
    await service.pollNow(h.config.id);
    const [ok] = await service.pollerStatus();
    expect(ok).toMatchObject({ alertsSeen: 8, lastError: null });
  });

  it('reports last poll, counts and next poll, and emits poller.status', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(5, { severity: 90 });
    service.start();
    await vi.waitFor(() => expect(h.events.some((e) => e.event === 'poller.status' && e.payload.phase === 'idle' && e.payload.alertsSeen === 5)).toBe(true));
    const [status] = await service.pollerStatus();
    expect(status).toMatchObject({ phase: 'idle', alertsSeen: 5, incidentsCreated: 5, lastBatch: { fresh: 5 }, intervalMs: 300_000 });
    expect(Date.parse(status?.nextPollAt ?? '') - Date.parse(status?.lastPollAt ?? '')).toBeGreaterThan(200_000);
    expect(h.events.filter((e) => e.event === 'incident.created')).toHaveLength(5);
    await service.stop();
    const [stopped] = await service.pollerStatus();
    expect(stopped).toMatchObject({ phase: 'stopped', nextPollAt: null });
  });

  it('numbers incidents INC0000001… without gaps or reuse across restarts', async () => {
    const h = await start();
    h.sim.addAlerts(3, { severity: 90 });
    await h.service().pollNow(h.config.id);
    h.sim.addAlerts(2, { severity: 90 });
    await h.service().pollNow(h.config.id);
    const numbers = (await allIncidents(h.repository)).map((i) => i.number);
    expect(numbers).toEqual(['INC0000001', 'INC0000002', 'INC0000003', 'INC0000004', 'INC0000005']);
  });
});

describe('alerts the entities call leaves out', () => {
  it('are picked up by the next poll: the cursor stays before the first one missing', async () => {
    const now = Date.now();
    const alerts = Array.from({ length: 10 }, (_, i) => ({
      composite_id: `c:${i}`,
      aggregate_id: `a:${i}`,
      created_timestamp: new Date(now - 2 * 3_600_000 + i * 10 * 60_000).toISOString(),
      severity: 90,
    }));
    let drop: string | null = 'c:3';
    const repository = createMemoryRepository();
    const poller = new AlertPoller({
      integration: () => ({
        id: 'i',
        kind: 'crowdstrike-falcon-incidents',
        name: 'i',
        clientId: '0'.repeat(32),
        pollInterval: '5m',
        hostEnrichment: false,
        iocPushOnResolve: false,
        region: 'us-1',
      }),
      alerts: {
        queryIds: async (q = {}) => {
          const ids = alerts.filter((a) => !q.createdAfter || a.created_timestamp > q.createdAfter).map((a) => a.composite_id);
          return { ids: ids.slice(0, q.max), total: ids.length };
        },
        get: async (ids) => {
          const records = alerts.filter((a) => ids.includes(a.composite_id) && a.composite_id !== drop);
          drop = null;
          return records;
        },
      },
      repository,
      rules: async () => compileOrThrow(seedRuleSet, 'seed'),
      initialLookbackMs: 3 * 3_600_000,
    });
    const first = await poller.pollNow();
    expect(first.fresh).toBe(9);
    expect((await poller.status()).cursor).toBe(alerts[2]?.created_timestamp);
    const second = await poller.pollNow();
    expect(second.fresh).toBe(1);
    const log = await repository.alertLog({ limit: 100, offset: 0 });
    expect(log.items.map((e) => e.alert.compositeId).sort()).toEqual(alerts.map((a) => a.composite_id).sort());
    expect(canonicalTimestamp((await poller.status()).cursor ?? '')).toBe(canonicalTimestamp(alerts[9]?.created_timestamp ?? ''));
  });
});

describe('schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls at start, again after the interval, and not after stop', async () => {
    vi.useFakeTimers();
    let polls = 0;
    const poller = new AlertPoller({
      integration: () => ({
        id: 'i',
        kind: 'crowdstrike-falcon-incidents',
        name: 'i',
        clientId: '0'.repeat(32),
        pollInterval: '10m',
        hostEnrichment: false,
        iocPushOnResolve: false,
        region: 'us-1',
      }),
      alerts: {
        queryIds: async () => {
          polls++;
          return { ids: [], total: 0 };
        },
        get: async () => [],
      },
      repository: createMemoryRepository(),
      rules: async () => compileOrThrow(seedRuleSet, 'seed'),
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(polls).toBe(1);
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(polls).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polls).toBe(2);
    await poller.stop();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(polls).toBe(2);
  });
});

describe('alerts Falcon sends that cannot be read', () => {
  it('are set aside and counted, not a failed poll; the others are routed and the cursor moves on', async () => {
    const h = await start();
    const service = h.service();
    const alerts = h.sim.addAlerts(6, { severity: 90 });
    const [noId, odd] = alerts;
    h.sim.rewriteAnswers((answer) => {
      const body = answer.body as { resources?: Record<string, unknown>[] };
      if (answer.path !== '/alerts/entities/alerts/v2' || !Array.isArray(body.resources)) return undefined;
      const resources = body.resources.map((a) => {
        if (a.composite_id === noId?.composite_id) {
          const { composite_id: _, ...rest } = a;
          return rest;
        }
        return a.composite_id === odd?.composite_id ? { ...a, name: 42 } : a;
      });
      return { json: { ...body, resources } };
    });

    const batch = await service.pollNow(h.config.id);

    expect(batch).toMatchObject({ fetched: 6, fresh: 4, setAside: 2 });
    const log = await service.alertLog({ limit: 100 });
    expect(new Set(log.items.map((e) => e.alert.compositeId))).toEqual(new Set(alerts.slice(2).map((a) => a.composite_id)));
    expect((await service.pollerStatus()).find((s) => s.integrationId === h.config.id)).toMatchObject({ lastError: null, lastBatch: { setAside: 2 } });

    // The next poll is not held back by the alerts set aside: new alerts are read.
    const later = h.sim.addAlerts(3, { severity: 90 });
    const next = await service.pollNow(h.config.id);
    expect(next.fresh).toBe(3);
    const logged = new Set((await service.alertLog({ limit: 100 })).items.map((e) => e.alert.compositeId));
    for (const a of later) expect(logged.has(a.composite_id)).toBe(true);
  });
});
