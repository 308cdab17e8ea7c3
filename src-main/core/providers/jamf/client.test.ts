// The Jamf Pro client against the simulator over real loopback HTTP: paging, the version fallback, the five-request
// ceiling, token renewal, and each fault turned into a named cause.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../sim/index';
import { isProviderError, type ProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createManualClock } from '../manual-clock.testkit';
import { createJamfClient } from './client';
import { jamfServerUrl } from './session';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: 3000, seed: 21, latencyMs: 5 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 2_000 });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

function jamf(extra: { clientId?: string; secret?: string; pageSize?: number; clock?: ReturnType<typeof createManualClock> } = {}) {
  return createJamfClient({
    serverUrl: `${sim.jamfUrl}/`,
    clientId: extra.clientId ?? sim.credentials.jamf.clientId,
    getSecret: async () => extra.secret ?? sim.credentials.jamf.clientSecret,
    http,
    pageSize: extra.pageSize ?? 50,
    ...(extra.clock ? { clock: extra.clock } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('Jamf Pro client', () => {
  it('keeps the server URL without /api and reads every computer of v4 with the posture sections, five pages at most in flight', async () => {
    expect(jamfServerUrl('https://acme.jamfcloud.com/api/v4/computers-inventory')).toBe('https://acme.jamfcloud.com');
    expect(jamfServerUrl('https://jss.corp.example:8443/')).toBe('https://jss.corp.example:8443');
    const members = sim.mdm.jamf().members;
    sim.resetStats();
    const read = await jamf().computers();
    expect(read.version).toBe(4);
    expect(read.computers).toHaveLength(members.length);
    expect(read.warnings).toEqual([]);
    const bySerial = new Map(read.computers.map((c) => [c.serial, c]));
    for (const m of members.slice(0, 20)) expect(bySerial.get(m.serial)?.name).toBe(m.hostname);
    const one = read.computers[0];
    expect(one).toMatchObject({ managed: expect.any(Boolean), sipStatus: expect.any(String), osVersion: expect.stringMatching(/^\d+\.\d+/) });
    expect(one?.lastContact).toEqual(expect.any(Number));
    expect(sim.stats().byRoute['GET /jamf/api/v4/computers-inventory']).toBe(Math.ceil(members.length / 50));
    expect(sim.stats().peakConcurrency.jamf).toBeLessThanOrEqual(5);
    expect(sim.stats().peakConcurrency.jamf).toBeGreaterThan(1);
  });

  it('falls back to v3 on an old server (404 on v4), remembers it, and warns', async () => {
    sim.setFaults('jamf_old_server:3');
    const client = jamf();
    const read = await client.computers();
    expect(read.version).toBe(3);
    expect(read.computers.length).toBe(sim.mdm.jamf().members.length);
    // lastContactTime (v3) is read as the last contact too.
    expect(read.computers.every((c) => c.lastContact !== null)).toBe(true);
    expect(read.warnings.join(' ')).toContain('deprecated v3');
    sim.resetStats();
    await client.computers();
    expect(sim.stats().byRoute['GET /jamf/api/v4/computers-inventory']).toBeUndefined();
  });

  it('renews a token Jamf calls invalid and retries once', async () => {
    const client = jamf();
    await client.authenticate();
    sim.resetStats();
    sim.setFaults('jamf_token_expired:count=1');
    const read = await client.computers();
    expect(read.computers.length).toBe(sim.mdm.jamf().members.length);
    expect(sim.stats().jamfTokensIssued).toBe(1);
  });

  it('renews the token before it expires (599 s) rather than after', async () => {
    const clock = createManualClock(Date.now());
    const client = jamf({ clock, pageSize: 2000 });
    sim.resetStats();
    await client.computers();
    clock.advance(500_000);
    await client.computers();
    expect(sim.stats().jamfTokensIssued).toBe(1);
    clock.advance(60_000);
    await client.computers();
    expect(sim.stats().jamfTokensIssued).toBe(2);
  });

  it('names a wrong secret, a role without Read Computers, and a URL that is not Jamf', async () => {
    const bad = await failure(jamf({ secret: 'not-the-secret-7f3e' }).authenticate());
    expect(bad.diagnosis.code).toBe('jamf.bad_client');
    expect(bad.diagnosis.fix).toContain('API Clients');
    expect(JSON.stringify(bad.diagnosis)).not.toContain('not-the-secret-7f3e');
    sim.addJamfClient({ clientId: 'roleless', clientSecret: 'roleless-secret', privileges: [] });
    const denied = await failure(jamf({ clientId: 'roleless', secret: 'roleless-secret' }).computers());
    expect(denied.diagnosis.code).toBe('jamf.role_missing');
    expect(denied.diagnosis.fix).toContain('Read Computers');
    const wrongUrl = createJamfClient({ serverUrl: `${sim.url}/nope`, clientId: 'x', getSecret: async () => 'y', http });
    expect((await failure(wrongUrl.authenticate())).diagnosis.code).toBe('jamf.not_jamf');
  });

  it('rides out a 429 storm and re-asks pages that came back short', async () => {
    // At most four 429s in all, so no one request can spend its five attempts on them, whatever the interleaving.
    sim.setFaults('rate_limit:/api/v4:count=4');
    const stormy = await jamf().computers();
    expect(stormy.computers.length).toBe(sim.mdm.jamf().members.length);
    sim.setFaults('truncated_page:/api/v4:count=2');
    const cut = await jamf().computers();
    expect(cut.computers.length).toBe(sim.mdm.jamf().members.length);
    expect(cut.warnings).toEqual([]);
  });

  it('keeps an unreadable computer with an id as a device, and sets aside one without', async () => {
    sim.rewriteAnswers(({ path, body }) => {
      if (!path.includes('computers-inventory')) return undefined;
      const page = body as { results: Record<string, unknown>[] };
      if (!page.results[0] || page.results[0].id !== '1') return undefined;
      page.results[0] = { ...page.results[0], general: 'garbage' };
      page.results[1] = { ...page.results[1], id: '' };
      return { json: page };
    });
    try {
      const read = await jamf().computers();
      expect(read.unreadable.map((u) => u.id)).toEqual(['1', null]);
      expect(read.unreadable[0]?.reason).toContain('Jamf Pro sent an unreadable computer record');
      expect(read.computers.find((c) => c.id === '1')?.serial).toBe(sim.mdm.jamf().members[0]?.serial);
    } finally {
      sim.rewriteAnswers(null);
    }
  });

  it('a token answer with a lifetime that is no lifetime (negative) is used and renewed soon, not refused', async () => {
    sim.rewriteAnswers(({ path, body }) => (path.endsWith('/oauth/token') ? { json: { ...(body as object), expires_in: -817 } } : undefined));
    try {
      const read = await jamf().computers();
      expect(read.computers.length).toBe(sim.mdm.jamf().members.length);
    } finally {
      sim.rewriteAnswers(null);
    }
  });
});
