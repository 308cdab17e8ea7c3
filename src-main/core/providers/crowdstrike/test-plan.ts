// The Test for a Falcon connection (ZTA posture or detections → incidents), layer by layer.
import type { FalconKind, FalconRegion, ProviderConfig } from '../../../../src-shared/schemas/providers';
import { setAsideText, unreadableText } from '../../../../src-shared/poll-tally-text';
import type { Clock } from '../clock';
import { isProviderError } from '../diagnosis';
import type { HttpClient } from '../http';
import { countSetAside, type UnreadableRecord } from '../records';
import { implausibleCount, implausibleName, implausibleResult, type Implausible } from '../reported-values';
import { isUsableSerial } from '../serial';
import { clockStep, diagnosisOf, fromDiagnosis, reachabilityStep, skipRest, type StepResult, type TestRun } from '../test-run';
import { createFalconClient, type FalconClient } from './client';
import type { ScopeProbe } from './probes';
import { parseRegion, type DiscoveredRegion } from './regions';
import { falconScopes, type FalconScope } from './scopes';

type FalconConfig = Extract<ProviderConfig, { kind: FalconKind }>;

interface FalconTestDeps {
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock: Clock;
  onRegionDiscovered?: (region: FalconRegion, discovered: DiscoveredRegion) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Scopes each kind needs; optional ones warn instead of failing. */
const requiredScopes: Record<FalconConfig['kind'], readonly { scope: FalconScope; optional?: string }[]> = {
  'crowdstrike-zta': [{ scope: 'ztaRead' }, { scope: 'hostsRead' }],
  'crowdstrike-falcon-incidents': [
    { scope: 'alertsRead' },
    { scope: 'hostsRead' },
    { scope: 'iocRead' },
    { scope: 'iocWrite' },
    { scope: 'hostsWrite', optional: 'Only needed to contain hosts from an incident.' },
  ],
};

/** How many hosts the coverage step looks at closely (a few requests, not a full poll). */
const COVERAGE_SAMPLE = 1000;
const scopeStepId = (scope: FalconScope) => `scope.${falconScopes[scope].scope}`;
const scopeStepTitle = (scope: FalconScope) => `Scope: ${falconScopes[scope].label}`;

export async function runFalconChecks(run: TestRun, config: FalconConfig, deps: FalconTestDeps): Promise<void> {
  const discovered: DiscoveredRegion[] = [];
  const client = createFalconClient({
    region: config.region,
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    getSecret: deps.getSecret,
    http: deps.http,
    // Saved the same way a poll saves it (Connections.moveRegion → falconEndpointAfterMove).
    onRegionDiscovered: async (d) => {
      discovered.push(d);
      await deps.onRegionDiscovered?.(d.region, d);
    },
  });
  // The client's starting endpoint, so reachability probes the host every later call uses.
  const { baseUrl } = client.regionState();
  const scopes = requiredScopes[config.kind];
  const later: [string, string][] = [
    ['authentication', 'Authentication'],
    ['region', 'Cloud region'],
    ...scopes.map(({ scope }): [string, string] => [scopeStepId(scope), scopeStepTitle(scope)]),
    ['coverage', 'Data coverage'],
  ];
  const { signal } = deps;

  const reach = await reachabilityStep(run, baseUrl, () =>
    // Any answer from the API host proves DNS, TCP and TLS; this path needs no token.
    deps.http.request({ method: 'GET', url: `${baseUrl}/oauth2/token`, signal, maxAttempts: 2, budget: `${new URL(baseUrl).origin} probe` }),
  );
  if (reach.status === 'fail') return skipRest(run, [['clock', 'Clock'], ...later], 'Skipped: the API host could not be reached.');
  await clockStep(run, deps.http, baseUrl);

  const auth = await run.step('authentication', 'Authentication', async () => {
    const token = await client.authenticate(signal);
    return tokenResult(Math.round((token.expiresAt - deps.clock.now()) / 60_000));
  });
  if (auth.status === 'fail') return skipRest(run, later.slice(1), 'Skipped: authentication failed.');

  try {
    await run.step('region', 'Cloud region', async () => regionResult(client, discovered, !!deps.onRegionDiscovered));

    const granted = new Set<FalconScope>();
    for (const { scope, optional } of scopes) {
      const result = await run.step(scopeStepId(scope), scopeStepTitle(scope), async () => {
        try {
          return probeResult(await client.probeScope(scope, signal));
        } catch (error) {
          const d = diagnosisOf(error);
          if (optional && d.code === 'falcon.scope_missing') return { ...fromDiagnosis(d, 'warn'), cause: `${d.message} ${optional}` };
          throw error;
        }
      });
      // A granted scope whose count could not be believed is still granted.
      if (result.status === 'pass' || result.code === 'provider.implausible_value') granted.add(scope);
    }

    const needs: FalconScope[] = config.kind === 'crowdstrike-zta' ? ['hostsRead', 'ztaRead'] : ['hostsRead', 'alertsRead'];
    const missing = needs.filter((s) => !granted.has(s));
    if (missing.length) run.skip('coverage', 'Data coverage', `Skipped: needs ${missing.map((s) => falconScopes[s].label).join(' and ')}.`);
    else
      await run.step('coverage', 'Data coverage', () =>
        config.kind === 'crowdstrike-zta' ? ztaCoverage(client, config.customerId, signal) : incidentsCoverage(client, deps.clock, signal),
      );
  } finally {
    // The test's token is not needed after the test.
    await client.revokeToken().catch((error: unknown) => {
      if (!isProviderError(error)) throw error;
    });
  }
}

function regionResult(client: FalconClient, discovered: readonly DiscoveredRegion[], saves: boolean): StepResult {
  const state = client.regionState();
  const moved = discovered.at(-1);
  if (moved) {
    const where = moved.region === 'custom' ? `the cloud at ${moved.baseUrl}` : `the ${moved.region} cloud (${new URL(moved.baseUrl).host})`;
    const fix = saves
      ? moved.region === 'custom'
        ? `Nothing to do: the connection now points at ${moved.baseUrl} and was saved.`
        : `Nothing to do: the connection was switched to ${moved.region} and saved.`
      : moved.region === 'custom'
        ? `Set the connection’s base URL to ${moved.baseUrl}.`
        : `Set the connection’s region to ${moved.region}.`;
    return {
      status: 'warn',
      code: 'falcon.wrong_region',
      observed: `${new URL(moved.previousBaseUrl).host} answered 308 with X-Cs-Region: ${moved.reported ?? '(none)'} and Location ${moved.baseUrl}.`,
      cause: `These API credentials belong to ${where}, not to ${state.configured === 'custom' ? new URL(moved.previousBaseUrl).host : state.configured}; the test continued there.`,
      fix,
    };
  }
  const host = new URL(state.baseUrl).host;
  const nonsense = state.reported === undefined ? undefined : implausibleName(state.reported);
  if (nonsense)
    return {
      ...implausibleResult('Falcon', nonsense, {
        reported: 'the cloud (X-Cs-Region) as',
        meaning: 'the cloud these credentials belong to could not be confirmed.',
        observed: `${host} accepted the credentials and answered with X-Cs-Region: ${nonsense.value}.`,
      }),
      fix: 'If the base URL points at a proxy, make it pass Falcon’s X-Cs-Region header through unchanged; otherwise test again later.',
    };
  const named = parseRegion(state.reported);
  if (named !== 'custom' && state.region !== 'custom' && named !== state.region)
    return {
      status: 'warn',
      code: 'falcon.wrong_region',
      observed: `${host} answered with X-Cs-Region: ${state.reported}.`,
      cause: `Falcon says these credentials belong to ${named}, but the connection is set to ${state.region}; it was not switched automatically (GovCloud never is).`,
      fix: `Set the connection’s region to ${named}.`,
    };
  if (!state.reported) return { observed: `${host} accepted the credentials (no X-Cs-Region header to confirm the cloud).` };
  return { observed: `The credentials belong to ${named === 'custom' ? state.reported : named} (X-Cs-Region), served by ${host}.` };
}

async function ztaCoverage(client: FalconClient, customerId: string, signal: AbortSignal | undefined): Promise<StepResult> {
  let total = 0;
  let ids: string[] = [];
  const unreadable: UnreadableRecord[] = [];
  const onUnreadable = (records: readonly UnreadableRecord[]) => unreadable.push(...records);
  let setAside = 0;
  let nonsense: Implausible;
  for await (const page of client.hosts.scrollIds({ pageSize: COVERAGE_SAMPLE, signal })) {
    nonsense = page.total === undefined ? undefined : implausibleTotal(page.total, page.ids.length);
    // A total that cannot be believed is not repeated: the hosts on the page are what is known.
    total = nonsense ? page.ids.length : (page.total ?? page.ids.length);
    ids = page.ids.slice(0, COVERAGE_SAMPLE);
    setAside = page.setAside;
    break;
  }
  if (total === 0 && !nonsense)
    return {
      status: 'warn',
      code: 'falcon.no_hosts',
      observed: '0 hosts visible.',
      cause: 'The API client sees no hosts, so there is nothing to assess.',
      fix: 'Check that Falcon sensors are installed and that these API credentials belong to the right Falcon customer (CID).',
    };
  const [hosts, assessments, states] = await Promise.all([
    client.hosts.details(ids, { signal, onUnreadable }),
    client.zta.assessments(ids, { signal, onUnreadable }),
    client.hosts.onlineStates(ids, { signal, onUnreadable }),
  ]);
  setAside += countSetAside(unreadable);
  const unread = [setAsideText(setAside), unreadableText(unreadable.length - countSetAside(unreadable))].filter(Boolean);
  const withSerial = hosts.filter((h) => isUsableSerial(h.serial_number)).length;
  const scored = assessments.filter((a) => a.scores).length;
  const online = states.filter((s) => s.state === 'online').length;
  const sample = ids.length < total ? `of the first ${ids.length}` : 'of them';
  const observed = `${total} hosts${nonsense ? ' on the first page' : ''}; ${sample}: ${withSerial} with a serial number, ${scored} with a ZTA assessment, ${online} online${unread.length ? `; ${unread.join(', ')}` : ''}.`;
  if (nonsense)
    return implausibleResult('Falcon', nonsense, {
      reported: 'the number of hosts as',
      meaning: 'how many hosts the API client sees is unknown; the counts shown are of the hosts on the first page.',
      observed,
    });
  const cid = customerId.split('-')[0]?.toLowerCase();
  const foreign = hosts.find((h) => h.cid && cid && h.cid.toLowerCase() !== cid);
  if (foreign && !/^[0-9a-f]{32}$/i.test(foreign.cid ?? ''))
    return implausibleResult(
      'Falcon',
      { value: `“${foreign.cid}”`, problem: 'is not a CID (32 hexadecimal characters)' },
      {
        reported: 'a host’s customer ID (cid) as',
        meaning: 'the Customer ID entered could not be compared with the hosts’ CID.',
        observed,
      },
    );
  if (foreign)
    return {
      status: 'warn',
      code: 'falcon.customer_id_mismatch',
      observed,
      cause: `The Customer ID entered does not match the CID of the hosts these credentials see (${foreign.cid}).`,
      fix: 'Copy the Customer ID from Falcon > Host setup and management > Sensor downloads.',
    };
  if (scored === 0)
    return {
      status: 'warn',
      code: 'falcon.no_assessments',
      observed,
      cause: 'None of these hosts has a Zero Trust Assessment score, so every ZTA posture check will be unknown.',
      fix: 'ZTA needs a supported Falcon subscription; new sensors get a score within a day. Check Falcon > Zero Trust Assessment.',
    };
  if (withSerial < ids.length * 0.9)
    return {
      status: 'warn',
      code: 'falcon.serials_missing',
      observed,
      cause: `${ids.length - withSerial} of ${ids.length} hosts have no usable serial number (missing or a placeholder such as “To Be Filled By O.E.M.”); devices are matched by serial, so these cannot be.`,
      fix: 'Nothing to change in this app: set real serial numbers in the firmware of those machines, or rely on hostname matching for them.',
    };
  return { observed };
}

async function incidentsCoverage(client: FalconClient, clock: Clock, signal: AbortSignal | undefined): Promise<StepResult> {
  const weekAgo = new Date(clock.now() - 7 * 86_400_000).toISOString();
  const [hosts, alerts] = await Promise.all([client.hosts.count({ signal }), client.alerts.queryIds({ createdAfter: weekAgo, max: 1, signal })]);
  const hostsNonsense = implausibleCount(hosts);
  if (hostsNonsense)
    return implausibleResult('Falcon', hostsNonsense, {
      reported: 'the number of hosts as',
      meaning: 'how many hosts host enrichment and containment can reach is unknown.',
      observed: 'The hosts count could not be believed.',
    });
  const alertsNonsense = alerts.total === undefined ? undefined : implausibleTotal(alerts.total, alerts.ids.length);
  if (alertsNonsense)
    return implausibleResult('Falcon', alertsNonsense, {
      reported: 'the number of alerts created in the last 7 days as',
      meaning: 'how many alerts the poller will find is unknown.',
      observed: `${hosts} hosts visible; the alerts count could not be believed.`,
    });
  return { observed: `${hosts} hosts visible; ${alerts.total ?? alerts.ids.length} alerts created in the last 7 days.` };
}

/** A pagination total next to the records on its page: a count that is none, or one the page contradicts. */
function implausibleTotal(total: number, listed: number): Implausible {
  if (total > 0 && listed === 0 && Number.isSafeInteger(total)) return { value: String(total), problem: 'yet the first page listed none' };
  return implausibleCount(total, listed);
}

/** Falcon issues 30-minute tokens; a lifetime outside a minute to a day is not an answer to repeat. */
function tokenResult(minutes: number): StepResult {
  const observed = `Falcon issued an access token (HTTP 201) valid for about ${minutes} minutes.`;
  if (Number.isFinite(minutes) && minutes >= 1 && minutes <= 24 * 60) return { observed };
  const problem = !Number.isFinite(minutes) ? 'is not a number' : minutes < 1 ? 'is less than a minute' : 'is longer than a day';
  return implausibleResult(
    'Falcon',
    { value: `${minutes} minutes`, problem },
    {
      reported: 'the token’s lifetime as',
      meaning: 'Falcon tokens last 30 minutes; the app renews them early either way, but this answer is not Falcon’s.',
      observed: 'Falcon issued an access token (HTTP 201) with a lifetime that cannot be believed.',
    },
  );
}

/** A scope probe's answer, judged: read probes report a count, write probes the status that proved the scope. */
function probeResult(probe: ScopeProbe): StepResult {
  if (probe.kind === 'write') return { observed: `write allowed (an empty request was answered HTTP ${probe.status}, not 403)` };
  const nonsense =
    probe.total === undefined ? undefined : probe.listed === undefined ? implausibleCount(probe.total) : implausibleTotal(probe.total, probe.listed);
  if (nonsense)
    return implausibleResult('Falcon', nonsense, {
      reported: `the number of ${probe.noun} as`,
      meaning: 'the scope is granted (the call succeeded), but the count means nothing.',
      observed: `Read allowed (the call succeeded); the count of ${probe.noun} could not be believed.`,
    });
  return { observed: `${probe.total ?? probe.listed ?? 0} ${probe.noun}` };
}
