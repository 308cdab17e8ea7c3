// User risk over a real store (SQLite in its worker, temp dir) and a hand-built inventory on a manual clock:
// behaviors, aging, reset, configuration, listing and CSV.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertLogEntry, AlertSummary } from '../../../src-shared/schemas/incidents';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import { defaultRiskBehaviors, type RiskBehaviors, type UsersChanged } from '../../../src-shared/schemas/users';
import { silentLogger } from '../log';
import { falconHost, HOUR, NOW, s1Agent, snapshot } from '../posture/fixtures.testkit';
import { matchDevices, type Match, type ProviderSnapshot } from '../posture/match';
import { openStore, type Store } from '../store/store';
import { riskStore } from './risk-store';
import { createUserRisk, type UserRisk } from './service';

const DAY = 24 * HOUR;

let dir: string;
let store: Store;
let risk: UserRisk;
let now: number;
let match: Match;
let alerts: AlertLogEntry[];
let checks: PostureCheck[];
let providers: { id: string; kind: 'crowdstrike-zta' | 'sentinelone' | 'crowdstrike-falcon-incidents' }[];
let changes: UsersChanged[];

function inventory(...snapshots: ProviderSnapshot[]) {
  match = matchDevices(snapshots);
}

/** Alice's laptop in both providers (Falcon says UPN, S1 says DOMAIN\user); Bob's desktop only in S1. */
function fleet({ infected = false, threats = 0, fetchedAt = now, bobInfected = false } = {}) {
  inventory(
    snapshot('cs', [falconHost({ recordId: 'aid-alice', hostname: 'ENG-LT-00001', serial: 'SERIALALICE1', user: 'alice.smith@corp.example' })], { fetchedAt }),
    snapshot(
      's1',
      [
        s1Agent({
          recordId: '1001',
          hostname: 'ENG-LT-00001',
          serial: 'SERIALALICE1',
          user: 'CORP\\alice.smith',
          posture: { infected, activeThreats: threats },
        }),
        s1Agent({ recordId: '1002', hostname: 'FIN-DT-00002', serial: 'SERIALBOB002', user: 'bob.jones', posture: { infected: bobInfected } }),
        s1Agent({ recordId: '1003', hostname: 'db-prod-00003', serial: 'SERIALSRV003', user: 'root', posture: { infected: true } }),
      ],
      { fetchedAt },
    ),
  );
}

function alert(fields: Partial<AlertSummary> & { compositeId: string }, integrationId = 'det'): AlertLogEntry {
  const summary: AlertSummary = {
    createdTimestamp: new Date(now).toISOString(),
    aggregateId: null,
    severity: 90,
    severityName: 'Critical',
    tactic: 'Credential Access',
    technique: 'OS Credential Dumping',
    techniqueId: 'T1003',
    name: 'CredentialDumping',
    product: 'epp',
    deviceId: null,
    hostname: null,
    platform: 'Windows',
    filename: null,
    cmdline: null,
    userName: null,
    sha256: null,
    md5: null,
    falconLink: 'https://falcon.example/x',
    ...fields,
  };
  return { integrationId, receivedAt: new Date(now).toISOString(), alert: summary, outcome: 'log_only', ruleIndex: 1, ruleId: 'r2', incidentNumber: null };
}

async function configure(patch: (b: RiskBehaviors) => RiskBehaviors) {
  await risk.setBehaviors(patch(structuredClone(await risk.behaviors())));
  await risk.settled();
}

const level = async (userId: string) => (await risk.get(userId)).user.level;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pc-users-'));
  store = await openStore({ file: join(dir, 'log.sqlite') });
  now = NOW;
  alerts = [];
  checks = [];
  changes = [];
  providers = [
    { id: 'cs', kind: 'crowdstrike-zta' },
    { id: 's1', kind: 'sentinelone' },
    { id: 'det', kind: 'crowdstrike-falcon-incidents' },
  ];
  fleet();
  risk = createUserRisk({
    store: riskStore(store),
    inventory: { match: () => match },
    checks: () => checks,
    providers: () => providers,
    alertLog: async ({ limit, offset }) => {
      const sorted = [...alerts].sort((a, b) => b.alert.createdTimestamp.localeCompare(a.alert.createdTimestamp));
      return { items: sorted.slice(offset, offset + limit), total: alerts.length };
    },
    now: () => now,
    logger: silentLogger,
    onChanged: (change) => changes.push(change),
  });
});

