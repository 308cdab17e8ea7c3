// The Test for a SentinelOne connection: console reachable (system/status, no auth) → clock → token
// accepted (agents countOnly) → token expiry → account vs site scope → agents visible.
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import { setAsideText, unreadableText } from '../../../../src-shared/poll-tally-text';
import type { Clock } from '../clock';
import { ProviderError } from '../diagnosis';
import type { HttpClient } from '../http';
import { countSetAside } from '../records';
import { implausibleCount, implausibleResult } from '../reported-values';
import { isUsableSerial } from '../serial';
import { clockStep, diagnosisOf, fromDiagnosis, reachabilityStep, skipRest, type StepResult, type TestRun } from '../test-run';
import type { AgentPage } from './agents';
import { createSentinelOneClient, type SentinelOneClient } from './client';
import { S1_API_PATH } from './session';

type S1Config = Extract<ProviderConfig, { kind: 'sentinelone' }>;

/** Below this many days left, the Test warns about the token. */
export const TOKEN_EXPIRY_WARNING_DAYS = 14;
/** Beyond this the reported expiry is not a date a token lives to (100 years). */
const MAX_PLAUSIBLE_TOKEN_DAYS = 36_525;

interface S1TestDeps {
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock: Clock;
  signal?: AbortSignal;
}

export async function runSentinelOneChecks(run: TestRun, config: S1Config, deps: S1TestDeps): Promise<void> {
  const client = createSentinelOneClient({ apiUrl: config.apiUrl, getToken: deps.getSecret, http: deps.http, clock: deps.clock });
  const { signal } = deps;
  const later: [string, string][] = [
    ['authentication', 'Authentication'],
    ['token-expiry', 'API token expiry'],
    ['scope', 'Token scope'],
    ['coverage', 'Data coverage'],
  ];

  const reach = await reachabilityStep(run, client.apiUrl, async () => {
    const res = await deps.http.request({ method: 'GET', url: `${client.apiUrl}${S1_API_PATH}/system/status`, signal, maxAttempts: 2 });
    if (res.status === 404)
      throw new ProviderError({
        code: 's1.not_console',
        status: 404,
        message: `${new URL(client.apiUrl).host} answered, but it has no SentinelOne API (HTTP 404 for system/status).`,
        fix: 'Copy the console address from the browser’s address bar while logged in to SentinelOne, e.g. https://your-domain.sentinelone.net.',
      });
    return res;
  });
  if (reach.status === 'fail') return skipRest(run, [['clock', 'Clock'], ...later], 'Skipped: the SentinelOne console could not be reached.');
  await clockStep(run, deps.http, client.apiUrl);

  let siteScoped = false;
  let visible: number | undefined;
  const auth = await run.step('authentication', 'Authentication', async () => {
    try {
      const count = await client.agents.count({}, signal);
      const nonsense = implausibleCount(count);
      if (nonsense)
        return implausibleResult('SentinelOne', nonsense, {
          reported: 'the number of agents the token sees as',
          meaning: 'the token works, but how many agents it sees is unknown.',
          observed: 'The API token was accepted (Endpoints view); the agents count could not be believed.',
        });
      visible = count;
      return { observed: `The API token was accepted (Endpoints view): ${visible} agents visible.` };
    } catch (error) {
      if (diagnosisOf(error).code !== 's1.site_scoped') throw error;
      siteScoped = true;
      return { observed: 'The API token was accepted, but it is limited to a site (HTTP 403 4030010 on the account-wide agents list).' };
    }
  });
  if (auth.status === 'fail') return skipRest(run, later.slice(1), 'Skipped: the API token was not accepted.');

  await run.step('token-expiry', 'API token expiry', () => expiryResult(client, signal));

  const scope = await run.step('scope', 'Token scope', async () => {
    if (!siteScoped) return { observed: 'Account-level token: every site’s agents are visible.' };
    return fromDiagnosis({
      code: 's1.site_scoped',
      status: 403,
      message:
        'This API token belongs to a site-scoped user: it cannot list the account’s agents (“Action is not allowed to site users”), so devices in other sites would be missing.',
      fix: 'Create a service user with Scope of Access: Account and the Viewer role (SentinelOne > Settings > Users > Service Users), and paste its API token here.',
      observed: 'HTTP 403, code 4030010: Action is not allowed to site users',
    });
  });
  if (scope.status === 'fail') return skipRest(run, later.slice(3), 'Skipped: the token cannot list the account’s agents.');

  await run.step('coverage', 'Data coverage', () => agentCoverage(client, visible, signal));
}

