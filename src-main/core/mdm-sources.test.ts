// Jamf Pro, Kandji and the custom endpoint through the composition root against the simulator over loopback:
// save from the contract, Test (right and wrong secrets, missing role, wrong region), checks, polls into the
// posture log, what-if, and CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { dispatch } from '../../src-shared/dispatch';
import type { TestReport } from '../../src-shared/schemas/providers';
import type { App } from './app';
import { createTestApp } from './test-app.testkit';

let sim: Simulator;
let app: App;

beforeAll(async () => {
  sim = await startSimulator({ devices: 400, seed: 9 });
  ({ app } = await createTestApp({ schedule: false }));
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

async function refused(channel: string, req: unknown): Promise<{ code: string; message: string; fields?: Record<string, string> }> {
  const res = await dispatch(app.handlers, channel, req);
  if (res.ok) throw new Error(`${channel} was accepted`);
  return res.error as { code: string; message: string; fields?: Record<string, string> };
}

const failing = (report: TestReport) => report.steps.find((s) => s.status === 'fail');
type Rows = { rows: { result: string; expected: string; received: string | null; serial: string | null; providerId: string }[] };

describe('Jamf Pro through the app', () => {
  let jamfId = '';

  it('refuses a Jamf URL with /api and names the field', async () => {
    const error = await refused('providers.save', {
      kind: 'jamf',
      name: 'Jamf',
      serverUrl: `${sim.jamfUrl}/api`,
      clientId: sim.credentials.jamf.clientId,
      clientSecret: sim.credentials.jamf.clientSecret,
    });
    expect(JSON.stringify(error)).toContain('without /api');
  });

  it('a wrong secret fails the Test at the API client step with the cause and the fix; the right one passes', async () => {
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'jamf',
      name: 'Jamf',
      serverUrl: sim.jamfUrl,
      clientId: sim.credentials.jamf.clientId,
      clientSecret: 'not-the-secret',
    });
    jamfId = saved.config.id;
    const wrong = await call<TestReport>('providers.test', { id: jamfId });
    expect(wrong.ok).toBe(false);
    expect(failing(wrong)).toMatchObject({ id: 'authentication', code: 'jamf.bad_client' });
    expect(failing(wrong)?.fix).toContain('Generate client secret');
    expect(JSON.stringify(wrong)).not.toContain('not-the-secret');
    await call('providers.save', {
      kind: 'jamf',
      id: jamfId,
      name: 'Jamf',
      serverUrl: sim.jamfUrl,
      clientId: sim.credentials.jamf.clientId,
      clientSecret: sim.credentials.jamf.clientSecret,
    });
    const right = await call<TestReport>('providers.test', { id: jamfId });
    expect(right.steps.map((s) => [s.id, s.status])).toEqual([
      ['reachability', 'pass'],
      ['jamf', 'pass'],
      ['clock', 'pass'],
      ['authentication', 'pass'],
      ['privilege', 'pass'],
      ['coverage', 'pass'],
    ]);
    expect(right.steps.at(-1)?.observed).toContain(`${sim.mdm.jamf().members.length} computers`);
  });

  it('a role without Read Computers fails at the privilege step; an old server warns and still passes', async () => {
    sim.addJamfClient({ clientId: 'roleless-client', clientSecret: 'roleless-secret', privileges: [] });
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'jamf',
      name: 'Jamf roleless',
      serverUrl: sim.jamfUrl,
      clientId: 'roleless-client',
      clientSecret: 'roleless-secret',
    });
    const report = await call<TestReport>('providers.test', { id: saved.config.id });
    expect(failing(report)).toMatchObject({ id: 'privilege', code: 'jamf.role_missing' });
    expect(failing(report)?.fix).toContain('Read Computers');
    await call('providers.remove', { id: saved.config.id });
    sim.setFaults('jamf_old_server:3');
    try {
      const old = await call<TestReport>('providers.test', { id: jamfId });
      expect(old.ok).toBe(true);
      expect(old.steps.find((s) => s.id === 'privilege')).toMatchObject({ status: 'warn', code: 'jamf.old_server' });
    } finally {
      sim.clearFaults();
    }
  });

  it('checks on FileVault, SIP and inventory age produce posture log rows for every computer', async () => {
    await call('checks.save', { name: 'FileVault', providerId: jamfId, rule: { attribute: 'fileVault2Status', accepted: ['ALL_ENCRYPTED'] } });
    await call('checks.save', { name: 'SIP', providerId: jamfId, rule: { attribute: 'sipStatus', accepted: ['ENABLED'] } });
    await call('checks.save', { name: 'Inventory 7d', providerId: jamfId, rule: { attribute: 'reportDate', within: '7d' } });
    await call('checks.save', { name: 'macOS 14.6+', providerId: jamfId, rule: { attribute: 'jamfOsVersion', operator: '>=', value: '14.6' } });
    const members = sim.mdm.jamf().members.length;
    const poll = await call<{ outcome: string; tally: { devices: number; evaluations: number } }>('posture.pollNow', { providerId: jamfId });
    expect(poll.outcome).toBe('succeeded');
    expect(poll.tally.evaluations).toBe(members * 4);
    const fails = await call<Rows>('postureLog.query', { view: 'latest', providerIds: [jamfId], results: ['fail'], limit: 2000 });
    expect(fails.rows.some((r) => r.expected === 'fileVault2Status = ALL_ENCRYPTED' && r.received?.startsWith('fileVault2Status = '))).toBe(true);
    const passes = await call<Rows>('postureLog.query', { view: 'latest', providerIds: [jamfId], results: ['pass'], limit: 2000 });
    expect(passes.rows.length).toBeGreaterThan(members);
  });

  it('what-if on a stricter OS version shows the devices that would flip, saving nothing', async () => {
    const result = await call<{ counts: { fail: number; pass: number }; flipsTotal: number }>('checks.whatIf', {
      draft: { name: 'macOS 15.5+', providerId: jamfId, rule: { attribute: 'jamfOsVersion', operator: '>=', value: '15.5' } },
    });
    expect(result.counts.fail).toBeGreaterThan(0);
    expect(result.counts.pass).toBeGreaterThan(0);
    expect(result.flipsTotal).toBeGreaterThan(0);
  });
});

