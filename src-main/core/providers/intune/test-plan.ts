// The Test for an Intune connection: login host reachable → Graph host reachable → clock → tenant exists →
// app signs in (secret valid, not expired) → admin consent for DeviceManagementManagedDevices.Read.All →
// data coverage (devices, and how many carry no serial to match them by).
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import type { Clock } from '../clock';
import { ProviderError } from '../diagnosis';
import type { HttpClient } from '../http';
import { isUsableSerial } from '../serial';
import { clockStep, fromDiagnosis, skipRest, type TestRun } from '../test-run';
import { createIntuneClient, type IntuneClient } from './client';
import { READ_PERMISSION, aadstsCode, tokenFailure } from './errors';

type IntuneConfig = Extract<ProviderConfig, { kind: 'intune' }>;

interface IntuneTestDeps {
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock: Clock;
  signal?: AbortSignal;
}

const PERMISSIONS = [READ_PERMISSION, 'DeviceManagementManagedDevices.ReadWrite.All'];

/** Any HTTP answer proves the host is reachable; a 429 or 5xx too. */
async function reach(run: TestRun, id: string, title: string, origin: string, http: HttpClient, signal?: AbortSignal) {
  return run.step(id, title, async () => {
    const transport = origin.startsWith('https:') ? 'over TLS with a trusted certificate' : 'over plain HTTP (loopback)';
    try {
      const res = await http.request({ method: 'GET', url: `${origin}/`, signal, maxAttempts: 1 });
      return { observed: `${new URL(origin).host} answered ${transport} in ${res.elapsedMs} ms (HTTP ${res.status}).` };
    } catch (error) {
      const code = error instanceof ProviderError ? error.diagnosis.code : undefined;
      if (code === 'http.rate_limited' || code === 'http.server_error') return { observed: `${new URL(origin).host} answered ${transport}.` };
      throw error;
    }
  });
}

export async function runIntuneChecks(run: TestRun, config: IntuneConfig, deps: IntuneTestDeps, client?: IntuneClient): Promise<void> {
  const intune = client ?? createIntuneClient({ ...config, getSecret: deps.getSecret, http: deps.http, clock: deps.clock });
  const { signal } = deps;
  const later: [string, string][] = [
    ['tenant', 'Tenant'],
    ['authentication', 'Authentication'],
    ['consent', 'Admin consent'],
    ['coverage', 'Data coverage'],
  ];

  const login = await reach(run, 'reachability.login', 'Reachability: sign-in host', intune.loginOrigin, deps.http, signal);
  const graph = await reach(run, 'reachability.graph', 'Reachability: Graph host', intune.graphOrigin, deps.http, signal);
  if (login.status === 'fail' || graph.status === 'fail')
    return skipRest(run, [['clock', 'Clock'], ...later], `Skipped: the ${login.status === 'fail' ? 'sign-in' : 'Graph'} host could not be reached.`);
  await clockStep(run, deps.http, intune.graphOrigin);

  const tenant = await run.step('tenant', 'Tenant', async () => {
    const url = `${intune.loginOrigin}/${encodeURIComponent(config.tenantId)}/v2.0/.well-known/openid-configuration`;
    const res = await deps.http.request({ method: 'GET', url, signal, maxAttempts: 2 });
    if (res.status === 200) return { observed: `Entra ID knows tenant ${config.tenantId} in this cloud.` };
    if (aadstsCode(res.body) !== undefined) return fromDiagnosis(tokenFailure(res, config.tenantId).diagnosis);
    return { status: 'warn', observed: `The tenant's sign-in metadata answered HTTP ${res.status}; the sign-in step below says more.` };
  });
  if (tenant.status === 'fail') return skipRest(run, later.slice(1), 'Skipped: the tenant does not exist in this cloud.');

  let roles: string[] | null = null;
  const auth = await run.step('authentication', 'Authentication', async () => {
    const token = await intune.token(signal);
    roles = token.roles;
    const minutes = Math.round((token.expiresAt - deps.clock.now()) / 60_000);
    return { observed: `Entra ID issued an app-only token for Graph (valid ${minutes} min).` };
  });
  if (auth.status === 'fail') return skipRest(run, later.slice(2), 'Skipped: the app could not sign in.');

  const consent = await run.step('consent', 'Admin consent', async () => {
    const granted = (roles as string[] | null)?.filter((r) => PERMISSIONS.includes(r)) ?? [];
    const missing = new ProviderError({
      code: 'intune.consent_missing',
      message: `The app's token carries no ${READ_PERMISSION} role: the application permission is missing or an admin has not consented to it.`,
      fix: `In the app registration open API permissions > Add a permission > Microsoft Graph > Application permissions > ${READ_PERMISSION}, then Grant admin consent for the tenant.`,
      observed: roles === null ? 'The token has no roles claim.' : `Token roles: ${(roles as string[]).join(', ') || 'none'}.`,
    });
    if (granted.length === 0) return fromDiagnosis(missing.diagnosis);
    // The roles claim says what was granted; one Graph call proves it is honoured.
    const first = await intune.devices.pages({ signal, top: 1 }).next();
    const count = first.done ? 0 : (first.value.count ?? first.value.devices.length);
    return { observed: `Granted: ${granted.join(', ')}; Graph listed managed devices (${count} reported).` };
  });
  if (consent.status === 'fail') return skipRest(run, later.slice(3), 'Skipped: Graph refuses to list managed devices.');

  await run.step('coverage', 'Data coverage', async () => {
    let devices = 0;
    let withoutSerial = 0;
    let unreadable = 0;
    for await (const page of intune.devices.pages({ signal })) {
      devices += page.devices.length;
      unreadable += page.unreadable.length;
      for (const d of page.devices) if (!isUsableSerial(d.serialNumber ?? null)) withoutSerial++;
    }
    const observed = `${devices.toLocaleString('en-US')} managed devices, ${withoutSerial.toLocaleString('en-US')} without a usable serial number${unreadable ? `, ${unreadable} unreadable` : ''}.`;
    if (devices === 0)
      return fromDiagnosis(
        {
          code: 'intune.no_devices',
          message: 'Intune lists no managed devices for this tenant, so there is nothing to evaluate.',
          fix: 'Check that devices are enrolled in Intune (Intune admin center > Devices > All devices) and that the tenant is the one they are enrolled in.',
          observed,
        },
        'warn',
      );
    if (withoutSerial > 0)
      return fromDiagnosis(
        {
          code: 'intune.serials_missing',
          message: `${withoutSerial.toLocaleString('en-US')} of ${devices.toLocaleString('en-US')} devices report no usable serial number; their checks are unknown and they cannot be matched to other sources.`,
          fix: 'Usually Linux machines and personally owned Android work profiles; nothing to change in the console. Enrol such devices with corporate ownership where serials are reported.',
          observed,
        },
        'warn',
      );
    return { observed };
  });
}
