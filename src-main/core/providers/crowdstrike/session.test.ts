// Session rules that need real Falcon host names, checked with a scripted transport (no network).
import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import { createManualClock, type ManualClock } from '../manual-clock.testkit';
import { createFalconClient } from './client';
import type { DiscoveredRegion } from './regions';

type Script = (req: HttpRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

function scripted(clock: ManualClock, script: Script): { http: HttpClient; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  const http: HttpClient = {
    clock,
    clockSkewMs: () => 0,
    close: async () => {},
    async request(req): Promise<HttpResponse> {
      sent.push(req);
      const { status, body, headers = {} } = script(req);
      return {
        status,
        body,
        headers,
        text: JSON.stringify(body ?? ''),
        url: req.url,
        serverDate: clock.now(),
        receivedAt: clock.now(),
        elapsedMs: 1,
        attempts: 1,
        redact: (t) => t,
      };
    },
  };
  return { http, sent };
}

const scrollAnswer = { status: 200, body: { meta: { pagination: { total: 42, offset: '' } }, resources: [], errors: [] } };

describe('Falcon session', () => {
  it('a 201 from us-1 naming us-2 in X-Cs-Region moves to us-2 and revokes the us-1 token there', async () => {
    const clock = createManualClock();
    const { http, sent } = scripted(clock, (req) => {
      const host = new URL(req.url).host;
      if (req.url.endsWith('/oauth2/token'))
        return { status: 201, body: { access_token: `tok-${host}`, expires_in: 1799 }, headers: { 'x-cs-region': 'us-2' } };
      if (req.url.endsWith('/oauth2/revoke')) return { status: 200, body: { meta: {}, errors: [] } };
      return scrollAnswer;
    });
    const found: DiscoveredRegion[] = [];
    const client = createFalconClient({
      region: 'us-1',
      clientId: 'a'.repeat(32),
      getSecret: async () => 's3cret',
      http,
      onRegionDiscovered: (d) => void found.push(d),
    });
    expect(await client.hosts.count()).toBe(42);
    expect(found).toEqual([{ region: 'us-2', reported: 'us-2', baseUrl: 'https://api.us-2.crowdstrike.com', previousBaseUrl: 'https://api.crowdstrike.com' }]);
    const revoke = sent.find((r) => r.url.endsWith('/oauth2/revoke'));
    expect(revoke?.url).toBe('https://api.crowdstrike.com/oauth2/revoke');
    expect(revoke?.form?.token).toBe('tok-api.crowdstrike.com');
    const api = sent.filter((r) => r.url.includes('/devices/'));
    expect(api.map((r) => r.headers?.authorization)).toEqual(['Bearer tok-api.us-2.crowdstrike.com']);
  });

  it('renews the token 120 s before it expires, not after', async () => {
    const clock = createManualClock();
    let issued = 0;
    const { http } = scripted(clock, (req) => {
      if (req.url.endsWith('/oauth2/token'))
        return { status: 201, body: { access_token: `tok-${++issued}`, expires_in: 1799 }, headers: { 'x-cs-region': 'eu-1' } };
      return scrollAnswer;
    });
    const client = createFalconClient({ region: 'eu-1', clientId: 'a'.repeat(32), getSecret: async () => 's3cret', http });
    await client.hosts.count();
    clock.advance(1_600_000);
    await client.hosts.count();
    expect(issued).toBe(1);
    clock.advance(80_000); // 119 s left
    await client.hosts.count();
    expect(issued).toBe(2);
  });

  it('a second 401 after re-authenticating is reported, not looped on', async () => {
    const clock = createManualClock();
    let tokens = 0;
    const { http } = scripted(clock, (req) => {
      if (req.url.endsWith('/oauth2/token')) return { status: 201, body: { access_token: `tok-${++tokens}`, expires_in: 1799 } };
      return { status: 401, body: { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] } };
    });
    const client = createFalconClient({ region: 'us-1', clientId: 'a'.repeat(32), getSecret: async () => 's3cret', http });
    await expect(client.hosts.count()).rejects.toMatchObject({ code: 'falcon.token_rejected' });
    expect(tokens).toBe(2);
  });

  it('never moves to GovCloud on its own, even when X-Cs-Region names it', async () => {
    const clock = createManualClock();
    const { http, sent } = scripted(clock, (req) =>
      req.url.endsWith('/oauth2/token') ? { status: 201, body: { access_token: 't', expires_in: 1799 }, headers: { 'x-cs-region': 'us-gov-1' } } : scrollAnswer,
    );
    const client = createFalconClient({ region: 'us-1', clientId: 'a'.repeat(32), getSecret: async () => 's3cret', http });
    await client.hosts.count();
    expect(new Set(sent.map((r) => new URL(r.url).host))).toEqual(new Set(['api.crowdstrike.com']));
    expect(client.regionState()).toMatchObject({ region: 'us-1', reported: 'us-gov-1' });
  });
});
