// The Test for a custom endpoint (§2.5): reachable → POST {"devices":[]} answers 200 {"result":{}} with the
// configured authentication (which proves auth and shape, as Cloudflare's Test does).
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import type { TestDeps } from '../diagnose';
import { isProviderError, ProviderError } from '../diagnosis';
import { reachabilityStep, skipRest, type TestRun } from '../test-run';
import { customClientOf } from './source';

type CustomConfig = Extract<ProviderConfig, { kind: 'custom' }>;

export async function runCustomChecks(run: TestRun, config: CustomConfig, deps: TestDeps): Promise<void> {
  const { client } = customClientOf(config, { http: deps.http, getSecret: deps.getSecret, clock: deps.clock });
  let probeError: unknown;
  let probed: Awaited<ReturnType<typeof client.probe>> | undefined;
  const reach = await reachabilityStep(run, config.url, async () => {
    const started = deps.clock.now();
    try {
      probed = await client.probe(deps.signal);
    } catch (error) {
      // Any HTTP answer proves the host is there; the contract step says what it meant.
      if (!isProviderError(error) || error.diagnosis.status === undefined) throw error;
      probeError = error;
      return { status: error.diagnosis.status, elapsedMs: deps.clock.now() - started };
    }
    const failed = probed.failedBatches[0];
    if (failed && failed.diagnosis.status === undefined) throw new ProviderError(failed.diagnosis);
    return { status: failed?.diagnosis.status ?? 200, elapsedMs: deps.clock.now() - started };
  });
  if (reach.status === 'fail') return skipRest(run, [['contract', 'Authentication and answer']], 'Skipped: the endpoint could not be reached.');
  await run.step('contract', 'Authentication and answer', async () => {
    if (probeError) throw probeError;
    const failed = probed?.failedBatches[0];
    if (failed) throw new ProviderError(failed.diagnosis);
    const how = config.auth === 'bearer' ? 'a bearer token' : config.auth === 'cloudflareAccess' ? 'the Cloudflare Access service token' : 'no authentication';
    return {
      observed: `POST {"devices":[]} with ${how} answered 200 {"result":{}}: authentication and answer shape are right. Polls send the devices the other sources report, ${config.batchSize} per request.`,
    };
  });
}