afterEach(async () => {
  await risk.settled();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('users from devices', () => {
  it('lists one identity per person with the devices tied to them, and ignores service accounts', async () => {
    const page = await risk.list({ sort: 'name', direction: 'asc', offset: 0, limit: 100 });
    expect(page.items.map((u) => u.id)).toEqual(['corp\\alice.smith', 'bob.jones']);
    const alice = await risk.get('corp\\alice.smith');
    expect(alice.user).toMatchObject({
      displayName: 'alice.smith@corp.example',
      aliases: ['alice.smith@corp.example', 'CORP\\alice.smith'],
      devices: 1,
      level: 'none',
    });
    expect(alice.devices).toEqual([
      expect.objectContaining({
        deviceKey: 'sn:SERIALALICE1',
        hostname: 'ENG-LT-00001',
        sources: [
          { providerId: 'cs', recordId: 'aid-alice', reportedAs: 'alice.smith@corp.example' },
          { providerId: 's1', recordId: '1001', reportedAs: 'CORP\\alice.smith' },
        ],
      }),
    ]);
  });
});

describe('SentinelOne threat detected on a user device', () => {
  it('raises the users of an infected device to the configured level, with the evidence', async () => {
    fleet({ infected: true, threats: 2 });
    expect(await risk.evaluate()).toEqual({ raised: 1, cleared: 0, merged: 0 });
    expect(changes).toEqual([{ cause: 'evaluation' }]);
    const alice = await risk.get('corp\\alice.smith');
    expect(alice.user).toMatchObject({ level: 'high', activeEvents: 1, lastEventAt: now });
    expect(alice.events).toEqual([
      expect.objectContaining({
        behavior: 's1_threat',
        level: 'high',
        status: 'active',
        ongoing: true,
        deviceKey: 'sn:SERIALALICE1',
        deviceName: 'ENG-LT-00001',
        signal: 'Infected, 2 active threats',
        occurredAt: now,
        evidence: { kind: 's1_threat', providerId: 's1', agentId: '1001', infected: true, activeThreats: 2, reportedUser: 'CORP\\alice.smith' },
      }),
    ]);
    expect(alice.timeline[0]).toMatchObject({ kind: 'raised', text: expect.stringContaining('ENG-LT-00001') });
    // root's infected server concerns no person.
    expect((await risk.list({ sort: 'risk', direction: 'desc', offset: 0, limit: 10 })).items.map((u) => u.id)).not.toContain('root');
  });

  it('uses the level configured for the behavior', async () => {
    await configure((b) => ({ ...b, s1_threat: { enabled: true, level: 'low' } }));
    fleet({ threats: 1 });
    await risk.evaluate();
    expect(await level('corp\\alice.smith')).toBe('low');
    expect((await risk.get('corp\\alice.smith')).events[0]?.signal).toBe('1 active threat');
  });

  it('records an ongoing threat once, ends it when cleared, and ages it out after the window', async () => {
    fleet({ infected: true });
    await risk.evaluate();
    now += HOUR;
    fleet({ infected: true });
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 0, merged: 0 });

    now += HOUR;
    const clearedAt = now;
    fleet({ infected: false });
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 1, merged: 0 });
    const detail = await risk.get('corp\\alice.smith');
    expect(detail.user.level).toBe('high');
    expect(detail.events[0]).toMatchObject({ ongoing: false, endedAt: clearedAt, status: 'active' });
    expect(detail.timeline.map((t) => t.kind)).toEqual(['cleared', 'raised']);

    now = clearedAt + 7 * DAY - 1;
    expect(await level('corp\\alice.smith')).toBe('high');
    now = clearedAt + 7 * DAY + 1;
    expect(await level('corp\\alice.smith')).toBe('none');
    expect((await risk.get('corp\\alice.smith')).events[0]?.status).toBe('aged_out');
  });

  it('a shorter window ages events out sooner', async () => {
    fleet({ infected: true });
    await risk.evaluate();
    fleet({ infected: false });
    await risk.evaluate();
    now += 2 * DAY;
    expect(await level('corp\\alice.smith')).toBe('high');
    await configure((b) => ({ ...b, windowDays: 1 }));
    expect(await level('corp\\alice.smith')).toBe('none');
  });

  it('keeps an ongoing threat while its provider is not in the inventory, and ends it once the provider is removed', async () => {
    fleet({ infected: true });
    await risk.evaluate();
    // After a restart only Falcon has been polled so far: S1's events stand.
    inventory(snapshot('cs', [falconHost({ recordId: 'aid-alice', serial: 'SERIALALICE1', user: 'alice.smith@corp.example' })]));
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 0, merged: 0 });
    providers = providers.filter((p) => p.id !== 's1');
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 1, merged: 0 });
  });
});