describe('Kandji through the app', () => {
  it('names the other region when the tenant is in the EU, and passes on the right host', async () => {
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'kandji',
      name: 'Kandji',
      apiUrl: sim.kandjiUrl('eu'),
      apiToken: sim.credentials.kandji.apiToken,
    });
    const wrong = await call<TestReport>('providers.test', { id: saved.config.id });
    expect(failing(wrong)).toMatchObject({ code: 'kandji.wrong_region' });
    expect(failing(wrong)?.fix).toContain(sim.kandjiUrl('us'));
    await call('providers.save', { kind: 'kandji', id: saved.config.id, name: 'Kandji', apiUrl: sim.kandjiUrl('us') });
    const right = await call<TestReport>('providers.test', { id: saved.config.id });
    expect(right.ok).toBe(true);
    expect(right.steps.at(-1)?.observed).toContain(`${sim.mdm.kandji().members.length} devices`);

    const badToken = await call<{ config: { id: string } }>('providers.save', {
      kind: 'kandji',
      name: 'Kandji bad',
      apiUrl: sim.kandjiUrl(),
      apiToken: 'wrong-token-1234',
    });
    const bad = await call<TestReport>('providers.test', { id: badToken.config.id });
    expect(failing(bad)).toMatchObject({ id: 'token', code: 'kandji.token_rejected' });
    await call('providers.remove', { id: badToken.config.id });

    await call('checks.save', { name: 'Agent', providerId: saved.config.id, rule: { attribute: 'agent_installed', expected: true } });
    await call('checks.save', {
      name: 'Blueprint',
      providerId: saved.config.id,
      rule: { attribute: 'blueprint_name', accepted: ['Standard Mac', 'Engineering'] },
    });
    const poll = await call<{ outcome: string; tally: { evaluations: number } }>('posture.pollNow', { providerId: saved.config.id });
    expect(poll.outcome).toBe('succeeded');
    const rows = await call<Rows>('postureLog.query', { view: 'latest', providerIds: [saved.config.id], limit: 2000 });
    expect(rows.rows.length).toBe(sim.mdm.kandji().members.length * 2);
    // MDM-only loaners sit in the Loaners blueprint: they fail the blueprint check.
    const loaner = rows.rows.find((r) => r.serial === sim.mdm.kandji().onlySerials[0] && r.expected.startsWith('blueprint_name'));
    expect(loaner).toMatchObject({ result: 'fail', received: 'blueprint_name = Loaners' });
  });

  it('the web-app address is refused as you type, with the API URL named', async () => {
    const error = await refused('providers.save', { kind: 'kandji', name: 'K2', apiUrl: 'https://acme.clients.us-1.kandji.io', apiToken: 't' });
    expect(JSON.stringify(error)).toContain('Settings > Access');
  });
});

