// The Test judges the values it repeats: the simulator's answers, rewritten on the way in to carry the
// nonsense a real tenant or a proxy can send (negative and unsafe counts, totals smaller than their page,
// placeholder names, impossible dates), make the step warn and name the value instead of passing on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../sim/index';
import type { ProviderConfig, TestReport, TestStep } from '../../../src-shared/schemas/providers';
import { systemClock } from './clock';
import { testProvider } from './diagnose';
import { createHttp, type HttpClient, type HttpRequest, type HttpResponse } from './http';
import { implausibleCount, implausibleName } from './reported-values';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Rewrite = (req: HttpRequest, res: HttpResponse) => void;

let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: 300, seed: 17 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 2 } });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});

/** The app's HTTP client with one answer rewritten after it arrives over loopback. */
function rewriting(rewrite: Rewrite): HttpClient {
  return {
    clock: http.clock,
    clockSkewMs: (origin) => http.clockSkewMs(origin),
    close: async () => {},
    async request(req) {
      const res = await http.request(req);
      rewrite(req, res);
      return res;
    },
  };
}

const path = (req: HttpRequest) => new URL(req.url).pathname;
const meta = (res: HttpResponse) => (res.body as { meta: { pagination: { total: number } } }).meta.pagination;

const zta: ProviderConfig = {
  kind: 'crowdstrike-zta',
  id: 'p-zta',
  name: 'ZTA',
  pollInterval: '1h',
  region: 'custom',
  baseUrl: '',
  clientId: '',
  customerId: '',
};
const incidents: ProviderConfig = {
  kind: 'crowdstrike-falcon-incidents',
  id: 'p-inc',
  name: 'Detections',
  pollInterval: '5m',
  hostEnrichment: true,
  iocPushOnResolve: false,
  region: 'custom',
  baseUrl: '',
  clientId: '',
};
const s1: ProviderConfig = { kind: 'sentinelone', id: 'p-s1', name: 'S1', pollInterval: '1h', apiUrl: '' };

async function test(config: ProviderConfig, rewrite: Rewrite): Promise<TestReport> {
  const { falcon, sentinelOne } = sim.credentials;
  const live =
    config.kind === 'sentinelone'
      ? { ...config, apiUrl: sim.url }
      : config.kind === 'crowdstrike-zta'
        ? { ...config, baseUrl: sim.url, clientId: falcon.clientId, customerId: falcon.customerId }
        : { ...config, baseUrl: sim.url, clientId: falcon.clientId };
  return testProvider(live as ProviderConfig, {
    getSecret: async () => (config.kind === 'sentinelone' ? sentinelOne.apiToken : falcon.clientSecret),
    http: rewriting(rewrite),
    clock: systemClock,
    onStep: () => {},
  });
}

function step(report: TestReport, id: string): TestStep {
  const found = report.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

/** A warning that names the value and what it means, and never repeats it as an observation of fact. */
function expectJudged(s: TestStep, value: string, problem: RegExp) {
  expect(s).toMatchObject({ status: 'warn', code: expect.stringMatching(/implausible_value|expiry_unknown/) });
  expect(s.cause).toContain(value);
  expect(s.cause).toMatch(problem);
  expect(s.fix).toBeTruthy();
}

describe('Falcon Test steps judge what they repeat', () => {
  it('a healthy tenant warns nowhere (the judgement does not cry wolf)', async () => {
    const report = await test(zta, () => {});
    expect(report.steps.filter((s) => s.status !== 'pass').map((s) => s.id)).toEqual([]);
  });

  it('hosts count of -(2^53 - 1): the Hosts scope step warns instead of “✓ -9007199254740991 hosts visible”', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/devices/queries/devices-scroll/v1' && req.query?.limit === 1) meta(res).total = -Number.MAX_SAFE_INTEGER;
    });
    const hosts = step(report, 'scope.devices:read');
    expectJudged(hosts, '-9007199254740991', /is negative/);
    expect(hosts.observed).not.toContain('-9007199254740991 hosts visible');
    // The scope is granted all the same: coverage still runs.
    expect(step(report, 'coverage').status).not.toBe('skip');
  });

  it('a count beyond Number.MAX_SAFE_INTEGER is named as such', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/devices/queries/devices-scroll/v1' && req.query?.limit === 1) meta(res).total = 2 ** 60;
    });
    expectJudged(step(report, 'scope.devices:read'), String(2 ** 60), /larger than any count/);
  });

  it('a fractional assessment count fails the whole-number test', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/zero-trust-assessment/queries/assessments/v1') meta(res).total = 1.5;
    });
    expectJudged(step(report, 'scope.zero-trust-assessment:read'), '1.5', /not a whole number/);
  });

  it('a total smaller than the page it came with: coverage shows the page and warns', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/devices/queries/devices-scroll/v1' && req.query?.limit !== 1) meta(res).total = 3;
    });
    const coverage = step(report, 'coverage');
    expectJudged(coverage, '3', /smaller than the 300 records on the same page/);
    expect(coverage.observed).toMatch(/^300 hosts on the first page; of them: \d+ with a serial number/);
  });

  it('X-Cs-Region: string — the region step does not say “the credentials belong to string”', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/oauth2/token') res.headers['x-cs-region'] = 'string';
    });
    const region = step(report, 'region');
    expectJudged(region, '“string”', /placeholder, not a name/);
    expect(region.observed).not.toMatch(/belong to string/);
  });

  it('an empty X-Cs-Region is judged too', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/oauth2/token') res.headers['x-cs-region'] = ' ';
    });
    expectJudged(step(report, 'region'), '" "', /is empty/);
  });

  it('a token lifetime of years: authentication warns with the lifetime', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/oauth2/token') (res.body as { expires_in: number }).expires_in = 10 ** 9;
    });
    expectJudged(step(report, 'authentication'), '16666667 minutes', /longer than a day/);
  });

  it('a host CID that is no CID is named, not reported as the wrong customer', async () => {
    const report = await test(zta, (req, res) => {
      if (path(req) === '/devices/entities/devices/v2') for (const h of (res.body as { resources: { cid?: string }[] }).resources) h.cid = 'string';
    });
    const coverage = step(report, 'coverage');
    expectJudged(coverage, '“string”', /not a CID/);
    expect(coverage.code).not.toBe('falcon.customer_id_mismatch');
  });

  it('detections: a negative alerts total and a negative hosts count each warn in coverage', async () => {
    const alerts = await test(incidents, (req, res) => {
      if (path(req) === '/alerts/queries/alerts/v2' && JSON.stringify(req.query).includes('created_timestamp')) meta(res).total = -4;
    });
    expectJudged(step(alerts, 'coverage'), '-4', /is negative/);
    const hosts = await test(incidents, (req, res) => {
      if (path(req) === '/devices/queries/devices-scroll/v1') meta(res).total = -1;
    });
    expectJudged(step(hosts, 'coverage'), '-1', /is negative/);
  });
});

