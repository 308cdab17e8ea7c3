// The posture-source registry of the core: for each kind, how its client is built, how it is Tested, and how
// its records become device observations. The poll, the Test and the client cache consult this table.
import type { PostureProviderKind } from '../../../src-shared/schemas/posture';
import type { ProviderConfig } from '../../../src-shared/schemas/providers';
import { createFalconClient, type FalconClientOptions } from './crowdstrike/client';
import { observeFalcon } from './crowdstrike/observe';
import { runFalconChecks } from './crowdstrike/test-plan';
import type { TestDeps } from './diagnose';
import type { HttpClient } from './http';
import { createIntuneClient } from './intune/client';
import { observeIntune } from './intune/observe';
import { runIntuneChecks } from './intune/test-plan';
import type { ObserveInput, SourceObservations } from './observations';
import { createSentinelOneClient } from './sentinelone/client';
import { observeSentinelOne } from './sentinelone/observe';
import { runSentinelOneChecks } from './sentinelone/test-plan';
import type { TestRun } from './test-run';
import { createJamfClient } from './jamf/client';
import { observeJamf } from './jamf/observe';
import { runJamfChecks } from './jamf/test-plan';
import { createKandjiClient } from './kandji/client';
import { observeKandji } from './kandji/observe';
import { runKandjiChecks } from './kandji/test-plan';
import { observeCustom } from './custom/observe';
import { createCustomSource } from './custom/source';
import { runCustomChecks } from './custom/test-plan';

/** What the app lends a client: the shared HTTP pools, the secret from the vault, and a way to save a moved region. */
export interface ClientContext {
  http: HttpClient;
  getSecret: () => Promise<string>;
  onRegionDiscovered: NonNullable<FalconClientOptions['onRegionDiscovered']>;
}

export interface PostureSourceModule<K extends PostureProviderKind, Client, PollClient> {
  kind: K;
  createClient(config: Extract<ProviderConfig, { kind: K }>, ctx: ClientContext): Client;
  /** The layered Test after the common bookkeeping (each step through `run`). */
  runTest(run: TestRun, config: Extract<ProviderConfig, { kind: K }>, deps: TestDeps): Promise<void>;
  /** One posture poll: every record, read one by one with the records.ts tolerance. */
  observe(client: PollClient, input: ObserveInput): Promise<SourceObservations>;
}

const define = <K extends PostureProviderKind, Client extends PollClient, PollClient>(m: PostureSourceModule<K, Client, PollClient>) => m;

export const postureSourceModules = {
  'crowdstrike-zta': define({
    kind: 'crowdstrike-zta',
    createClient: (config, ctx) =>
      createFalconClient({
        region: config.region,
        baseUrl: config.baseUrl,
        clientId: config.clientId,
        getSecret: ctx.getSecret,
        http: ctx.http,
        onRegionDiscovered: ctx.onRegionDiscovered,
      }),
    runTest: runFalconChecks,
    observe: observeFalcon,
  }),
  sentinelone: define({
    kind: 'sentinelone',
    createClient: (config, ctx) => createSentinelOneClient({ apiUrl: config.apiUrl, getToken: ctx.getSecret, http: ctx.http }),
    runTest: runSentinelOneChecks,
    observe: observeSentinelOne,
  }),
  jamf: define({
    kind: 'jamf',
    createClient: (config, ctx) => createJamfClient({ serverUrl: config.serverUrl, clientId: config.clientId, getSecret: ctx.getSecret, http: ctx.http }),
    runTest: runJamfChecks,
    observe: observeJamf,
  }),
  kandji: define({
    kind: 'kandji',
    createClient: (config, ctx) => createKandjiClient({ apiUrl: config.apiUrl, getToken: ctx.getSecret, http: ctx.http }),
    runTest: runKandjiChecks,
    observe: observeKandji,
  }),
  custom: define({
    kind: 'custom',
    createClient: (config, ctx) => createCustomSource(config, ctx),
    runTest: runCustomChecks,
    observe: observeCustom,
  }),
  intune: define({
    kind: 'intune',
    createClient: (config, ctx) => createIntuneClient({ ...config, getSecret: ctx.getSecret, http: ctx.http }),
    runTest: (run, config, deps) => runIntuneChecks(run, config, deps),
    observe: observeIntune,
  }),
} satisfies { [K in PostureProviderKind]: PostureSourceModule<K, unknown, never> };

type Modules = typeof postureSourceModules;

/** The client calls a posture poll needs, by provider kind (tests pass a partial client). */
export type PostureSource = { [K in PostureProviderKind]: { kind: K; client: Parameters<Modules[K]['observe']>[0] } }[PostureProviderKind];

/** The full client of one posture kind. */
export type PostureClient = ReturnType<Modules[PostureProviderKind]['createClient']>;

type AnyModule = PostureSourceModule<PostureProviderKind, unknown, unknown>;

/** The module of a kind, loosened so a config or client of that kind can be handed to it without a switch. */
export const sourceModule = (kind: PostureProviderKind): AnyModule => postureSourceModules[kind] as unknown as AnyModule;
