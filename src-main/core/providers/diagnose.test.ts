// The one-click Test against the simulator: every layer, every fault, the admin's cause and fix.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../sim/index';
import type { FalconRegion, ProviderConfig, TestReport, TestStep } from '../../../src-shared/schemas/providers';
import { TestReport as TestReportSchema } from '../../../src-shared/schemas/providers';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { createFalconClient } from './crowdstrike/client';
import { testProvider } from './diagnose';
import { isProviderError } from './diagnosis';
import { createHttp, type HttpClient, type HttpRequest } from './http';
import { createManualClock } from './manual-clock.testkit';
import { createSentinelOneClient } from './sentinelone/client';
import { hasOpenssl, selfSignedCertificate } from './tls-fixture.testkit';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

let sim: Sim;
let http: HttpClient;
const extraServers: Server[] = [];

beforeAll(async () => {
  sim = await startSimulator({ devices: 1500, seed: 3 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 3 }, headersTimeoutMs: 800, bodyTimeoutMs: 800 });
});
afterAll(async () => {
  await http.close();
  await sim.close();
  for (const s of extraServers) {
    s.closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
});
afterEach(() => sim.clearFaults());

const zta = (overrides: Partial<Extract<ProviderConfig, { kind: 'crowdstrike-zta' }>> = {}): ProviderConfig => ({
  kind: 'crowdstrike-zta',
  id: 'p-zta',
  name: 'Falcon ZTA',
  clientId: sim.credentials.falcon.clientId,
  customerId: sim.credentials.falcon.customerId,
  pollInterval: '1h',
  region: 'custom',
  baseUrl: sim.url,
  ...overrides,
});

const incidents = (overrides: Partial<Extract<ProviderConfig, { kind: 'crowdstrike-falcon-incidents' }>> = {}): ProviderConfig => ({
  kind: 'crowdstrike-falcon-incidents',
  id: 'p-inc',
  name: 'Falcon incidents',
  clientId: sim.credentials.falcon.clientId,
  pollInterval: '5m',
  hostEnrichment: true,
  iocPushOnResolve: false,
  region: 'custom',
  baseUrl: sim.url,
  ...overrides,
});

const sentinelOne = (apiUrl = sim.url): ProviderConfig => ({ kind: 'sentinelone', id: 'p-s1', name: 'S1', apiUrl, pollInterval: '1h' });

interface Run {
  report: TestReport;
  events: TestStep[];
  regions: FalconRegion[];
}

async function run(config: ProviderConfig, options: { secret?: string; http?: HttpClient; clock?: Clock } = {}): Promise<Run> {
  const events: TestStep[] = [];
  const regions: FalconRegion[] = [];
  const secret = options.secret ?? (config.kind === 'sentinelone' ? sim.credentials.sentinelOne.apiToken : sim.credentials.falcon.clientSecret);
  const report = await testProvider(config, {
    getSecret: async () => secret,
    http: options.http ?? http,
    clock: options.clock ?? systemClock,
    onStep: (step) => events.push(step),
    onRegionDiscovered: (region) => void regions.push(region),
  });
  TestReportSchema.parse(report);
  return { report, events, regions };
}

const step = (r: Run, id: string) => {
  const found = r.report.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in ${r.report.steps.map((s) => s.id).join(', ')}`);
  return found;
};
const statuses = (r: Run) => Object.fromEntries(r.report.steps.map((s) => [s.id, s.status]));

describe('healthy connections', () => {
  it('a ZTA connection passes every layer and announces each step before finishing it', async () => {
    const r = await run(zta());
    expect(statuses(r)).toEqual({
      reachability: 'pass',
      clock: 'pass',
      authentication: 'pass',
      region: 'pass',
      'scope.zero-trust-assessment:read': 'pass',
      'scope.devices:read': 'pass',
      coverage: 'pass',
    });
    expect(r.report.ok).toBe(true);
    expect(step(r, 'region').observed).toMatch(/^The credentials belong to us-1 \(X-Cs-Region\), served by 127\.0\.0\.1:\d+\.$/);
    expect(step(r, 'coverage').observed).toMatch(/^1500 hosts; of the first 1000: \d+ with a serial number, \d+ with a ZTA assessment, \d+ online\.$/);
    for (const s of r.report.steps) {
      const mine = r.events.filter((e) => e.id === s.id);
      expect(mine.map((e) => e.status)).toEqual(['running', s.status]);
    }
  });

  it('a detections → incidents connection probes Alerts, Hosts and IOC scopes', async () => {
    const r = await run(incidents());
    expect(statuses(r)).toMatchObject({
      'scope.alerts:read': 'pass',
      'scope.devices:read': 'pass',
      'scope.ioc:read': 'pass',
      'scope.ioc:write': 'pass',
      'scope.devices:write': 'pass',
      coverage: 'pass',
    });
    expect(step(r, 'scope.ioc:write').observed).toMatch(/HTTP 400, not 403/);
    expect(step(r, 'coverage').observed).toMatch(/1500 hosts visible; \d+ alerts created in the last 7 days/);
    // The write probes created nothing.
    expect(sim.iocs()).toHaveLength(0);
  });

  it('a SentinelOne connection passes every layer', async () => {
    const r = await run(sentinelOne());
    expect(statuses(r)).toEqual({
      reachability: 'pass',
      clock: 'pass',
      authentication: 'pass',
      'token-expiry': 'pass',
      scope: 'pass',
      coverage: 'pass',
    });
    expect(step(r, 'coverage').observed).toMatch(/^\d+ agents visible; of the first 1000: /);
  });
});

describe('Falcon failures, in the admin’s terms', () => {
  it('bad credentials: re-copy them from the API Clients page; later steps are skipped', async () => {
    const r = await run(zta(), { secret: 'wrong-secret-wrong-secret' });
    expect(step(r, 'authentication')).toMatchObject({ status: 'fail', code: 'falcon.bad_credentials' });
    expect(step(r, 'authentication').fix).toContain('Re-copy Client ID and Secret from Falcon API Clients page');
    expect(step(r, 'authentication').cause).toMatch(/rejected the Client ID or Client Secret/);
    for (const id of ['region', 'scope.zero-trust-assessment:read', 'scope.devices:read', 'coverage'])
      expect(step(r, id)).toMatchObject({ status: 'skip', observed: 'Skipped: authentication failed.' });
    expect(r.report.ok).toBe(false);
  });

  it('the bad_credentials fault gives the same answer', async () => {
    sim.setFaults('bad_credentials');
    expect(step(await run(zta()), 'authentication').code).toBe('falcon.bad_credentials');
  });

  it('wrong region: says which cloud the credentials belong to and that it was switched', async () => {
    const r = await run(zta({ region: 'custom', baseUrl: sim.regionUrl('us-2') }));
    expect(step(r, 'region')).toMatchObject({ status: 'warn', code: 'falcon.wrong_region' });
    expect(step(r, 'region').cause).toMatch(/belong to the us-1 cloud \(127\.0\.0\.1:\d+\), not to 127\.0\.0\.1:\d+/);
    expect(step(r, 'region').fix).toMatch(/switched to us-1 and saved/);
    expect(step(r, 'region').observed).toMatch(/308 with X-Cs-Region: us-1/);
    expect(r.regions).toEqual(['us-1']);
    expect(step(r, 'coverage').status).toBe('pass');
    expect(r.report.ok).toBe(true);
  });

  it('missing Hosts: Read is named by the probe of its own endpoint', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'devices:read' }]);
    const r = await run(zta());
    expect(step(r, 'scope.zero-trust-assessment:read').status).toBe('pass');
    expect(step(r, 'scope.devices:read')).toMatchObject({ status: 'fail', code: 'falcon.scope_missing' });
    expect(step(r, 'scope.devices:read').fix).toContain('Add Hosts: Read scope to the Falcon API client');
    expect(step(r, 'coverage')).toMatchObject({ status: 'skip' });
    expect(step(r, 'coverage').observed).toMatch(/Hosts: Read/);
  });

  it('a real API client without ZTA scope fails the ZTA probe', async () => {
    const clientId = 'ab'.repeat(16);
    sim.addFalconClient({ clientId, clientSecret: 'hosts-only-secret', scopes: ['devices:read'] });
    const r = await run(zta({ clientId }), { secret: 'hosts-only-secret' });
    expect(step(r, 'scope.zero-trust-assessment:read')).toMatchObject({ status: 'fail', code: 'falcon.scope_missing' });
    expect(step(r, 'scope.zero-trust-assessment:read').fix).toContain('Add Zero Trust Assessment: Read scope');
  });

  it('IOC push 403: add IOC Management: Write', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'ioc:write' }]);
    const r = await run(incidents());
    expect(step(r, 'scope.ioc:write')).toMatchObject({ status: 'fail', code: 'falcon.scope_missing' });
    expect(step(r, 'scope.ioc:write').fix).toContain('Add IOC Management: Write scope to the Falcon API client');
  });

  it('missing Hosts: Write only warns: containment is optional', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'devices:write' }]);
    const r = await run(incidents());
    expect(step(r, 'scope.devices:write')).toMatchObject({ status: 'warn', code: 'falcon.scope_missing' });
    expect(step(r, 'scope.devices:write').cause).toMatch(/contain hosts/);
    expect(r.report.ok).toBe(true);
  });

  it('host enrichment without Hosts: Read (StackFlow troubleshooting row)', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'devices:read' }]);
    const r = await run(incidents());
    expect(step(r, 'scope.devices:read').fix).toContain('Add Hosts: Read scope to the Falcon API client');
  });

  it('a hung API host: reachability times out, everything after is skipped', async () => {
    sim.setFaults('hang');
    const r = await run(zta());
    expect(step(r, 'reachability')).toMatchObject({ status: 'fail', code: 'net.timeout' });
    expect(step(r, 'reachability').fix).toMatch(/firewall or proxy/);
    expect(r.report.steps.filter((s) => s.status === 'skip').map((s) => s.id)).toEqual([
      'clock',
      'authentication',
      'region',
      'scope.zero-trust-assessment:read',
      'scope.devices:read',
      'coverage',
    ]);
  });

  it('nothing listening: connection refused', async () => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const r = await run(zta({ baseUrl: `http://127.0.0.1:${port}` }));
    expect(step(r, 'reachability')).toMatchObject({ status: 'fail', code: 'net.refused' });
  });

  it('persistent server errors on the token call', async () => {
    sim.setFaults([{ kind: 'server_error', route: '/oauth2', value: 503 }]);
    const r = await run(zta());
    expect(step(r, 'authentication')).toMatchObject({ status: 'fail', code: 'http.server_error' });
  });

  it('persistent rate limiting on hosts', async () => {
    sim.setFaults([{ kind: 'rate_limit', route: '/devices', value: 1 }]);
    const clock = createManualClock(Date.now());
    const patient = createHttp({ clock, retry: { maxAttempts: 3 } });
    try {
      const r = await run(zta(), { http: patient, clock });
      expect(step(r, 'scope.devices:read')).toMatchObject({ status: 'fail', code: 'http.rate_limited' });
      expect(step(r, 'scope.devices:read').fix).toMatch(/other integrations share/);
    } finally {
      await patient.close();
    }
  });

  it('malformed JSON from the hosts API', async () => {
    sim.setFaults([{ kind: 'malformed_json', route: '/devices' }]);
    const r = await run(zta());
    expect(step(r, 'scope.devices:read')).toMatchObject({ status: 'fail', code: 'http.malformed' });
  });

  it('a token expiring mid-test is renewed once and the test still passes', async () => {
    sim.setFaults([{ kind: 'token_expiry', value: 2, count: 1 }]);
    sim.resetStats();
    const r = await run(zta());
    expect(r.report.ok).toBe(true);
    expect(sim.stats().tokensIssued).toBe(2);
  });

  it('clock skew over five minutes warns with how to fix the clock', async () => {
    const clock = createManualClock(Date.now() + 12 * 60_000);
    const skewed = createHttp({ clock });
    try {
      const r = await run(zta(), { http: skewed, clock });
      expect(step(r, 'clock')).toMatchObject({ status: 'warn', code: 'clock.skew' });
      expect(step(r, 'clock').cause).toMatch(/12 minutes ahead/);
      expect(step(r, 'clock').fix).toMatch(/date and time automatically/);
    } finally {
      await skewed.close();
    }
  });

  it('the IP allow-list refusal on the token call names the allow-list', async () => {
    // The simulator has no allow-list switch (see sim/ISSUES-FROM-CLIENTS.md): a loopback stub answers as Falcon does.
    const server = createHttpServer((req, res) => {
      res.writeHead(req.url === '/oauth2/token' && req.method === 'POST' ? 403 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ meta: { powered_by: 'csam' }, errors: [{ code: 403, message: 'access denied, authorization failed' }], resources: null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraServers.push(server);
    const r = await run(zta({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    expect(step(r, 'authentication')).toMatchObject({ status: 'fail', code: 'falcon.ip_not_allowed' });
    expect(step(r, 'authentication').fix).toMatch(/allowed IP ranges/);
  });

  it.skipIf(!hasOpenssl())('an untrusted certificate is reported as likely TLS interception', async () => {
    const server = createHttpsServer(selfSignedCertificate(), (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraServers.push(server);
    const r = await run(zta({ baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    expect(step(r, 'reachability')).toMatchObject({ status: 'fail', code: 'net.tls' });
    expect(step(r, 'reachability').cause).toMatch(/not trusted.*intercepting TLS/);
  });
});

describe('SentinelOne failures', () => {
  it('a site-scoped token: accepted, but the scope step fails with the fix', async () => {
    const token = 'site-token-for-test-0000000001';
    sim.addSentinelOneToken({ token, siteScoped: true });
    const r = await run(sentinelOne(), { secret: token });
    expect(step(r, 'authentication').status).toBe('pass');
    expect(step(r, 'scope')).toMatchObject({ status: 'fail', code: 's1.site_scoped' });
    expect(step(r, 'scope').fix).toMatch(/Scope of Access: Account/);
    expect(step(r, 'coverage').status).toBe('skip');
  });

  it('the s1_site_scoped fault gives the same answer', async () => {
    sim.setFaults('s1_site_scoped');
    expect(step(await run(sentinelOne()), 'scope').code).toBe('s1.site_scoped');
  });

  it('an expired token fails authentication with how to generate a new one', async () => {
    sim.setFaults('s1_token_expired');
    const r = await run(sentinelOne());
    expect(step(r, 'authentication')).toMatchObject({ status: 'fail', code: 's1.token_expired' });
    expect(step(r, 'authentication').fix).toMatch(/Generate a new API token for the service user/);
  });

  it('a token past its expiry date, as the console stores it', async () => {
    const token = 'expired-token-for-test-000000001';
    sim.addSentinelOneToken({ token, expiresAt: '2020-01-01T00:00:00Z' });
    expect(step(await run(sentinelOne(), { secret: token }), 'authentication').code).toBe('s1.token_expired');
  });

  it('a token expiring within 14 days warns with the date', async () => {
    sim.setFaults('s1_token_expiring');
    const r = await run(sentinelOne());
    expect(step(r, 'token-expiry')).toMatchObject({ status: 'warn', code: 's1.token_expiring' });
    expect(step(r, 'token-expiry').observed).toMatch(/^Expires in [45] days \(\d{4}-\d{2}-\d{2}\)\.$/);
    expect(r.report.ok).toBe(true);
  });

  it('a wrong token is unauthorized', async () => {
    const r = await run(sentinelOne(), { secret: 'not-a-real-token' });
    expect(step(r, 'authentication')).toMatchObject({ status: 'fail', code: 's1.unauthorized' });
  });

  it('a URL that is not a SentinelOne console', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(404).end('<html>not here</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraServers.push(server);
    const r = await run(sentinelOne(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    expect(step(r, 'reachability')).toMatchObject({ status: 'fail', code: 's1.not_console' });
    expect(step(r, 'reachability').fix).toMatch(/address bar/);
  });
});

describe('secrets', () => {
  it('a server echoing credentials back in its errors never gets them into a diagnosis or a report', async () => {
    const token = 'ECHOED-ACCESS-TOKEN-5f2a9c';
    const secret = 'ECHOED-CLIENT-SECRET-77b1';
    const apiToken = 'ECHOED-S1-API-TOKEN-91c3';
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const echo = `you sent ${req.headers.authorization ?? ''} and ${body}`;
        res.setHeader('content-type', 'application/json');
        if (req.url === '/oauth2/token' && body.includes('first-try')) return res.writeHead(403).end(JSON.stringify({ errors: [{ message: echo }] }));
        if (req.url === '/oauth2/token') return res.writeHead(201).end(JSON.stringify({ access_token: token, expires_in: 1799 }));
        if (req.url?.startsWith('/web/api/v2.1/system/status')) return res.writeHead(200).end('{"data":{"health":"ok"}}');
        if (req.url?.startsWith('/web/api/'))
          return res.writeHead(400).end(JSON.stringify({ errors: [{ code: 4000010, title: 'Validation Error', detail: echo }] }));
        res.writeHead(req.url === '/' ? 404 : 400).end(JSON.stringify({ errors: [{ code: 400, message: echo }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraServers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rendered: unknown[] = [];
    const keep = (error: unknown) => rendered.push(JSON.stringify(error), String(error), (error as Error).stack, inspect(error, { depth: 10 }));
    const falcon = (getSecret: () => Promise<string>) => createFalconClient({ baseUrl: base, clientId: sim.credentials.falcon.clientId, getSecret, http });
    await falcon(async () => `${secret}first-try`)
      .authenticate()
      .catch(keep);
    await falcon(async () => secret)
      .hosts.count()
      .catch(keep);
    await createSentinelOneClient({ apiUrl: base, getToken: async () => apiToken, http })
      .agents.count()
      .catch(keep);
    rendered.push((await run(zta({ baseUrl: base }), { secret })).report, (await run(sentinelOne(base), { secret: apiToken })).report);
    const text = JSON.stringify(rendered);
    expect(text).toContain('you sent');
    for (const value of [token, secret, apiToken]) expect(text).not.toContain(value);
  });

  it('no secret, token or Authorization value appears in any report, step or error, across every fault', async () => {
    const seen = new Set<string>();
    // Records every credential that crossed the wire, to look for it afterwards.
    const recording: HttpClient = {
      clock: http.clock,
      clockSkewMs: (origin) => http.clockSkewMs(origin),
      close: async () => {},
      async request(req: HttpRequest) {
        for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === 'authorization') seen.add(v.replace(/^\S+\s+/, ''));
        if (req.form?.client_secret) seen.add(req.form.client_secret);
        const res = await http.request(req);
        const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
        if (typeof token === 'string') seen.add(token);
        return res;
      },
    };
    const secrets = [sim.credentials.falcon.clientSecret, sim.credentials.sentinelOne.apiToken];
    const output: unknown[] = [];
    const faults = [
      '',
      'bad_credentials',
      'wrong_region',
      'missing_scope:ioc:write',
      'malformed_json:/devices',
      'server_error:/alerts',
      'token_expiry',
      's1_site_scoped',
      's1_token_expired',
      's1_token_expiring',
    ];
    for (const fault of faults) {
      if (fault) sim.setFaults(fault);
      else sim.clearFaults();
      for (const config of [zta(), incidents(), sentinelOne(), zta({ region: 'custom', baseUrl: sim.regionUrl('us-2') })]) {
        const r = await run(config, { http: recording });
        output.push(r.report, r.events);
      }
    }
    // Errors thrown by the clients themselves, in every form a logger or the UI might render them.
    const falcon = (secret: string) =>
      createFalconClient({ baseUrl: sim.url, clientId: sim.credentials.falcon.clientId, getSecret: async () => secret, http: recording });
    const s1 = (token: string) => createSentinelOneClient({ apiUrl: sim.url, getToken: async () => token, http: recording });
    const attempts: [string, () => Promise<unknown>][] = [
      ['', () => falcon('wrong-secret-wrong-secret').hosts.count()],
      ['', () => s1('wrong-token-wrong-token').agents.count()],
      ['malformed_json:/devices', () => falcon(sim.credentials.falcon.clientSecret).hosts.count()],
      ['server_error:/alerts', () => falcon(sim.credentials.falcon.clientSecret).alerts.poll()],
      ['s1_token_expired', () => s1(sim.credentials.sentinelOne.apiToken).agents.list()],
    ];
    for (const [fault, attempt] of attempts) {
      if (fault) sim.setFaults(fault);
      else sim.clearFaults();
      const error = await attempt().then(
        () => new Error('expected a failure'),
        (e: unknown) => e,
      );
      expect(isProviderError(error)).toBe(true);
      output.push(JSON.stringify(error), String(error), (error as Error).stack, inspect(error, { depth: 10, showHidden: true }));
    }
    sim.clearFaults();
    const text = JSON.stringify(output);
    expect(seen.size).toBeGreaterThan(3);
    for (const value of [...secrets, ...seen]) expect(text).not.toContain(value);
    expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
  }, 120_000);
});
