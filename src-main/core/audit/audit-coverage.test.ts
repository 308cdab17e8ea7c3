// Every acting contract channel (src-shared/channel-effects.ts) appends exactly one audit entry, with the caller the
// transport named; reading channels append none and change no setting or secret. The list comes from the contract:
// a new channel must be classified (typecheck), and a new acting channel is called here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../sim';
import { actingChannels, channelEffects } from '../../../src-shared/channel-effects';
import { contract, type Channel } from '../../../src-shared/contract';
import { dispatch } from '../../../src-shared/dispatch';
import { REDACTED, type AuditEntry, type CallContext } from '../../../src-shared/schemas/audit';
import type { App } from '../app';
import { startApp } from '../../reliability/harness';
import { sampleRequests, type SampleIds } from '../../reliability/samples';

const SECRET = `AuditTrapSecret${'9'.repeat(20)}Qzvx`;
const S1_TOKEN = `AuditTrapToken${'7'.repeat(20)}Wkpl`;
const WEB: CallContext = { surface: 'web', session: 'web-0123456789ab' };

let sim: Simulator;
let app: App;
let dir: string;
let close: () => Promise<void>;
let ids: SampleIds;

async function invoke(channel: Channel, req: unknown, context: CallContext = WEB): Promise<unknown> {
  const envelope = await dispatch(app.handlers, channel, req, undefined, context);
  return envelope.ok ? envelope.value : undefined;
}
const must = async <T>(channel: Channel, req: unknown): Promise<T> => {
  const envelope = await dispatch(app.handlers, channel, req, undefined, WEB);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as T;
};
const newest = async (): Promise<{ total: number; entry: AuditEntry | undefined }> => {
  const page = await app.audit.query({ limit: 1 });
  return { total: page.total, entry: page.entries[0] };
};

beforeAll(async () => {
  sim = await startSimulator({ devices: 30, seed: 7, alerts: 0 });
  const clientId = 'a'.repeat(32);
  sim.addFalconClient({
    clientId,
    clientSecret: SECRET,
    scopes: ['zero-trust-assessment:read', 'devices:read', 'devices:write', 'alerts:read', 'alerts:write', 'ioc:read', 'ioc:write'],
  });
  sim.addSentinelOneToken({ token: S1_TOKEN });
  ({ app, dir, close } = await startApp({ host: 'web' }));
  const falcon = { clientId, clientSecret: SECRET, region: 'custom', baseUrl: sim.url };
  const zta = await must<{ config: { id: string } }>('providers.save', {
    kind: 'crowdstrike-zta',
    name: 'ZTA',
    customerId: sim.credentials.falcon.customerId,
    ...falcon,
  });
  const detections = await must<{ config: { id: string } }>('providers.save', { kind: 'crowdstrike-falcon-incidents', name: 'Detections', ...falcon });
  const check = await must<{ id: string }>('checks.save', {
    name: 'ZTA 60',
    providerId: zta.config.id,
    rule: { attribute: 'overall', operator: '>=', value: 60 },
  });
  await must('posture.pollNow', { providerId: zta.config.id });
  sim.addAlerts(3, { severity: 95 });
  await must('incidents.pollNow', { integrationId: detections.config.id });
  const incidents = await must<{ items: { number: string }[] }>('incidents.list', {});
  const pushed = await must<{ ioc: { id: string } }>('iocs.push', {
    integrationId: detections.config.id,
    actor: 'tester',
    input: { type: 'domain', value: 'audit.example', action: 'detect', severity: 'high', platforms: ['windows'], expiration_days: 10 },
  });
  const devices = await must<{ items: { key: string }[] }>('devices.list', { limit: 1 });
  const sink = await must<{ config: { id: string } }>('sinks.save', { kind: 'syslog', name: 'Audit syslog', host: '127.0.0.1', port: 9, transport: 'tcp' });
  ids = {
    providerId: zta.config.id,
    integrationId: detections.config.id,
    checkId: check.id,
    incidentNumber: incidents.items[0]!.number,
    iocId: pushed.ioc.id,
    deviceKey: devices.items[0]!.key,
    exportId: 'none',
    userId: 'user-1',
    sinkId: sink.config.id,
  };
}, 60_000);

afterAll(async () => {
  await close();
  await sim.close();
});

