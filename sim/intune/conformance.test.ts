// The Intune simulator speaks Graph's managedDevices spec: its pages and its errors validate (ajv) against
// shared/specs/intune-graph-managed-devices-v1.0.json, excusing only what sim/spec/exceptions.ts lists.
import { afterEach, describe, expect, it } from 'vitest';
import { checkResponse } from '../spec/validate';
import { startIntuneSimulator, type IntuneSimulator } from './server';

let sim: IntuneSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function token(s: IntuneSimulator): Promise<string> {
  const res = await fetch(`${s.url}/${s.credentials.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: s.credentials.clientId,
      client_secret: s.credentials.clientSecret,
      scope: `${s.url}/.default`,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const PATH = '/v1.0/deviceManagement/managedDevices';

async function judged(url: string, bearer: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  const body: unknown = await res.json();
  return { status: res.status, body, verdict: checkResponse('intune', 'GET', PATH, res.status, body) };
}

describe('Intune simulator against the Graph spec', () => {
  it('every page of the device list (with and without $select) conforms', async () => {
    sim = await startIntuneSimulator({ devices: 120, seed: 3, pageSize: 40 });
    const bearer = await token(sim);
    for (const query of ['?$count=true', `?$select=id,deviceName,serialNumber,complianceState,isEncrypted,lastSyncDateTime`]) {
      let next: string | undefined = `${sim.url}${PATH}${query}`;
      let pages = 0;
      while (next) {
        const { status, body, verdict } = await judged(next, bearer);
        expect(status).toBe(200);
        expect(verdict.problems).toEqual([]);
        next = (body as { '@odata.nextLink'?: string })['@odata.nextLink'];
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
    }
  });

  it('a record the spec would refuse is caught by the judge (it can fail)', () => {
    const verdict = checkResponse('intune', 'GET', PATH, 200, { value: [{ '@odata.type': '#microsoft.graph.managedDevice', id: 'x', isEncrypted: 'yes' }] });
    expect(verdict.ok).toBe(false);
  });

  it('its 403 (missing consent), 429 and 401 answers are Graph error envelopes', async () => {
    sim = await startIntuneSimulator({ devices: 20, seed: 3, faults: { missingConsent: true } });
    const forbidden = await judged(`${sim.url}${PATH}`, await token(sim));
    expect(forbidden.status).toBe(403);
    expect(forbidden.verdict.problems).toEqual([]);
    const unauthorized = await judged(`${sim.url}${PATH}`, 'not-a-token');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.verdict.problems).toEqual([]);
    sim.faults.missingConsent = false;
    sim.faults.throttle = { every: 1 };
    const throttled = await judged(`${sim.url}${PATH}`, await token(sim));
    expect(throttled.status).toBe(429);
    expect(throttled.verdict.problems).toEqual([]);
  });
});
