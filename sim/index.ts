// Public API of the provider simulator: start a loopback Falcon + SentinelOne server over a generated fleet.
import { z } from 'zod';
import type { FalconAlert } from './alerts';
import type { AnswerRewrite, SimContext } from './context';
import { FalconGateway } from './falcon/gateway';
import type { FalconIoc } from './falcon/iocs';
import { consoleHosts, falconRegions, type FalconRegion } from './falcon/regions';
import { falconScopes, type FalconScope } from './falcon/scopes';
import { FaultPlan, normalizeFaults, type FaultRule } from './faults';
import { FleetStore, type Fleet } from './fleet';
import { deriveSeed, Random } from './prng';
import { SentinelOneApi } from './sentinelone';
import { SimServer, type SimExchange } from './server';
import { CustomApi } from './custom/api';
import { JamfApi } from './jamf/api';
import { KandjiApi, kandjiRegions, type KandjiPermission, type KandjiRegion } from './kandji/api';
import type { MdmMembership } from './mdm-members';
import { canonicalTime } from './time';

export type { SimExchange, SimProvider } from './server';
export type { MdmMembership, MdmMember } from './mdm-members';
export type { KandjiRegion, KandjiPermission } from './kandji/api';
export { customScore, CUSTOM_MAX_BATCH } from './custom/api';
export { parseFaults, faultKinds, type FaultKind, type FaultRule } from './faults';
export { falconScopes, type FalconScope } from './falcon/scopes';
export { falconRegions, type FalconRegion } from './falcon/regions';
export type { FalconIoc } from './falcon/iocs';
export type { AnswerRewrite, SimAnswer } from './context';
export type {
  Fleet,
  FalconAlert,
  FalconDevice,
  ZtaAssessment,
  ZtaScores,
  ZtaSignal,
  S1Agent,
  S1Site,
  OnlineState,
  OnlineStateRecord,
  DeviceStatus,
  Platform,
} from './fleet';

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Falcon hosts to generate (default 200). */
  devices?: number;
  /** Same seed, same fleet and same credentials (default 1). */
  seed?: number;
  /** Each answer leaves this long after its request arrived, the simulator’s own work on it included (default 0). */
  latencyMs?: number;
  faults?: string | FaultRule[];
  /** The cloud this customer lives in; other `/region/<name>` bases answer 308 (default 'us-1'). */
  homeRegion?: FalconRegion;
  /** Falcon budget per CID per sliding minute (default 6000). */
  rateLimitPerMinute?: number;
  /** Falcon token lifetime (default 1799). */
  tokenTtlSeconds?: number;
  /** Clock for token expiry, rate windows, scroll expiry and alert times (default Date.now). */
  now?: () => number;
  /** Alerts present at start (default devices/4, at most 5000). */
  alerts?: number;
  /**
   * Build every host record and its wire JSON before listening instead of on first request (default false):
   * a slower start for steady answers, so a benchmark times the client, not the simulator's first reads.
   */
  prebuild?: boolean;
  /** Called with every answer as it is sent (tests record the endpoints a flow used and check bodies against the spec). */
  onExchange?: (exchange: SimExchange) => void;
  /** Jamf Pro access-token lifetime in seconds (default 599, as Jamf's sample). */
  jamfTokenTtlSeconds?: number;
  /** Where the Kandji tenant lives; the other region's host answers 404 (default 'us'). */
  kandjiRegion?: KandjiRegion;
  /** Kandji's per-tenant budget (default 10,000 requests per hour). */
  kandjiRequestsPerHour?: number;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`: the Falcon home-region base and the SentinelOne console base (`/web/api/v2.1/...`). */
  url: string;
  /** `${url}/region/<region>`: a Falcon base for any cloud; a non-home region answers 308. */
  regionUrl(region: string): string;
  credentials: {
    falcon: { clientId: string; clientSecret: string; customerId: string };
    sentinelOne: { apiToken: string };
    /** Jamf Pro API client with the "Read Computers" privilege. */
    jamf: { clientId: string; clientSecret: string };
    kandji: { apiToken: string };
    /** The custom endpoint accepts this bearer token or this Cloudflare Access service token. */
    custom: { bearerToken: string; accessClientId: string; accessClientSecret: string };
  };
  /** `${url}/jamf`: the Jamf Pro server URL (the API is under `/api`). */
  jamfUrl: string;
  /** `${url}/kandji/<region>`: the Kandji API URL of a region (default the tenant's). */
  kandjiUrl(region?: KandjiRegion): string;
  /** `${url}/custom/posture` (bearer or Access auth); `${url}/custom/open/posture` needs none. */
  customUrl: string;
  customOpenUrl: string;
  /** Another Jamf API client, e.g. one whose roles lack "Read Computers" (`privileges: []`). */
  addJamfClient(client: { clientId: string; clientSecret: string; privileges?: string[] }): void;
  /** Another Kandji token, e.g. without the device-list permission (`permissions: ['licensing']`). */
  addKandjiToken(token: string, permissions?: KandjiPermission[]): void;
  /** Which fleet Macs each MDM manages, which it lacks and which only it knows. */
  mdm: { jamf(): MdmMembership; kandji(): MdmMembership };
  addFalconClient(client: { clientId: string; clientSecret: string; scopes: FalconScope[] }): void;
  addSentinelOneToken(token: { token: string; siteScoped?: boolean; expiresAt?: string }): void;
  fleet: Fleet;
  /**
   * Test hook: every JSON answer passes through `rewrite` (null removes it), e.g. to serve records with fields
   * missing or odd, a negative total, or an HTML page. Applied before `truncated_page` and `malformed_json`.
   */
  rewriteAnswers(rewrite: AnswerRewrite | null): void;
  setFaults(spec: string | FaultRule[]): void;
  clearFaults(): void;
  addAlerts(n: number, opts?: { severity?: number; createdAt?: string }): FalconAlert[];
  iocs(): FalconIoc[];
  /** The endpoints served, as `METHOD /path` inside each API (S1 without `/web/api/v2.1`). */
  routes(): { falcon: string[]; sentinelOne: string[]; jamf: string[]; kandji: string[]; custom: string[] };
  stats(): {
    requests: number;
    byRoute: Record<string, number>;
    status429: number;
    tokensIssued: number;
    jamfTokensIssued: number;
    peakConcurrency: Partial<Record<string, number>>;
  };
  resetStats(): void;
  close(): Promise<void>;
}

const Options = z
  .object({
    port: z.number().int().min(0).max(65_535).default(0),
    devices: z.number().int().min(0).max(1_000_000).default(200),
    seed: z.number().int().default(1),
    latencyMs: z.number().min(0).default(0),
    faults: z.union([z.string(), z.array(z.unknown())]).optional(),
    homeRegion: z.enum(falconRegions).default('us-1'),
    rateLimitPerMinute: z.number().int().min(1).default(6_000),
    tokenTtlSeconds: z.number().int().min(1).default(1_799),
    now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function returning epoch ms').optional(),
    alerts: z.number().int().min(0).optional(),
    prebuild: z.boolean().default(false),
    onExchange: z.custom<(exchange: SimExchange) => void>((v) => typeof v === 'function', 'onExchange must be a function').optional(),
    jamfTokenTtlSeconds: z.number().int().min(1).default(599),
    kandjiRegion: z.enum(kandjiRegions).default('us'),
    kandjiRequestsPerHour: z.number().int().min(1).default(10_000),
  })
  .strict();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const parsed = Options.safeParse(opts);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid simulator option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const o = parsed.data;
  const faults = normalizeFaults(opts.faults ?? []);
  const now = o.now ?? Date.now;
  const fleet = new FleetStore({
    devices: o.devices,
    seed: o.seed,
    nowMs: now(),
    alerts: o.alerts ?? Math.min(Math.round(o.devices / 4), 5_000),
    consoleHost: consoleHosts[o.homeRegion],
  });
  if (o.prebuild) fleet.prebuild();
  const startedAt = performance.now();
  const sim: SimContext = {
    fleet,
    seed: o.seed,
    now,
    rateNow: o.now ? () => now() + (performance.now() - startedAt) : Date.now,
    homeRegion: o.homeRegion,
    faults: new FaultPlan(faults, o.seed),
    baseUrl: '',
    rewrite: null,
  };
  const falcon = new FalconGateway(sim, { rateLimitPerMinute: o.rateLimitPerMinute, tokenTtlSeconds: o.tokenTtlSeconds });
  const sentinelOne = new SentinelOneApi(sim);

  const r = new Random(deriveSeed(o.seed, 'credentials'));
  const credentials = {
    falcon: {
      clientId: r.hex(32),
      clientSecret: r.chars(40, ALNUM),
      // The CCID: the records' CID, upper-cased, with its two-character checksum.
      customerId: `${fleet.cid.toUpperCase()}-${r.hex(2).toUpperCase()}`,
    },
    sentinelOne: { apiToken: r.chars(80, ALNUM) },
    // Drawn after the older credentials so theirs stay what they were for a seed.
    jamf: { clientId: uuidOf(r.hex(32)), clientSecret: r.chars(64, ALNUM) },
    kandji: { apiToken: uuidOf(r.hex(32)) },
    custom: { bearerToken: r.chars(48, ALNUM), accessClientId: `${r.hex(32)}.access`, accessClientSecret: r.hex(64) },
  };
  falcon.auth.addClient({ ...credentials.falcon, scopes: [...falconScopes] });
  sentinelOne.addToken({ token: credentials.sentinelOne.apiToken });
  const jamf = new JamfApi(sim, o.jamfTokenTtlSeconds);
  jamf.addClient(credentials.jamf);
  const kandji = new KandjiApi(sim, o.kandjiRegion, o.kandjiRequestsPerHour);
  kandji.addToken(credentials.kandji.apiToken);
  const custom = new CustomApi(sim, credentials.custom);

  const server = new SimServer(sim, { falcon, sentinelOne }, o.latencyMs, o.onExchange, [
    { provider: 'jamf', prefix: '/jamf', surface: jamf },
    { provider: 'kandji', prefix: '/kandji', regional: true, surface: kandji },
    { provider: 'custom', prefix: '/custom', surface: custom },
  ]);
  const port = await server.listen(o.port);
  const url = `http://127.0.0.1:${port}`;
  sim.baseUrl = url;

  return {
    url,
    regionUrl: (region) => `${url}/region/${region}`,
    credentials,
    jamfUrl: `${url}/jamf`,
    kandjiUrl: (region = o.kandjiRegion) => `${url}/kandji/${region}`,
    customUrl: `${url}/custom/posture`,
    customOpenUrl: `${url}/custom/open/posture`,
    addJamfClient: (client) => jamf.addClient(client),
    addKandjiToken: (token, permissions) => kandji.addToken(token, permissions),
    mdm: { jamf: () => jamf.members(), kandji: () => kandji.members() },
    addFalconClient: (client) => falcon.auth.addClient(client),
    addSentinelOneToken: (token) => sentinelOne.addToken(token),
    fleet,
    rewriteAnswers: (rewrite) => {
      sim.rewrite = rewrite;
    },
    setFaults: (spec) => {
      sim.faults = new FaultPlan(normalizeFaults(spec), o.seed);
    },
    clearFaults: () => {
      sim.faults = new FaultPlan([], o.seed);
    },
    addAlerts: (n, options = {}) => {
      if (!Number.isInteger(n) || n < 0) throw new Error(`addAlerts needs a non-negative integer count; got ${n}`);
      if (options.severity !== undefined && !(Number.isInteger(options.severity) && options.severity >= 1 && options.severity <= 100))
        throw new Error(`severity must be an integer 1-100; got ${options.severity}`);
      if (options.createdAt !== undefined && canonicalTime(options.createdAt) === undefined)
        throw new Error(`createdAt must be an ISO-8601 timestamp; got "${options.createdAt}"`);
      return fleet.addAlertsAt(n, now(), false, {
        ...(options.severity === undefined ? {} : { severity: options.severity }),
        ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
      });
    },
    iocs: () => falcon.iocs.all().filter((i) => !i.deleted),
    routes: () => ({ falcon: falcon.routes(), sentinelOne: sentinelOne.routes(), jamf: jamf.routes(), kandji: kandji.routes(), custom: custom.routes() }),
    stats: () => ({
      ...server.stats,
      byRoute: { ...server.stats.byRoute },
      peakConcurrency: { ...server.stats.peakConcurrency },
      tokensIssued: falcon.auth.tokensIssued,
      jamfTokensIssued: jamf.tokensIssued,
    }),
    resetStats: () => {
      server.resetStats();
      falcon.auth.tokensIssued = 0;
      jamf.tokensIssued = 0;
    },
    close: () => server.close(),
  };
}

function uuidOf(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