describe('identity across polls', () => {
  it("moves a bare name's history to its domain identity once a provider reports the domain form", async () => {
    const carol = (user: string) => s1Agent({ recordId: '2001', hostname: 'MKT-MBP-00007', serial: 'SERIALCAROL7', user, posture: { infected: true } });
    inventory(snapshot('s1', [carol('carol.white')]));
    await risk.evaluate();
    now += 60_000;
    await risk.reset({ userId: 'carol.white', actor: 'sam.admin', reason: 'Checked with the user' });
    const before = (await risk.get('carol.white')).events[0]!;

    now += HOUR;
    // Falcon, polled later, knows her by UPN: the S1 episode and the reset now belong to corp\carol.white.
    inventory(
      snapshot('cs', [falconHost({ recordId: 'aid-carol', hostname: 'MKT-MBP-00007', serial: 'SERIALCAROL7', user: 'carol.white@corp.example' })]),
      snapshot('s1', [carol('carol.white')]),
    );
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 0, merged: 1 });
    await expect(risk.get('carol.white')).rejects.toMatchObject({ code: 'user.not_found' });
    const merged = await risk.get('corp\\carol.white');
    expect(merged.events).toEqual([expect.objectContaining({ id: before.id, occurredAt: before.occurredAt, ongoing: true, status: 'before_reset' })]);
    expect(merged.timeline[0]).toMatchObject({ kind: 'reset', reason: 'Checked with the user' });
    expect(merged.user).toMatchObject({ level: 'none', displayName: 'carol.white@corp.example' });
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 0, merged: 0 });
  });
});

describe('Falcon alert on a user device', () => {
  it('raises the users of the alert host and the alert user at or above the threshold only', async () => {
    alerts = [
      alert({ compositeId: 'c:1', severity: 70, deviceId: 'aid-alice', hostname: 'ENG-LT-00001', userName: 'someone.else' }),
      alert({ compositeId: 'c:2', severity: 69, userName: 'bob.jones' }),
    ];
    expect(await risk.evaluate()).toEqual({ raised: 2, cleared: 0, merged: 0 });
    const alice = await risk.get('corp\\alice.smith');
    expect(alice.user.level).toBe('medium');
    expect(alice.events[0]).toMatchObject({
      behavior: 'falcon_alert',
      deviceKey: 'sn:SERIALALICE1',
      signal: 'Severity 70: CredentialDumping (Credential Access)',
      evidence: { kind: 'falcon_alert', compositeId: 'c:1', severity: 70, falconLink: 'https://falcon.example/x', alertUser: 'someone.else' },
    });
    expect(await level('someone.else')).toBe('medium');
    expect(await level('bob.jones')).toBe('none');
    // Alerts are moments: polling the same log again records nothing new.
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 0, merged: 0 });
  });

  it('follows the configured threshold and ignores alerts older than the window', async () => {
    alerts = [
      alert({ compositeId: 'c:2', severity: 50, userName: 'bob.jones' }),
      alert({ compositeId: 'c:3', severity: 99, userName: 'CORP\\bob.jones', createdTimestamp: new Date(now - 8 * DAY).toISOString() }),
    ];
    await configure((b) => ({ ...b, falcon_alert: { enabled: true, level: 'high', minSeverity: 50 } }));
    expect(await level('bob.jones')).toBe('high');
    expect((await risk.get('bob.jones')).events.map((e) => e.evidence.kind === 'falcon_alert' && e.evidence.compositeId)).toEqual(['c:2']);
  });
});