describe('the custom endpoint through the app', () => {
  it('scores the devices the other sources report; a wrong token fails the Test with the cause', async () => {
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'custom',
      name: 'Custom',
      url: sim.customUrl,
      auth: 'bearer',
      secret: 'wrong-bearer-token',
    });
    const wrong = await call<TestReport>('providers.test', { id: saved.config.id });
    expect(failing(wrong)).toMatchObject({ id: 'contract', code: 'custom.auth_failed' });
    await call('providers.save', {
      kind: 'custom',
      id: saved.config.id,
      name: 'Custom',
      url: sim.customUrl,
      auth: 'bearer',
      secret: sim.credentials.custom.bearerToken,
    });
    expect((await call<TestReport>('providers.test', { id: saved.config.id })).ok).toBe(true);

    await call('checks.save', { name: 'Score 60', providerId: saved.config.id, rule: { attribute: 'score', operator: '>=', value: 60 } });
    await call('checks.save', {
      name: 'Encrypted',
      providerId: saved.config.id,
      rule: { attribute: 'custom_attribute', key: 'encrypted', operator: '==', value: true },
    });
    const poll = await call<{ outcome: string; tally: { devices: number; evaluations: number } }>('posture.pollNow', { providerId: saved.config.id });
    expect(poll.outcome).toBe('succeeded');
    expect(poll.tally.devices).toBeGreaterThan(50);
    const rows = await call<Rows>('postureLog.query', { view: 'latest', providerIds: [saved.config.id], limit: 2000 });
    const score = rows.rows.filter((r) => r.expected === 'score >= 60');
    expect(score.some((r) => r.result === 'pass')).toBe(true);
    expect(score.some((r) => r.result === 'fail')).toBe(true);
    // Unscored devices fail closed by default, and say so.
    expect(score.some((r) => r.result === 'fail' && r.received?.includes('unscored'))).toBe(true);
    expect(rows.rows.some((r) => r.expected === 'encrypted == true' && r.result === 'pass')).toBe(true);
  });

  it('refuses an ordering operator on text and "none" authentication off loopback', async () => {
    const providers = await call<{ config: { id: string; kind: string } }[]>('providers.list', {});
    const custom = providers.find((p) => p.config.kind === 'custom');
    const ordering = await refused('checks.save', {
      name: 'Tier',
      providerId: custom?.config.id,
      rule: { attribute: 'custom_attribute', key: 'tier', operator: '>', value: 'gold' },
    });
    expect(JSON.stringify(ordering)).toContain('compare numbers');
    const none = await refused('providers.save', { kind: 'custom', name: 'Open', url: 'https://posture.example.com/p', auth: 'none' });
    expect(JSON.stringify(none)).toContain('loopback');
  });
});