describe('audit coverage', () => {
  it('classifies every contract channel, and the acting ones include every kind of admin action the trail promises', () => {
    expect(Object.keys(channelEffects).sort()).toEqual(Object.keys(contract).sort());
    for (const channel of [
      'providers.save',
      'providers.remove',
      'providers.test',
      'checks.save',
      'checks.remove',
      'rules.save',
      'incidents.containment',
      'iocs.push',
      'iocs.delete',
      'incidents.changeState',
      'users.reset',
      'settings.update',
      'preferences.update',
      'config.import',
    ])
      expect(actingChannels).toContain(channel);
  });

  it('appends exactly one entry for each acting channel, with the web host session as the actor', async () => {
    const samples = sampleRequests(ids);
    const seen: string[] = [];
    // Removals last, on a provider made for it.
    const order = [...actingChannels.filter((c) => c !== 'providers.remove' && c !== 'sinks.remove'), 'providers.remove' as const, 'sinks.remove' as const];
    for (const channel of order) {
      let req = samples[channel];
      if (channel === 'providers.remove')
        req = {
          id: ((await must('providers.save', { kind: 'sentinelone', name: 'Throwaway', apiUrl: sim.url, apiToken: S1_TOKEN })) as { config: { id: string } })
            .config.id,
        };
      if (channel === 'sinks.remove')
        req = {
          id: (await must<{ config: { id: string } }>('sinks.save', { kind: 'syslog', name: 'Throwaway sink', host: '127.0.0.1', port: 9, transport: 'tcp' }))
            .config.id,
        };
      if (channel === 'config.import') req = { text: (await must<{ text: string }>('config.export', {})).text };
      expect(req, `a sample request for ${channel}`).toBeDefined();
      const before = await newest();
      await invoke(channel, req);
      const after = await newest();
      expect(after.total - before.total, `entries appended by ${channel}`).toBe(1);
      expect(after.entry).toMatchObject({ channel, actor: { surface: 'web', session: WEB.session, osUser: expect.any(String) } });
      seen.push(channel);
    }
    expect(seen.sort()).toEqual([...actingChannels].sort());
  }, 120_000);

  it('appends nothing for a reading channel, and a reading channel changes no setting or secret', async () => {
    const samples = sampleRequests(ids);
    const files = () => ['settings.json', 'vault.json'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const channel of (Object.keys(channelEffects) as Channel[]).filter((c) => channelEffects[c] === 'reads')) {
      const before = await newest();
      const state = files();
      await invoke(channel, samples[channel] ?? {});
      expect((await newest()).total, `entries appended by ${channel}`).toBe(before.total);
      expect(files(), `settings or vault changed by ${channel}`).toBe(state);
    }
  }, 60_000);

  it('records a provider edit field by field and a replaced secret only as replaced', async () => {
    const saved = await must<{ config: { id: string } }>('providers.save', { kind: 'sentinelone', name: 'S1 audit', apiUrl: sim.url, apiToken: S1_TOKEN });
    let { entry } = await newest();
    expect(entry).toMatchObject({ action: 'provider.added', target: { kind: 'provider', id: saved.config.id, name: 'S1 audit' } });
    expect(entry!.changes).toContainEqual({ field: 'apiToken', before: null, after: REDACTED });

    await must('providers.save', { id: saved.config.id, kind: 'sentinelone', name: 'S1 renamed', apiUrl: sim.url });
    ({ entry } = await newest());
    expect(entry).toMatchObject({ action: 'provider.edited', changes: [{ field: 'name', before: 'S1 audit', after: 'S1 renamed' }] });

    await must('providers.save', { id: saved.config.id, kind: 'sentinelone', name: 'S1 renamed', apiUrl: sim.url, apiToken: `${S1_TOKEN}2` });
    ({ entry } = await newest());
    expect(entry).toMatchObject({ action: 'secret.replaced', changes: [{ field: 'apiToken', before: REDACTED, after: REDACTED }] });

    const all = JSON.stringify(await app.audit.all({})) + (await app.audit.exportCsv({}));
    expect(all).not.toContain(S1_TOKEN);
    expect(all).not.toContain(SECRET);
  });

  it('records a refused action as failed, with its error and still one entry', async () => {
    const before = await newest();
    await invoke('checks.remove', { id: 'no-such-check' });
    await invoke('incidents.changeState', { number: 'INC9999999', to: 'resolved', actor: 'tester' });
    const page = await app.audit.query({ limit: 2 });
    expect(page.total - before.total).toBe(2);
    expect(page.entries[0]).toMatchObject({
      channel: 'incidents.changeState',
      outcome: 'failed',
      error: { code: expect.any(String) },
      actor: { claimed: 'tester' },
    });
  });

  it('takes the surface from the transport: desktop over IPC, the CLI with its command', async () => {
    await invoke('settings.update', { theme: 'light' }, { surface: 'desktop' });
    expect((await newest()).entry).toMatchObject({
      actor: { surface: 'desktop', session: null },
      action: 'settings.changed',
      changes: [{ field: 'theme', after: 'light' }],
    });
    await invoke('posture.pause', {}, { surface: 'cli', command: 'poll' });
    expect((await newest()).entry).toMatchObject({ actor: { surface: 'cli', command: 'poll' } });
  });

  it('emits each appended entry on the event bus for forwarding, and the chain verifies after all of it', async () => {
    const seen: AuditEntry[] = [];
    const stop = app.events.listen((event, payload) => {
      if (event === 'audit.appended') seen.push(payload as AuditEntry);
    });
    await invoke('posture.resume', {});
    stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual((await newest()).entry);
    expect(await app.audit.verify()).toMatchObject({ ok: true, broken: null, keyProtected: true });
  });
});
