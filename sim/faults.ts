// Fault rules: the compact CLI grammar, validation, and the deterministic decision of which requests a rule hits.
import { z } from 'zod';
import { falconScopes, isFalconScope, type FalconScope } from './falcon/scopes';
import { deriveSeed, Random } from './prng';

export const faultKinds = [
  'latency',
  'rate_limit',
  'server_error',
  'hang',
  'malformed_json',
  'truncated_page',
  'token_expiry',
  'wrong_region',
  'route_missing',
  'missing_scope',
  'bad_credentials',
  's1_site_scoped',
  's1_token_expired',
  's1_token_expiring',
  'variance',
  'jamf_bad_credentials',
  'jamf_missing_role',
  'jamf_token_expired',
  'jamf_old_server',
  'kandji_eu_host',
  'kandji_bad_token',
  'kandji_missing_permission',
  'custom_bad_token',
  'custom_missing_ids',
  'custom_bad_scores',
  'custom_extra_ids',
  'custom_access_login',
  'custom_invalid_sample',
  'intune_tenant_not_found',
  'intune_secret_expired',
  'intune_consent_missing',
  'intune_rate_limit',
  'intune_paging_cut',
  'intune_wrong_cloud',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export interface FaultRule {
  kind: FaultKind;
  /** Path prefix (`/devices`, `/web/api/v2.1/agents`, `/agents`) or `*` (default) for every route. */
  route?: string;
  /** Probability 0..1 that a matching request is hit (default 1), drawn from a seeded stream. */
  rate?: number;
  /** Only the first N matching requests are considered. */
  count?: number;
  /**
   * Kind-specific magnitude: intune_rate_limit Retry-After seconds (none sent when absent), intune_paging_cut pages served
   * before the list stops, latency ms, server_error status, rate_limit seconds to wait, truncated_page items dropped, token_expiry calls a token survives, variance percent of records varied. */
  value?: number;
  /** missing_scope: the scope the client lacks. */
  scope?: FalconScope;
}

const FaultRuleSchema = z
  .object({
    kind: z.enum(faultKinds),
    route: z
      .string()
      .refine((r) => r === '*' || r.startsWith('/'), 'route must be "*" or start with "/"')
      .optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(0).optional(),
    value: z.number().min(0).optional(),
    scope: z.enum(falconScopes).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === 'missing_scope' && !rule.scope)
      ctx.addIssue({ code: 'custom', path: ['scope'], message: `missing_scope needs a scope (${falconScopes.join(', ')})` });
    if (rule.kind === 'latency' && rule.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'latency needs a value in milliseconds' });
    if (rule.kind === 'variance' && rule.value !== undefined && rule.value > 100)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'variance value is the percent of records varied, 0-100' });
    if (rule.kind === 'jamf_old_server' && rule.value !== undefined && (rule.value < 1 || rule.value > 3 || !Number.isInteger(rule.value)))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'jamf_old_server value is the newest computers-inventory version the server has, 1-3' });
    if (rule.kind === 'custom_missing_ids' && rule.value !== undefined && rule.value > 100)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'custom_missing_ids value is the percent of answers left out, 0-100' });
    if (rule.kind === 'server_error' && rule.value !== undefined && (rule.value < 500 || rule.value > 599))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'server_error value must be a 5xx status such as 500, 502 or 503' });
  });

const GRAMMAR = [
  'Form: kind[:route][:number][:key=value]..., rules separated by commas.',
  `Kinds: ${faultKinds.join(', ')}.`,
  'route: "*" or a path prefix starting with "/"; number: a decimal 0.0-1.0 or a percentage (20%) is the rate, an integer (50, 503) is the value;',
  `keys: rate=, count=, value=, route=, scope=; missing_scope takes a scope (${falconScopes.join(', ')}).`,
  'Examples: rate_limit:/devices:0.2, latency:*:50, missing_scope:devices:read, server_error:/alerts:count=3, variance:*:30,',
  'jamf_old_server:3, jamf_token_expired:count=1, kandji_eu_host, custom_missing_ids:25, latency:/custom:20000.',
  'intune_rate_limit:0.3 (429 without Retry-After), intune_rate_limit:*:2 (Retry-After: 2), intune_paging_cut:3, intune_secret_expired.',
].join(' ');

function fail(rule: string, message: string): never {
  throw new Error(`Invalid fault "${rule}": ${message}. ${GRAMMAR}`);
}