describe('device failing a posture check for longer than a chosen time', () => {
  const check: PostureCheck = { id: 'chk-1', name: 'Not infected', providerId: 's1', enabled: true, rule: { attribute: 'infected', expected: false } };

  async function poll(at: number, result: 'pass' | 'fail') {
    await store.ingest({
      pollId: `p-${at}`,
      providerId: 's1',
      evaluatedAt: at,
      rows: [
        {
          deviceKey: 'sn:SERIALBOB002',
          deviceName: 'FIN-DT-00002',
          serial: 'SERIALBOB002',
          serialKey: 'SERIALBOB002',
          platform: 'Windows',
          checkId: check.id,
          checkName: check.name,
          result,
          expected: 'infected == false',
          received: `infected = ${result === 'fail'}`,
          reason: null,
        },
      ],
    });
  }

  it('raises the user once the device has failed for longer than the duration, counting from the first failing run', async () => {
    checks = [check];
    await configure((b) => ({
      ...b,
      s1_threat: { ...b.s1_threat, enabled: false },
      posture_check_failing: { enabled: true, level: 'medium', checkId: check.id, minutes: 120 },
    }));
    await poll(now - 4 * HOUR, 'pass');
    await poll(now - 90 * 60_000, 'fail');
    await risk.evaluate();
    expect(await level('bob.jones')).toBe('none');

    now += HOUR;
    await poll(now, 'fail');
    expect(await risk.evaluate()).toEqual({ raised: 1, cleared: 0, merged: 0 });
    const bob = await risk.get('bob.jones');
    const failingSince = NOW - 90 * 60_000;
    expect(bob.user.level).toBe('medium');
    expect(bob.events[0]).toMatchObject({
      behavior: 'posture_check_failing',
      occurredAt: failingSince + 120 * 60_000,
      signal: 'Failing "Not infected" for longer than 2 hours (infected = true)',
      evidence: { kind: 'posture_check_failing', checkId: 'chk-1', failingSince, expected: 'infected == false' },
    });

    now += HOUR;
    await poll(now, 'pass');
    expect(await risk.evaluate()).toEqual({ raised: 0, cleared: 1, merged: 0 });
  });

  it('refuses a check that does not exist, naming the field', async () => {
    await expect(
      risk.setBehaviors({ ...defaultRiskBehaviors, posture_check_failing: { enabled: true, level: 'low', checkId: 'gone', minutes: 60 } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'posture_check_failing.checkId', message: expect.any(String) }],
    });
    expect((await risk.behaviors()).posture_check_failing.checkId).toBeNull();
  });
});

