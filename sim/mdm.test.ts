// The Jamf Pro, Kandji and custom-endpoint surfaces over the shared fleet: wire shapes, paging, auth and faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index';
import { bearer, call } from './wire-client.testkit';

interface JamfComputer {
  id: string;
  general: Record<string, unknown>;
  hardware: Record<string, unknown>;
  security: unknown;
}

interface JamfPage {
  totalCount: number;
  results: JamfComputer[];
}

describe('MDM and custom surfaces', () => {
  let sim: Simulator;
  const clock = Date.parse('2026-11-25T12:00:00Z');
  const jamfToken = async (client = sim.credentials.jamf) => {
    const res = await call<{ access_token: string; expires_in: number }>(`${sim.jamfUrl}/api/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
    });
    return res;
  };

  beforeAll(async () => {
    sim = await startSimulator({ devices: 400, seed: 11, now: () => clock });
  });
  afterAll(() => sim.close());

  it('Jamf and Kandji manage most of the fleet Macs, not all, and know a few machines the EDR does not', () => {
    const macs = sim.fleet.devices.filter((d) => d.platform_name === 'Mac');
    for (const mdm of [sim.mdm.jamf(), sim.mdm.kandji()]) {
      const fromFleet = mdm.members.filter((m) => m.fleetIndex !== null).length;
      expect(fromFleet).toBeLessThan(macs.length);
      expect(fromFleet).toBeGreaterThan(macs.length * 0.7);
      expect(mdm.missingSerials.length).toBeGreaterThan(0);
      expect(mdm.onlySerials.length).toBeGreaterThanOrEqual(2);
      const fleetSerials = new Set(sim.fleet.devices.map((d) => d.serial_number));
      for (const s of mdm.onlySerials) expect(fleetSerials.has(s)).toBe(false);
      for (const s of mdm.missingSerials) expect(mdm.members.some((m) => m.serial === s)).toBe(false);
    }
    // Each MDM leaves out its own Macs.
    expect(sim.mdm.jamf().missingSerials).not.toEqual(sim.mdm.kandji().missingSerials);
  });

  it('Jamf: token, v4 pages with the sections asked for (others null), v3 spells lastContactTime', async () => {
    const token = await jamfToken();
    expect(token.status).toBe(200);
    expect(token.json.expires_in).toBe(599);
    const auth = bearer(token.json.access_token);
    const url = `${sim.jamfUrl}/api/v4/computers-inventory?section=GENERAL&section=HARDWARE&page=0&page-size=50&sort=id:asc`;
    const page = await call<JamfPage>(url, { headers: auth });
    expect(page.status).toBe(200);
    expect(page.json.totalCount).toBe(sim.mdm.jamf().members.length);
    expect(page.json.results).toHaveLength(50);
    const first = page.json.results[0] as JamfComputer;
    expect(first.id).toBe('1');
    expect(first.hardware.serialNumber).toBe(sim.mdm.jamf().members[0]?.serial);
    expect(first.security).toBeNull();
    expect(first.general.lastContact).toEqual(expect.stringMatching(/\.\d{3}Z$/));
    const v3 = await call<JamfPage>(url.replace('/v4/', '/v3/'), { headers: auth });
    expect(v3.json.results[0]?.general.lastContactTime).toBe(first.general.lastContact);
    expect(v3.json.results[0]?.general).not.toHaveProperty('lastCheckIn');
  });

  it('Jamf: bad secret 401 invalid_client, no Read Computers 403, old server 404 on v4, expired token 401 INVALID_TOKEN', async () => {
    const bad = await jamfToken({ ...sim.credentials.jamf, clientSecret: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: 'invalid_client' });
    sim.addJamfClient({ clientId: 'no-role', clientSecret: 'secret', privileges: [] });
    const roleless = bearer((await jamfToken({ clientId: 'no-role', clientSecret: 'secret' })).json.access_token);
    const inventory = `${sim.jamfUrl}/api/v4/computers-inventory?page-size=1`;
    const denied = await call<{ httpStatus: number; errors: { code: string }[] }>(inventory, { headers: roleless });
    expect(denied.status).toBe(403);
    expect(denied.json.httpStatus).toBe(403);
    const auth = bearer((await jamfToken()).json.access_token);
    sim.setFaults('jamf_old_server:3');
    expect((await call(inventory, { headers: auth })).status).toBe(404);
    expect((await call(inventory.replace('/v4/', '/v3/'), { headers: auth })).status).toBe(200);
    sim.setFaults('jamf_token_expired:count=1');
    const expired = await call<{ errors: { code: string }[] }>(inventory, { headers: auth });
    expect(expired.status).toBe(401);
    expect(expired.json.errors[0]?.code).toBe('INVALID_TOKEN');
    expect((await call(inventory, { headers: auth })).status).toBe(200);
    sim.clearFaults();
  });

  it('Kandji: a bare array capped at 300, the end is a short page; the other region 404s; bad token 401', async () => {
    const auth = bearer(sim.credentials.kandji.apiToken);
    const total = sim.mdm.kandji().members.length;
    const first = await call<unknown[]>(`${sim.kandjiUrl()}/api/v1/devices?limit=500&offset=0`, { headers: auth });
    expect(Array.isArray(first.json)).toBe(true);
    expect(first.json.length).toBe(Math.min(300, total));
    const last = await call<unknown[]>(`${sim.kandjiUrl()}/api/v1/devices?limit=300&offset=${total - 3}`, { headers: auth });
    expect(last.json).toHaveLength(3);
    const eu = await call(`${sim.kandjiUrl('eu')}/api/v1/devices?limit=1`, { headers: auth });
    expect(eu.status).toBe(404);
    expect(eu.text).toContain('<title>Not Found</title>');
    expect((await call(`${sim.kandjiUrl()}/api/v1/devices?limit=1`, { headers: bearer('nope') })).status).toBe(401);
    sim.setFaults('kandji_eu_host');
    expect((await call(`${sim.kandjiUrl('eu')}/api/v1/devices?limit=1`, { headers: auth })).status).toBe(200);
    expect((await call(`${sim.kandjiUrl('us')}/api/v1/devices?limit=1`, { headers: auth })).status).toBe(404);
    sim.clearFaults();
  });

  it('custom: scores keyed by the device ids sent, unknown serials left out, auth by bearer or Access token', async () => {
    const devices = sim.fleet.devices.slice(0, 40).map((d, i) => ({
      device_id: `pc-${i}`,
      serial_number: d.serial_number ?? '',
      hostname: d.hostname,
      mac_address: '',
      email: '',
      virtual_ipv4: '',
    }));
    const res = await call<{ result: Record<string, { score: number; s2s_id: string }> }>(sim.customUrl, {
      headers: bearer(sim.credentials.custom.bearerToken),
      json: { devices },
    });
    expect(res.status).toBe(200);
    const ids = Object.keys(res.json.result);
    expect(ids.length).toBeGreaterThan(25);
    expect(ids.length).toBeLessThan(40);
    for (const id of ids) expect(res.json.result[id]?.score).toSatisfy((s: number) => Number.isInteger(s) && s >= 0 && s <= 100);
    const access = await call(sim.customUrl, {
      headers: { 'cf-access-client-id': sim.credentials.custom.accessClientId, 'cf-access-client-secret': sim.credentials.custom.accessClientSecret },
      json: { devices: [] },
    });
    expect(access.json).toEqual({ result: {} });
    expect((await call(sim.customUrl, { json: { devices: [] } })).status).toBe(401);
    expect((await call(sim.customOpenUrl, { json: { devices: [] } })).status).toBe(200);
    sim.setFaults('custom_access_login');
    const login = await call(sim.customOpenUrl, { json: { devices: [] } });
    expect(login.status).toBe(200);
    expect(login.text).toContain('Cloudflare Access');
    sim.clearFaults();
  });
});
