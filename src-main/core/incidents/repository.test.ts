// The two repository backends behave alike (alert log order, back-test windows, IOCs, settings, host CIs),
// and SQLite prunes the de-duplication set behind the overlap horizon while the alert log still dedupes.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostCi, PushedIoc } from '../../../src-shared/schemas/incidents';
import { canonicalOfMs } from './alert-time';
import { compileOrThrow } from './compiled-rules';
import { repositoryOf, runOperation, type IncidentRepository } from './operations';
import { routeAlert } from './poller';
import { openStoreCore } from '../store/sync-store';
import { seedRuleSet, testBackends, type TestDatabase } from './test-harness.testkit';

const rules = compileOrThrow(seedRuleSet, 'seed');
const base = Date.UTC(2026, 10, 25, 12);
const alert = (n: number, severity = 90) =>
  routeAlert(rules, { composite_id: `c:${n}`, aggregate_id: `a:${n}`, created_timestamp: new Date(base + n * 1000).toISOString(), severity }, 0);
const commit = (repository: IncidentRepository, alerts: ReturnType<typeof alert>[], horizonKey: string | null = null) =>
  repository.commitPoll({
    integrationId: 'i',
    at: new Date(base).toISOString(),
    hostEnrichment: false,
    alerts,
    cursor: alerts.at(-1)?.summary.createdTimestamp ?? null,
    horizonKey,
  });

describe.each(testBackends)('$name repository', (backend) => {
  let db: TestDatabase;
  let repository: IncidentRepository;
  beforeEach(async () => {
    db = backend.create();
    repository = await db.open();
  });
  afterEach(() => db.dispose());

  it('lists the alert log newest first, filtered by outcome', async () => {
    await commit(repository, [alert(1), alert(2, 10), alert(3)]);
    const log = await repository.alertLog({ limit: 10, offset: 0 });
    expect(log.items.map((e) => [e.alert.compositeId, e.outcome, e.incidentNumber])).toEqual([
      ['c:3', 'create_incident', 'INC0000002'],
      ['c:2', 'log_only', null],
      ['c:1', 'create_incident', 'INC0000001'],
    ]);
    expect((await repository.alertLog({ outcome: 'log_only', limit: 10, offset: 0 })).total).toBe(1);
  });

  it('pages a back-test window by keyset, start inclusive, end exclusive', async () => {
    await commit(
      repository,
      Array.from({ length: 7 }, (_, i) => alert(i)),
    );
    const window = { fromKey: canonicalOfMs(base + 1000), toKey: canonicalOfMs(base + 6000), limit: 2 };
    const seen: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await repository.alertsInWindow({ ...window, after });
      seen.push(...page.map((a) => a.compositeId));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = `${last.createdKey}\n${last.compositeId}`;
    }
    expect(seen).toEqual(['c:1', 'c:2', 'c:3', 'c:4', 'c:5']);
    const [stored] = await repository.alertsInWindow({ ...window, after: null });
    expect(stored?.raw).toMatchObject({ composite_id: 'c:1', severity: 90 });
  });

  it('reports which ids it knows, with their times', async () => {
    await commit(repository, [alert(1)]);
    expect(await repository.knownAlerts({ integrationId: 'i', compositeIds: ['c:1', 'c:9'] })).toEqual({ 'c:1': canonicalOfMs(base + 1000) });
    expect(await repository.knownAlerts({ integrationId: 'other', compositeIds: ['c:1'] })).toEqual({});
  });

  it('keeps pushed IOCs, settings and host CIs', async () => {
    const ioc: PushedIoc = {
      id: 'f'.repeat(64),
      integrationId: 'i',
      type: 'domain',
      value: 'c2.example.net',
      action: 'detect',
      severity: 'high',
      platforms: ['windows'],
      description: null,
      sourceIncident: null,
      expiration: null,
      pushedBy: 'alice',
      pushedAt: new Date(base).toISOString(),
      deletedBy: null,
      deletedAt: null,
    };
    await repository.recordIocPush({ at: ioc.pushedAt, pushed: ioc });
    expect(await repository.pushedIocs({ includeDeleted: false })).toEqual([ioc]);
    await repository.recordIocDeletion({ id: ioc.id, actor: 'bob', at: ioc.pushedAt });
    expect(await repository.pushedIocs({ includeDeleted: false })).toEqual([]);
    expect(await repository.pushedIocs({ includeDeleted: true })).toEqual([{ ...ioc, deletedBy: 'bob', deletedAt: ioc.pushedAt }]);

    await repository.saveSetting({ key: 'k', value: { on: true, list: [1, 'a'] } });
    expect(await repository.setting('k')).toEqual({ on: true, list: [1, 'a'] });
    expect(await repository.setting('missing')).toBeUndefined();

    const ci: HostCi = {
      deviceId: 'd',
      integrationId: 'i',
      fields: { hostname: 'WS-1', tags: [] },
      firstSeenAt: '2026-11-25T12:00:00.000Z',
      updatedAt: '2026-11-25T12:00:00.000Z',
    };
    await repository.amendIncidents({ at: ci.updatedAt, hosts: [ci], changes: [] });
    await repository.amendIncidents({
      at: ci.updatedAt,
      hosts: [{ ...ci, fields: { hostname: 'WS-1b' }, firstSeenAt: '2026-11-26T00:00:00.000Z', updatedAt: '2026-11-26T00:00:00.000Z' }],
      changes: [],
    });
    expect(await repository.hostCi('d')).toEqual({ ...ci, fields: { hostname: 'WS-1b' }, updatedAt: '2026-11-26T00:00:00.000Z' });
  });

  it('finds incidents by text literally (% and _ are not wildcards)', async () => {
    await commit(repository, [alert(1), alert(2)]);
    expect((await repository.listIncidents({ text: 'inc0000002', limit: 10, offset: 0 })).items.map((i) => i.number)).toEqual(['INC0000002']);
    expect((await repository.listIncidents({ text: '%', limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('sqlite de-duplication set', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'incidents-seen-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is pruned behind the horizon, while the alert log still recognises a pruned alert', async () => {
    const file = join(dir, 'posture.db');
    const core = openStoreCore(file, { incidents: runOperation });
    const repository = repositoryOf(async (operation, input) => core.incidents(operation, input));
    await commit(
      repository,
      Array.from({ length: 10 }, (_, i) => alert(i)),
      canonicalOfMs(base + 6000),
    );
    const raw = new DatabaseSync(file, { readOnly: true });
    expect(
      raw
        .prepare('SELECT composite_id FROM incident_seen_alerts ORDER BY created_key')
        .all()
        .map((r) => r.composite_id),
    ).toEqual(['c:6', 'c:7', 'c:8', 'c:9']);
    raw.close();
    const again = await commit(repository, [alert(2)]);
    expect(again.batch).toMatchObject({ fresh: 0, duplicates: 1, incidentsCreated: 0 });
    core.close();
  });
});