describe('reset', () => {
  it('returns the user to none, records who, when and why, and counts only what occurs afterwards', async () => {
    fleet({ infected: true });
    await risk.evaluate();
    now += HOUR;
    const resetAt = now;
    const detail = await risk.reset({ userId: 'corp\\alice.smith', actor: 'sam.admin', reason: 'Reimaged after investigation INC0000042' });
    expect(detail.user).toMatchObject({ level: 'none', resetAt });
    expect(detail.timeline[0]).toEqual({
      at: resetAt,
      kind: 'reset',
      text: 'Risk score reset by sam.admin',
      eventId: null,
      actor: 'sam.admin',
      reason: 'Reimaged after investigation INC0000042',
    });
    expect(detail.events[0]?.status).toBe('before_reset');
    expect(changes.at(-1)).toEqual({ cause: 'reset' });

    // The infection that was reset goes on: it does not raise the user again.
    now += HOUR;
    fleet({ infected: true });
    await risk.evaluate();
    expect(await level('corp\\alice.smith')).toBe('none');

    // A new alert after the reset does.
    now += HOUR;
    alerts = [alert({ compositeId: 'c:9', userName: 'alice.smith' })];
    await risk.evaluate();
    expect(await level('corp\\alice.smith')).toBe('medium');

    // So does the threat when it comes back after clearing.
    fleet({ infected: false });
    await risk.evaluate();
    now += HOUR;
    fleet({ infected: true });
    await risk.evaluate();
    expect(await level('corp\\alice.smith')).toBe('high');
  });

  it('refuses an unknown user', async () => {
    await expect(risk.reset({ userId: 'nobody\\x', actor: 'a', reason: 'because' })).rejects.toMatchObject({ code: 'user.not_found' });
  });
});

describe('configuration, listing and export', () => {
  it('a disabled behavior stops counting and a new level re-scores its events', async () => {
    fleet({ infected: true });
    await risk.evaluate();
    await configure((b) => ({ ...b, s1_threat: { enabled: true, level: 'medium' } }));
    expect(await level('corp\\alice.smith')).toBe('medium');
    await configure((b) => ({ ...b, s1_threat: { enabled: false, level: 'medium' } }));
    expect(await level('corp\\alice.smith')).toBe('none');
    expect((await risk.get('corp\\alice.smith')).events[0]?.status).toBe('behavior_off');
    expect(changes.filter((c) => c.cause === 'behaviors')).toHaveLength(2);
  });

  it('sorts by risk, filters by level, searches names and hostnames, pages and counts', async () => {
    fleet({ infected: true, bobInfected: false });
    alerts = [alert({ compositeId: 'c:1', userName: 'bob.jones' })];
    await risk.evaluate();
    const all = await risk.list({ sort: 'risk', direction: 'desc', offset: 0, limit: 10 });
    expect(all.items.map((u) => [u.id, u.level])).toEqual([
      ['corp\\alice.smith', 'high'],
      ['bob.jones', 'medium'],
    ]);
    expect(all.counts).toEqual({ high: 1, medium: 1, low: 0, none: 0 });
    expect((await risk.list({ sort: 'risk', direction: 'asc', offset: 0, limit: 10 })).items[0]?.id).toBe('bob.jones');
    expect((await risk.list({ levels: ['medium'], sort: 'risk', direction: 'desc', offset: 0, limit: 10 })).items.map((u) => u.id)).toEqual(['bob.jones']);
    expect((await risk.list({ text: 'fin-dt', sort: 'risk', direction: 'desc', offset: 0, limit: 10 })).items.map((u) => u.id)).toEqual(['bob.jones']);
    expect((await risk.list({ text: 'CORP\\ALICE', sort: 'risk', direction: 'desc', offset: 0, limit: 10 })).items.map((u) => u.id)).toEqual([
      'corp\\alice.smith',
    ]);
    const second = await risk.list({ sort: 'risk', direction: 'desc', offset: 1, limit: 1 });
    expect(second).toMatchObject({ total: 2, items: [{ id: 'bob.jones' }] });
    expect(await risk.counts()).toEqual({ high: 1, medium: 1, low: 0, none: 0 });
  });

  it('exports the filtered list as CSV with formula injection neutralized', async () => {
    inventory(
      snapshot('s1', [
        s1Agent({ recordId: '7', serial: 'SERIALEVIL01', hostname: '=HYPERLINK("http://x")', user: '=cmd|calc@corp.example', posture: { infected: true } }),
      ]),
    );
    await risk.evaluate();
    const csv = await risk.exportCsv({ levels: ['high'] });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('user,display_name,risk_level,active_events,devices,device_names,last_event_at,reset_at,aliases');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith('corp\\=cmd|calc,')).toBe(true);
    expect(lines[1]).toContain(`'=cmd|calc@corp.example`);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain(',high,1,1,');
  });
});
