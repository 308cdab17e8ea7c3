// The Test for a Kandji connection: API host reachable (and, when the tenant is not there, whether it answers in
// the other region) → clock → token → device-list permission → data coverage and the hourly budget.
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import { isProviderError, ProviderError } from '../diagnosis';
import type { TestDeps } from '../diagnose';
import { isUsableSerial } from '../serial';
import { clockStep, diagnosisOf, reachabilityStep, skipRest, type StepResult, type TestRun } from '../test-run';
import { createKandjiClient } from './client';
import { KANDJI_REQUESTS_PER_HOUR, kandjiApiBase, kandjiOtherRegion, kandjiRegionOf } from './session';

type KandjiConfig = Extract<ProviderConfig, { kind: 'kandji' }>;

export async function runKandjiChecks(run: TestRun, config: KandjiConfig, deps: TestDeps): Promise<void> {
  const { signal } = deps;
  const client = createKandjiClient({ apiUrl: config.apiUrl, getToken: deps.getSecret, http: deps.http, clock: deps.clock });
  const base = kandjiApiBase(config.apiUrl);
  const region = kandjiRegionOf(base);
  const later: [string, string][] = [
    ['token', 'API token'],
    ['permission', 'Device list permission'],
    ['coverage', 'Data coverage'],
  ];
  const reach = await reachabilityStep(run, base, () =>
    deps.http.request({ method: 'GET', url: `${base}/api/v1/devices`, query: { limit: 1 }, signal, maxAttempts: 2 }),
  );
  if (reach.status === 'fail') {
    // A DNS failure on one region's host may just be the tenant living in the other one.
    await regionStep(run, client, config, deps, 'the host could not be reached');
    return skipRest(run, [['clock', 'Clock'], ...later], 'Skipped: the Kandji API host could not be reached.');
  }
  await clockStep(run, deps.http, base);

  let enrolled: number | undefined;
  const token = await run.step('token', 'API token', async () => {
    try {
      enrolled = await client.enrolledCount(signal);
    } catch (error) {
      const code = diagnosisOf(error).code;
      // A token without the licensing tick box still authenticates: the device list tells.
      if (code === 'kandji.permission_missing') return { observed: 'The token was accepted (it cannot read the licence counts, which is fine).' };
      if (code === 'kandji.not_kandji') return regionOrFail(client, config, deps, error);
      throw error;
    }
    return {
      observed: `The token was accepted by ${new URL(base).host}${region ? ` (${region.toUpperCase()} region)` : ''}${enrolled !== undefined ? `: ${enrolled} devices enrolled` : ''}.`,
    };
  });
  if (token.status === 'fail') return skipRest(run, later.slice(1), 'Skipped: the API token was not accepted.');

  let first: Awaited<ReturnType<typeof client.firstPage>> | undefined;
  const permission = await run.step('permission', 'Device list permission', async () => {
    first = await client.firstPage(signal);
    return { observed: 'The token may list devices (Devices → Device list).' };
  });
  if (permission.status === 'fail' || !first) return skipRest(run, later.slice(2), 'Skipped: the device list cannot be read.');

  await run.step('coverage', 'Data coverage', async () => {
    const devices = first!.devices;
    if (devices.length === 0)
      return {
        status: 'warn',
        code: 'kandji.no_devices',
        observed: '0 devices listed.',
        cause: 'Kandji lists no devices for this tenant, so there is nothing to assess.',
        fix: 'Check that devices are enrolled in this Kandji tenant (and that the API URL is this tenant’s).',
      };
    const withSerial = devices.filter((d) => isUsableSerial(d.serial)).length;
    const mdm = devices.filter((d) => d.mdmEnabled).length;
    const agent = devices.filter((d) => d.agentInstalled).length;
    const removed = devices.filter((d) => d.isRemoved).length;
    const shown = enrolled ?? devices.length;
    const sample = devices.length < shown ? `of the first ${devices.length}` : 'of them';
    const pollCost = Math.ceil(shown / 300) + 1;
    return {
      observed: `${shown} devices; ${sample}: ${withSerial} with a serial number, ${mdm} with MDM enabled, ${agent} with the agent, ${removed} removed. A poll costs about ${pollCost} requests of the tenant’s ${KANDJI_REQUESTS_PER_HOUR.toLocaleString('en-US')} per hour (${client.requestsThisHour()} used by this app in the last hour).`,
    };
  });
}

/** When the host does not know the tenant: does the other region's host accept the same token? */
async function regionOrFail(client: ReturnType<typeof createKandjiClient>, config: KandjiConfig, deps: TestDeps, error: unknown): Promise<StepResult> {
  const other = kandjiOtherRegion(client.apiBase);
  if (other) {
    const twin = createKandjiClient({ apiUrl: other, getToken: deps.getSecret, http: deps.http, clock: deps.clock });
    try {
      await twin.firstPage(deps.signal);
      const r = kandjiRegionOf(other) ?? (/\/eu$/.test(other) ? 'eu' : 'us');
      return {
        status: 'fail',
        code: 'kandji.wrong_region',
        observed: `${new URL(client.apiBase).host} does not know this tenant; ${other} accepted the same token.`,
        cause: `This Kandji tenant is in the ${r.toUpperCase()} region, but the API URL points at the other region’s host.`,
        fix: `Change the API URL to ${other} (Kandji > Settings > Access shows it).`,
      };
    } catch {
      // Neither region knows it: report the first answer.
    }
  }
  if (isProviderError(error)) throw error;
  throw new ProviderError(diagnosisOf(error));
}

async function regionStep(run: TestRun, client: ReturnType<typeof createKandjiClient>, config: KandjiConfig, deps: TestDeps, why: string): Promise<void> {
  const other = kandjiOtherRegion(client.apiBase);
  if (!other) return;
  await run.step('region', 'Region', async () => {
    const twin = createKandjiClient({ apiUrl: other, getToken: deps.getSecret, http: deps.http, clock: deps.clock });
    try {
      await twin.firstPage(deps.signal);
    } catch {
      return {
        status: 'warn',
        observed: `${new URL(other).host} did not accept the token either.`,
        cause: `${why}; the subdomain may be mistyped.`,
        fix: 'Copy the API URL from Kandji > Settings > Access.',
      };
    }
    return {
      status: 'fail',
      code: 'kandji.wrong_region',
      observed: `${why}; ${other} accepted the same token.`,
      cause: 'This Kandji tenant is in the other region.',
      fix: `Change the API URL to ${other} (Kandji > Settings > Access shows it).`,
    };
  });
  void config;
}
