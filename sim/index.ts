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
import { canonicalTime } from './time';

export type { SimExchange } from './server';
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
  /** Added to every response (default 0). */
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
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`: the Falcon home-region base and the SentinelOne console base (`/web/api/v2.1/...`). */
  url: string;
  /** `${url}/region/<region>`: a Falcon base for any cloud; a non-home region answers 308. */
  regionUrl(region: string): string;
  credentials: {
    falcon: { clientId: string; clientSecret: string; customerId: string };
    sentinelOne: { apiToken: string };
  };
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
  routes(): { falcon: string[]; sentinelOne: string[] };
  stats(): { requests: number; byRoute: Record<string, number>; status429: number; tokensIssued: number };
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
  };
  falcon.auth.addClient({ ...credentials.falcon, scopes: [...falconScopes] });
  sentinelOne.addToken({ token: credentials.sentinelOne.apiToken });

  const server = new SimServer(sim, { falcon, sentinelOne }, o.latencyMs, o.onExchange);
  const port = await server.listen(o.port);
  const url = `http://127.0.0.1:${port}`;
  sim.baseUrl = url;

  return {
    url,
    regionUrl: (region) => `${url}/region/${region}`,
    credentials,
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
    routes: () => ({ falcon: falcon.routes(), sentinelOne: sentinelOne.routes() }),
    stats: () => ({ ...server.stats, byRoute: { ...server.stats.byRoute }, tokensIssued: falcon.auth.tokensIssued }),
    resetStats: () => {
      server.resetStats();
      falcon.auth.tokensIssued = 0;
    },
    close: () => server.close(),
  };
}