/** Re-joins `devices` + `read` (split on ":") into the scope `devices:read`. */
function joinScopes(parts: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const next = parts[i + 1];
    const bare = part.startsWith('scope=') ? part.slice('scope='.length) : part;
    if (next !== undefined && isFalconScope(`${bare}:${next}`)) {
      out.push(`${part}:${next}`);
      i++;
    } else out.push(part);
  }
  return out;
}

function parseNumber(rule: string, token: string, what: string): number {
  const n = Number(token);
  if (token === '' || !Number.isFinite(n)) fail(rule, `"${token}" is not a number (${what})`);
  return n;
}

function parseRule(text: string): FaultRule {
  const [kindToken = '', ...rest] = text.split(':').map((t) => t.trim());
  if (!(faultKinds as readonly string[]).includes(kindToken)) fail(text, `unknown fault kind "${kindToken}"`);
  const rule: Record<string, unknown> = { kind: kindToken };
  for (const token of joinScopes(rest)) {
    const eq = token.indexOf('=');
    if (eq > 0) {
      const key = token.slice(0, eq);
      const value = token.slice(eq + 1);
      if (key === 'route' || key === 'scope') rule[key] = value;
      else if (key === 'rate' || key === 'count' || key === 'value') rule[key] = parseNumber(text, value, key);
      else fail(text, `unknown key "${key}" in "${token}"`);
    } else if (token === '*' || token.startsWith('/')) rule.route = token;
    else if (isFalconScope(token)) rule.scope = token;
    else if (token.endsWith('%')) rule.rate = parseNumber(text, token.slice(0, -1), 'percentage') / 100;
    else if (token.includes('.')) rule.rate = parseNumber(text, token, 'rate');
    else if (/^\d+$/.test(token)) rule.value = Number(token);
    else fail(text, `cannot read "${token}"`);
  }
  return validate(rule, text);
}

function validate(raw: unknown, label: string): FaultRule {
  const parsed = FaultRuleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(label, issue ? `${issue.path.join('.') || 'rule'}: ${issue.message}` : 'invalid rule');
  }
  return parsed.data;
}

/** Parses the compact CLI form, e.g. `rate_limit:/devices:0.2,latency:*:50,wrong_region`. */
export function parseFaults(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map(parseRule);
}

/** Accepts either form and validates it; throws with the offending rule named. */
export function normalizeFaults(spec: string | readonly FaultRule[]): FaultRule[] {
  if (typeof spec === 'string') return parseFaults(spec);
  return spec.map((rule, i) => validate(rule, `#${i} ${JSON.stringify(rule)}`));
}

/** Where a request landed, for route matching. */
export interface FaultTarget {
  /** Path within the API (region prefix removed). */
  apiPath: string;
  /** Path as requested. */
  rawPath: string;
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  rng: Random;
}

/** The active rules with their counters; decisions are reproducible for a given seed and request order. */
export class FaultPlan {
  private readonly states: RuleState[];

  constructor(rules: readonly FaultRule[], seed: number) {
    this.states = rules.map((rule, i) => ({ rule, matched: 0, rng: new Random(deriveSeed(seed, `fault:${i}`)) }));
  }

  /** Every rule of `kind` that hits this request (each consumes its count and rate draw). */
  fireAll(kind: FaultKind, target: FaultTarget, eligible: (rule: FaultRule) => boolean = () => true): FaultRule[] {
    return this.states.filter((s) => this.hits(s, kind, target, eligible)).map((s) => s.rule);
  }

  /** The first rule of `kind` that hits this request; later rules are left untouched. */
  fire(kind: FaultKind, target: FaultTarget, eligible: (rule: FaultRule) => boolean = () => true): FaultRule | undefined {
    return this.states.find((s) => this.hits(s, kind, target, eligible))?.rule;
  }

  /** The value of the first rule of `kind` (default 1), without consuming it; undefined when there is none. */
  peekValue(kind: FaultKind): number | undefined {
    const state = this.states.find((s) => s.rule.kind === kind);
    return state ? (state.rule.value ?? 1) : undefined;
  }

  private hits(state: RuleState, kind: FaultKind, target: FaultTarget, eligible: (rule: FaultRule) => boolean): boolean {
    const { rule } = state;
    if (rule.kind !== kind || !routeMatches(rule.route, target) || !eligible(rule)) return false;
    if (rule.count !== undefined && state.matched >= rule.count) return false;
    state.matched++;
    return rule.rate === undefined || rule.rate >= 1 || state.rng.next() < rule.rate;
  }
}

function routeMatches(route: string | undefined, target: FaultTarget): boolean {
  if (route === undefined || route === '*') return true;
  return target.apiPath.startsWith(route) || target.rawPath.startsWith(route);
}