async function expiryResult(client: SentinelOneClient, signal: AbortSignal | undefined): Promise<StepResult> {
  let expiry;
  try {
    expiry = await client.tokenExpiry(signal);
  } catch (error) {
    const d = diagnosisOf(error);
    return fromDiagnosis(
      {
        ...d,
        code: 's1.expiry_unknown',
        message: `The token’s expiry date could not be read (${d.message})`,
        fix: 'Check the expiration date of the service user in SentinelOne > Settings > Users > Service Users.',
      },
      'warn',
    );
  }
  const { daysToExpiry: days, expiresAt } = expiry;
  const date = expiresAt ? expiresAt.slice(0, 10) : 'unknown';
  // A date the console sent that is no date, or one no token lives to, is named rather than counted from.
  if (expiresAt !== null && (days === null || days > MAX_PLAUSIBLE_TOKEN_DAYS))
    return {
      ...implausibleResult(
        'SentinelOne',
        { value: `“${expiresAt}”`, problem: days === null ? 'is not a date' : 'is more than 100 years away' },
        {
          reported: 'the token’s expiry as',
          meaning: 'when the token stops working is unknown, so the app cannot warn before it does.',
          observed: `Expiry reported as “${expiresAt}”.`,
        },
      ),
      code: 's1.expiry_unknown',
      fix: 'Check the expiration date of the service user in SentinelOne > Settings > Users > Service Users.',
    };
  if (days === null)
    return {
      status: 'warn',
      code: 's1.expiry_unknown',
      observed: 'SentinelOne did not report an expiry date for this token.',
      cause: 'The token’s expiry is unknown, so the app cannot warn before it stops working.',
      fix: 'Check the expiration date of the service user in SentinelOne > Settings > Users > Service Users.',
    };
  if (days < 0)
    return {
      status: 'fail',
      code: 's1.token_expired',
      observed: `Expired on ${date}.`,
      cause: 'The API token has expired.',
      fix: 'Generate a new API token for the service user (SentinelOne > Settings > Users > Service Users > Actions > Generate API Token) and paste it here.',
    };
  if (days < TOKEN_EXPIRY_WARNING_DAYS)
    return {
      status: 'warn',
      code: 's1.token_expiring',
      observed: `Expires in ${days} day${days === 1 ? '' : 's'} (${date}).`,
      cause: `The API token expires in ${days} day${days === 1 ? '' : 's'}; posture checks will fail from then on.`,
      fix: `Before ${date}, generate a new API token for the service user (SentinelOne > Settings > Users > Service Users > Actions > Generate API Token) and paste it here.`,
    };
  return { observed: `Expires in ${days} days (${date}).` };
}

async function agentCoverage(client: SentinelOneClient, visible: number | undefined, signal: AbortSignal | undefined): Promise<StepResult> {
  const first = await client.agents.pages({}, signal).next();
  const page: AgentPage = first.done ? { agents: [], totalItems: 0, unreadable: [] } : first.value;
  const nonsense = page.totalItems === null ? undefined : implausibleCount(page.totalItems, page.agents.length);
  // A total that cannot be believed is not repeated: the agents on the page are what is known.
  const total = nonsense ? page.agents.length : (page.totalItems ?? visible ?? page.agents.length);
  if (total === 0 && !nonsense)
    return {
      status: 'warn',
      code: 's1.no_agents',
      observed: '0 agents visible.',
      cause: 'The token sees no agents, so there is nothing to assess.',
      fix: 'Check that agents are installed and that the service user’s scope covers the sites they are in.',
    };
  const agents = page.agents;
  const withSerial = agents.filter((a) => isUsableSerial(a.serialNumber)).length;
  const active = agents.filter((a) => a.isActive).length;
  const infected = agents.filter((a) => a.infected).length;
  const connected = agents.filter((a) => a.networkStatus === 'connected').length;
  const sample = agents.length < total ? `of the first ${agents.length}` : 'of them';
  const setAside = countSetAside(page.unreadable);
  const unread = [setAsideText(setAside), unreadableText(page.unreadable.length - setAside)].filter(Boolean);
  const observed = `${total} agents ${nonsense ? 'on the first page' : 'visible'}; ${sample}: ${withSerial} with a serial number, ${active} active, ${connected} connected, ${infected} infected${unread.length ? `; ${unread.join(', ')}` : ''}.`;
  if (nonsense)
    return implausibleResult('SentinelOne', nonsense, {
      reported: 'the number of agents (totalItems) as',
      meaning: 'how many agents the token sees is unknown; the counts shown are of the agents on the first page.',
      observed,
    });
  return { observed };
}
