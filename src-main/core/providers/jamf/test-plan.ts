// The Test for a Jamf Pro connection: server reachable and is Jamf Pro → clock → API client token → the role's
// "Read Computers" privilege (on the newest inventory version the server has) → data coverage.
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import { ProviderError } from '../diagnosis';
import type { TestDeps } from '../diagnose';
import { isUsableSerial } from '../serial';
import { clockStep, reachabilityStep, skipRest, type TestRun } from '../test-run';
import { createJamfClient } from './client';
import { readComputers } from './inventory';

type JamfConfig = Extract<ProviderConfig, { kind: 'jamf' }>;

const DAY = 86_400_000;

export async function runJamfChecks(run: TestRun, config: JamfConfig, deps: TestDeps): Promise<void> {
  const client = createJamfClient({ serverUrl: config.serverUrl, clientId: config.clientId, getSecret: deps.getSecret, http: deps.http, clock: deps.clock });
  const { signal } = deps;
  const later: [string, string][] = [
    ['authentication', 'API client'],
    ['privilege', 'Read Computers privilege'],
    ['coverage', 'Data coverage'],
  ];
  let anonymous: { status: number; body: unknown; text: string } | undefined;
  const reach = await reachabilityStep(run, client.serverUrl, async () => {
    const res = await client.session.callAnonymous({ path: '/v1/jamf-pro-version', signal, what: 'read the version' });
    anonymous = res;
    return res;
  });
  if (reach.status === 'fail') return skipRest(run, [['jamf', 'Jamf Pro server'], ['clock', 'Clock'], ...later], 'Skipped: the server could not be reached.');

  const isJamf = await run.step('jamf', 'Jamf Pro server', async () => {
    const body = anonymous?.body as { httpStatus?: unknown; version?: unknown } | undefined;
    if (anonymous && ((anonymous.status === 401 && body && 'httpStatus' in body) || (anonymous.status === 200 && typeof body?.version === 'string')))
      return { observed: `${new URL(client.serverUrl).host} answers as Jamf Pro (the Jamf Pro API under /api).` };
    throw new ProviderError({
      code: 'jamf.not_jamf',
      status: anonymous?.status,
      message: `${new URL(client.serverUrl).host} answered, but not as Jamf Pro (HTTP ${anonymous?.status ?? '?'} ${anonymous?.body === undefined ? 'with a page that is not JSON' : 'without the Jamf Pro API error shape'} for /api/v1/jamf-pro-version).`,
      fix: 'Enter the address you open the Jamf Pro console at (e.g. https://yourcompany.jamfcloud.com; on-premises often :8443), without /api or a page path.',
    });
  });
  if (isJamf.status === 'fail') return skipRest(run, [['clock', 'Clock'], ...later], 'Skipped: this is not a Jamf Pro server.');
  await clockStep(run, deps.http, client.serverUrl);

  const auth = await run.step('authentication', 'API client', async () => {
    const token = await client.authenticate(signal);
    const version = await client.session.call({ path: '/v1/jamf-pro-version', signal, what: 'read the version' });
    const v = (version.body as { version?: unknown } | undefined)?.version;
    return {
      observed: `Token issued for client ${config.clientId}${token.expiresInSeconds ? ` (lifetime ${token.expiresInSeconds} s, renewed a minute before it ends)` : ''}${token.scope ? `, roles ${token.scope}` : ''}; Jamf Pro ${typeof v === 'string' ? v.split('-')[0] : 'version unknown'}.`,
    };
  });
  if (auth.status === 'fail') return skipRest(run, later.slice(1), 'Skipped: the API client was not accepted.');

  let first: Awaited<ReturnType<typeof client.computers>> | undefined;
  const privilege = await run.step('privilege', 'Read Computers privilege', async () => {
    const probe = createJamfClient({
      serverUrl: config.serverUrl,
      clientId: config.clientId,
      getSecret: deps.getSecret,
      http: deps.http,
      clock: deps.clock,
      pageSize: 100,
    });
    first = await firstPageOnly(probe, signal);
    if (first.version < 4)
      return {
        status: 'warn' as const,
        code: 'jamf.old_server',
        observed: `Read Computers granted; this server has no computers-inventory v4, so the deprecated v${first.version} is used.`,
        cause: `Jamf Pro older than 11.30 answers 404 for /api/v4/computers-inventory; v${first.version} is deprecated and will be removed.`,
        fix: 'Update Jamf Pro to 11.30 or later. Polls keep working on the older version meanwhile.',
      };
    return { observed: 'The API role has Read Computers: computers-inventory v4 answered.' };
  });
  if (privilege.status === 'fail' || !first) return skipRest(run, later.slice(2), 'Skipped: the computer inventory cannot be read.');

  await run.step('coverage', 'Data coverage', async () => {
    const read = first!;
    const computers = read.computers;
    const total = read.totalCount ?? computers.length;
    if (total === 0)
      return {
        status: 'warn',
        code: 'jamf.no_computers',
        observed: '0 computers in the inventory.',
        cause: 'Jamf Pro lists no computers, so there is nothing to assess.',
        fix: 'Check that Macs are enrolled in this Jamf Pro server, and that the API client’s site access covers them.',
      };
    const now = deps.clock.now();
    const withSerial = computers.filter((c) => isUsableSerial(c.serial)).length;
    const managed = computers.filter((c) => c.managed).length;
    const recent = computers.filter((c) => c.reportDate !== null && now - c.reportDate < 7 * DAY).length;
    const sample = computers.length < total ? `of the first ${computers.length}` : 'of them';
    return {
      observed: `${total} computers; ${sample}: ${withSerial} with a serial number, ${managed} managed, ${recent} with an inventory update in the last 7 days${read.unreadable.length ? `; ${read.unreadable.length} unreadable` : ''}.`,
    };
  });
}

/** The first page only, through the same version fallback as a poll. */
async function firstPageOnly(client: ReturnType<typeof createJamfClient>, signal: AbortSignal | undefined) {
  const state: { version: undefined } = { version: undefined };
  return readComputers(client.session, state, { pageSize: 100, signal, firstPageOnly: true });
}