describe('SentinelOne Test steps judge what they repeat', () => {
  const agentsPage = (res: HttpResponse) => (res.body as { pagination: { totalItems: number } }).pagination;

  it('a healthy console warns nowhere', async () => {
    const report = await test(s1, () => {});
    expect(report.steps.filter((s) => s.status !== 'pass').map((s) => s.id)).toEqual([]);
  });

  it('a negative countOnly answer: authentication warns instead of “-1 agents visible”', async () => {
    const report = await test(s1, (req, res) => {
      if (path(req).endsWith('/agents') && req.query?.countOnly === true) agentsPage(res).totalItems = -1;
    });
    const auth = step(report, 'authentication');
    expectJudged(auth, '-1', /is negative/);
    expect(auth.observed).not.toContain('-1 agents visible');
  });

  it('totalItems smaller than the page: coverage shows the page and warns', async () => {
    const report = await test(s1, (req, res) => {
      if (path(req).endsWith('/agents') && req.query?.countOnly !== true) agentsPage(res).totalItems = 2;
    });
    const coverage = step(report, 'coverage');
    expectJudged(coverage, '2', /smaller than the \d+ records on the same page/);
    expect(coverage.observed).toMatch(/^\d+ agents on the first page/);
  });

  it('an expiry that is no date, and one 270,000 years away, are named', async () => {
    const garbage = await test(s1, (req, res) => {
      if (path(req).endsWith('/users/api-token-details')) (res.body as { data: { expiresAt: string } }).data.expiresAt = 'string';
    });
    expectJudged(step(garbage, 'token-expiry'), '“string”', /is not a date/);
    const far = await test(s1, (req, res) => {
      if (path(req).endsWith('/users/api-token-details')) (res.body as { data: { expiresAt: string } }).data.expiresAt = '+275760-09-13T00:00:00.000Z';
    });
    expectJudged(step(far, 'token-expiry'), '+275760-09-13', /more than 100 years away/);
  });
});

describe('the judgements themselves', () => {
  it('counts: plausible ones pass, each kind of nonsense names its problem', () => {
    expect(implausibleCount(0)).toBeUndefined();
    expect(implausibleCount(1500, 1000)).toBeUndefined();
    expect(implausibleCount(Number.NaN)?.problem).toBe('is not a number');
    expect(implausibleCount(Number.POSITIVE_INFINITY)?.problem).toBe('is not a number');
    expect(implausibleCount(Number.MAX_SAFE_INTEGER + 2)?.problem).toMatch(/larger than any count/);
    expect(implausibleCount(1, 1)).toBeUndefined();
    expect(implausibleCount(0, 1)?.problem).toBe('is smaller than the 1 record on the same page');
  });

  it('names: real ones pass, empty and placeholder ones do not', () => {
    for (const good of ['us-1', 'eu-1', 'us-gov-2', 'Acme Site']) expect(implausibleName(good)).toBeUndefined();
    for (const bad of ['', '  ', '\u200b', 'string', 'NULL', 'undefined', '<region>', '{region}']) expect(implausibleName(bad)).toBeDefined();
  });
});
