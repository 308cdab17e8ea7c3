// Host enrichment through the Hosts API (simulator): the seed mapping, a custom mapping, rejected mappings,
// host CIs keyed by device id, and a missing Hosts scope that keeps the incident and says what to fix.
import { afterEach, describe, expect, it } from 'vitest';
import { seedEnrichmentMapping } from '../../../src-shared/schemas/incidents';
import { createFalconClient } from '../providers/crowdstrike/client';
import { mapHost, readHostPath } from './enrichment';
import { allIncidents, startHarness, type Harness } from './test-harness.testkit';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

function hostRecord(h: Harness, deviceId: string) {
  const client = createFalconClient({
    baseUrl: h.sim.url,
    clientId: h.sim.credentials.falcon.clientId,
    getSecret: async () => h.sim.credentials.falcon.clientSecret,
    http: h.http,
  });
  return client.hosts.details([deviceId]).then(([host]) => host);
}

describe('mapping', () => {
  it('defaults to the StackFlow enrichment_fields exactly', async () => {
    const h = await start();
    expect(await h.service().getEnrichmentMapping()).toEqual({
      hostname: 'device.hostname',
      platform: 'device.platform_name',
      os_version: 'device.os_version',
      local_ip: 'device.local_ip',
      external_ip: 'device.external_ip',
      last_seen: 'device.last_seen',
      containment_status: 'device.status',
      tags: 'device.tags',
      groups: 'device.groups',
    });
  });

  it('reads dotted paths from the host record, missing steps as null', () => {
    const device = { hostname: 'WS-1', tags: ['FalconGroupingTags/Prod'], policies: { prevention: { id: 'p1' } }, empty: null };
    expect(readHostPath(device, 'device.hostname')).toBe('WS-1');
    expect(readHostPath(device, 'device.policies.prevention.id')).toBe('p1');
    expect(readHostPath(device, 'device.hostname.length')).toBeNull();
    expect(readHostPath(device, 'device.nothing')).toBeNull();
    expect(readHostPath(device, 'device.empty')).toBeNull();
    expect(mapHost(device, { tags: 'device.tags', name: 'device.hostname' })).toEqual({ tags: ['FalconGroupingTags/Prod'], name: 'WS-1' });
  });

  it.each([
    [{ hostname: 'hostname' }, 'hostname', 'starting with device.'],
    [{ hostname: 'devices.hostname' }, 'hostname', 'starting with device.'],
    [{ hostname: 'device.' }, 'hostname', 'starting with device.'],
    [{ hostname: 'device..hostname' }, 'hostname', 'starting with device.'],
    [{ 'Host Name': 'device.hostname' }, 'Host Name', 'not a usable field name'],
    [{}, '(root)', 'at least one field'],
  ])('rejects %j with a message on the field, and keeps the saved mapping', async (mapping, path, message) => {
    const h = await start();
    const service = h.service();
    await service.setEnrichmentMapping({ hostname: 'device.hostname' });
    const error = await service.setEnrichmentMapping(mapping).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input', issues: [{ path, message: expect.stringContaining(message) }] });
    expect(await service.getEnrichmentMapping()).toEqual({ hostname: 'device.hostname' });
  });
});

describe('enrichment of new incidents', () => {
  it('fills the seed fields from the Hosts API and upserts the host CI keyed by device id', async () => {
    const h = await start();
    const service = h.service();
    const [added] = h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    const deviceId = added?.device.device_id ?? '';
    const host = await hostRecord(h, deviceId);
    expect(host).toBeDefined();
    const detail = await service.getIncident('INC0000001');
    const expected = Object.fromEntries(Object.entries(seedEnrichmentMapping).map(([field, path]) => [field, host?.[path.slice('device.'.length)] ?? null]));
    expect(detail.enrichment).toMatchObject({ state: 'done', fields: expected, problem: null });
    expect(detail.host).toMatchObject({ deviceId, integrationId: h.config.id, fields: expected });
    expect(detail.hostDeviceId).toBe(deviceId);
    expect(detail.timeline.map((e) => e.kind)).toEqual(['created', 'enrichment']);
    expect(detail.timeline[1]?.message).toContain(`host CI ${deviceId}`);
  });

  it('uses a custom mapping, and one host CI serves every incident on that host', async () => {
    const h = await start();
    const service = h.service();
    await service.setEnrichmentMapping({
      host: 'device.hostname',
      serial: 'device.serial_number',
      product: 'device.product_type_desc',
      nothing: 'device.no_such_field',
    });
    const [first] = h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    const deviceId = first?.device.device_id ?? '';
    const host = await hostRecord(h, deviceId);
    const [incident] = await allIncidents(h.repository);
    expect(incident?.enrichment.fields).toEqual({
      host: host?.hostname,
      serial: host?.serial_number ?? null,
      product: host?.product_type_desc ?? null,
      nothing: null,
    });
    const ci = await h.repository.hostCi(deviceId);
    expect(ci?.fields).toEqual(incident?.enrichment.fields);
  });

  it('without the Hosts scope still creates the incident and records the StackFlow troubleshooting fix', async () => {
    const h = await start();
    const limited = h.limitedClient(['alerts:read', 'ioc:read', 'ioc:write']);
    const service = h.service({ clientId: limited.clientId, clientSecret: limited.clientSecret });
    h.sim.addAlerts(2, { severity: 90 });
    const batch = await service.pollNow(h.config.id);
    expect(batch.incidentsCreated).toBe(2);
    for (const incident of await allIncidents(h.repository)) {
      const detail = await service.getIncident(incident.number);
      expect(detail.enrichment).toMatchObject({ state: 'failed', problem: { code: 'falcon.scope_missing' } });
      expect(detail.host).toBeNull();
      expect(detail.timeline.at(-1)).toMatchObject({
        kind: 'enrichment_failed',
        message: 'Host enrichment failing: Hosts scope not granted — Add Hosts:Read scope to the Falcon API client',
      });
    }
    const [status] = await service.pollerStatus();
    expect(status?.lastError).toBeNull();
  });

  it('can be retried once the scope is granted', async () => {
    const h = await start();
    const limited = h.limitedClient(['alerts:read']);
    h.sim.addAlerts(1, { severity: 90 });
    await h.service({ clientId: limited.clientId, clientSecret: limited.clientSecret }).pollNow(h.config.id);
    const retried = await h.service().retryEnrichment('INC0000001');
    expect(retried.enrichment.state).toBe('done');
  });

  it('is skipped, without a Hosts API call, when the integration has host enrichment off', async () => {
    const h = await start();
    const service = h.service({ config: { hostEnrichment: false } });
    h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    const detail = await service.getIncident('INC0000001');
    expect(detail.enrichment.state).toBe('skipped');
    expect(h.sim.stats().byRoute['POST /devices/entities/devices/v2']).toBeUndefined();
  });
});
