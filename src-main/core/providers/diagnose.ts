// The one-click Test: layered steps (reachability → clock → authentication → region → one probe per
// scope → data coverage), each announced as it runs, each failure with its cause and fix.
import { randomUUID } from 'node:crypto';
import type { FalconRegion, ProviderConfig, TestReport, TestStep } from '../../../src-shared/schemas/providers';
import type { Clock } from './clock';
import { runFalconChecks } from './crowdstrike/test-plan';
import type { DiscoveredRegion } from './crowdstrike/regions';
import type { HttpClient } from './http';
import { sourceModule } from './registry';
import { TestRun } from './test-run';

export interface TestDeps {
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock: Clock;
  onStep: (step: TestStep) => void;
  /** A 308 showed the credentials live in another cloud; the app may save the region. */
  onRegionDiscovered?: (region: FalconRegion, discovered: DiscoveredRegion) => void | Promise<void>;
  signal?: AbortSignal;
  runId?: string;
}

export async function testProvider(config: ProviderConfig, deps: TestDeps): Promise<TestReport> {
  const run = new TestRun(deps.clock, deps.onStep);
  const startedAt = new Date(deps.clock.now()).toISOString();
  // The incidents connection is no posture source; every posture source brings its own plan (registry.ts).
  if (config.kind === 'crowdstrike-falcon-incidents') await runFalconChecks(run, config, deps);
  else await sourceModule(config.kind).runTest(run, config, deps);
  return {
    providerId: config.id,
    runId: deps.runId ?? randomUUID(),
    startedAt,
    finishedAt: new Date(deps.clock.now()).toISOString(),
    ok: run.ok,
    steps: run.steps,
  };
}
