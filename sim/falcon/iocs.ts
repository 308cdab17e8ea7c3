// IOC Management API: create with the reference's validation rules, search, get, combined and delete.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { boundedInt, listParam, parseJsonBody, type SimRequest } from '../http';
import { deriveSeed, Random } from '../prng';
import { invalid, ok } from './envelope';
import { compileFql, FqlError, fqlFields } from './fql';
import { parseSort, sortRecords } from '../sort';
import { route, type FalconRoute } from './route';

const POWERED_BY = 'ioc-manager';

export const iocTypes = ['sha256', 'md5', 'domain', 'ipv4', 'ipv6'] as const;
export const iocActions = ['no_action', 'allow', 'prevent_no_ui', 'prevent', 'detect'] as const;
export const iocSeverities = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const iocPlatforms = ['windows', 'mac', 'linux', 'ios', 'android'] as const;
const HASH_ONLY_ACTIONS = new Set(['allow', 'prevent', 'prevent_no_ui']);
const SEVERITY_REQUIRED = new Set(['detect', 'prevent']);
const MOBILE_PLATFORMS = new Set(['ios', 'android']);

/** An indicator as `GET /iocs/entities/indicators/v1` returns it (api.IndicatorV1). */
export interface FalconIoc {
  id: string;
  type: (typeof iocTypes)[number];
  value: string;
  action: (typeof iocActions)[number];
  mobile_action?: string;
  severity?: (typeof iocSeverities)[number];
  platforms: string[];
  applied_globally: boolean;
  host_groups: string[];
  source?: string;
  description?: string;
  tags: string[];
  metadata: { filename?: string };
  expiration?: string;
  expired: boolean;
  deleted: boolean;
  from_parent: boolean;
  created_on: string;
  created_by: string;
  modified_on: string;
  modified_by: string;
}

const IndicatorInput = z
  .object({
    type: z.string().optional(),
    value: z.string().optional(),
    action: z.string().optional(),
    mobile_action: z.string().optional(),
    severity: z.string().optional(),
    platforms: z.array(z.string()).optional(),
    applied_globally: z.boolean().optional(),
    host_groups: z.array(z.string()).optional(),
    source: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    metadata: z.object({ filename: z.string().optional() }).loose().optional(),
    expiration: z.string().optional(),
  })
  .loose();
type IndicatorInput = z.infer<typeof IndicatorInput>;

const CreateBody = z
  .object({
    comment: z.string().optional(),
    indicators: z.array(IndicatorInput).min(1, 'indicators must not be empty').max(2_000, 'at most 2000 indicators per request'),
  })
  .loose();

const DOMAIN = /^(?=.{1,200}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const valueChecks: Record<(typeof iocTypes)[number], (v: string) => boolean> = {
  sha256: (v) => /^[a-f0-9]{64}$/i.test(v),
  md5: (v) => /^[a-f0-9]{32}$/i.test(v),
  domain: (v) => DOMAIN.test(v),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
};
const valueFormats: Record<(typeof iocTypes)[number], string> = {
  sha256: '64 hexadecimal characters',
  md5: '32 hexadecimal characters',
  domain: 'a domain name of 1-200 characters',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

const oneOf = (list: readonly string[]) => list.join(', ');

/** Every problem with one indicator, as messages naming the field. */
function problemsWith(input: IndicatorInput, at: string): string[] {
  const problems: string[] = [];
  const type = input.type;
  if (!type || !(iocTypes as readonly string[]).includes(type)) problems.push(`${at}.type must be one of: ${oneOf(iocTypes)}`);
  else if (!input.value || !valueChecks[type as (typeof iocTypes)[number]](input.value.trim()))
    problems.push(`${at}.value is not valid for type '${type}': expected ${valueFormats[type as (typeof iocTypes)[number]]}`);
  const action = input.action;
  if (!action || !(iocActions as readonly string[]).includes(action)) problems.push(`${at}.action must be one of: ${oneOf(iocActions)}`);
  else if (HASH_ONLY_ACTIONS.has(action) && type !== 'sha256' && type !== 'md5') problems.push(`${at}.action '${action}' applies to hashes (sha256, md5) only`);
  if (input.severity !== undefined && !(iocSeverities as readonly string[]).includes(input.severity))
    problems.push(`${at}.severity must be one of: ${oneOf(iocSeverities)}`);
  if (action && SEVERITY_REQUIRED.has(action) && !input.severity)
    problems.push(`${at}.severity cannot be empty for this 'action' and 'mobile_action' combination`);
  if (!input.platforms || input.platforms.length === 0) problems.push(`${at}.platforms is required (${oneOf(iocPlatforms)})`);
  else {
    const bad = input.platforms.find((p) => !(iocPlatforms as readonly string[]).includes(p));
    if (bad) problems.push(`${at}.platforms: '${bad}' is not one of ${oneOf(iocPlatforms)}`);
  }
  if (input.mobile_action && !input.platforms?.some((p) => MOBILE_PLATFORMS.has(p)))
    problems.push(`${at}.mobile_action needs a mobile platform (ios, android)`);
  if (input.applied_globally !== true && !(input.host_groups && input.host_groups.length > 0))
    problems.push(`${at}: set applied_globally to true or give host_groups`);
  if (input.applied_globally === true && input.host_groups && input.host_groups.length > 0)
    problems.push(`${at}: applied_globally and host_groups are mutually exclusive`);
  if (input.source !== undefined && (input.source.length < 1 || input.source.length > 256)) problems.push(`${at}.source must be 1-256 characters`);
  if (input.description !== undefined && input.description.length > 200) problems.push(`${at}.description must be at most 200 characters`);
  if (input.expiration !== undefined && Number.isNaN(Date.parse(input.expiration))) problems.push(`${at}.expiration must be an ISO-8601 timestamp`);
  return problems;
}

/** Indicators currently stored (deleted ones are kept, flagged, as the API's `deleted` field implies). */
export class IocStore {
  private readonly byId = new Map<string, FalconIoc>();
  private readonly rng: Random;

  constructor(seed: number) {
    this.rng = new Random(deriveSeed(seed, 'iocs'));
  }

  all(): FalconIoc[] {
    return [...this.byId.values()];
  }

  get(id: string): FalconIoc | undefined {
    return this.byId.get(id);
  }

  findLive(type: string, value: string): FalconIoc | undefined {
    const needle = value.toLowerCase();
    for (const ioc of this.byId.values()) if (!ioc.deleted && ioc.type === type && ioc.value === needle) return ioc;
    return undefined;
  }

  add(input: IndicatorInput, clientId: string, nowMs: number): FalconIoc {
    const stamp = new Date(nowMs).toISOString();
    const ioc: FalconIoc = {
      id: this.rng.hex(64),
      type: input.type as FalconIoc['type'],
      value: (input.value ?? '').trim().toLowerCase(),
      action: input.action as FalconIoc['action'],
      ...(input.mobile_action ? { mobile_action: input.mobile_action } : {}),
      ...(input.severity ? { severity: input.severity as FalconIoc['severity'] } : {}),
      platforms: input.platforms ?? [],
      applied_globally: input.applied_globally === true,
      host_groups: input.host_groups ?? [],
      ...(input.source ? { source: input.source } : {}),
      ...(input.description ? { description: input.description } : {}),
      tags: input.tags ?? [],
      metadata: input.metadata?.filename ? { filename: input.metadata.filename } : {},
      ...(input.expiration ? { expiration: input.expiration } : {}),
      expired: false,
      deleted: false,
      from_parent: false,
      created_on: stamp,
      created_by: clientId,
      modified_on: stamp,
      modified_by: clientId,
    };
    this.byId.set(ioc.id, ioc);
    return ioc;
  }

  /** A passed expiration shows as expired with `no_action`, as the reference describes. */
  view(ioc: FalconIoc, nowMs: number): FalconIoc {
    if (!ioc.expiration || Date.parse(ioc.expiration) > nowMs) return ioc;
    return { ...ioc, expired: true, action: 'no_action' };
  }
}

export function iocRoutes(store: IocStore): FalconRoute[] {
  /** Search over stored indicators; deleted ones only when the filter asks about `deleted`. */
  const search = (req: SimRequest, nowMs: number): FalconIoc[] | FqlError => {
    const filter = req.query.get('filter') ?? '';
    try {
      const predicate = compileFql(filter, nowMs);
      const includeDeleted = fqlFields(filter).includes('deleted');
      const rows = store
        .all()
        .map((i) => store.view(i, nowMs))
        .filter((i) => (includeDeleted || !i.deleted) && predicate(i));
      return sortRecords(rows, parseSort(req.query.get('sort')));
    } catch (e) {
      if (e instanceof FqlError) return e;
      throw e;
    }
  };

  const paged = (req: SimRequest, nowMs: number, pick: (rows: FalconIoc[]) => unknown[]) => {
    const limit = boundedInt(req.query, 'limit', { min: 1, max: 2_000, fallback: 100 });
    if (!limit.ok) return invalid(req, limit.message, { poweredBy: POWERED_BY });
    const offset = boundedInt(req.query, 'offset', { min: 0, max: 10_000, fallback: 0 });
    if (!offset.ok) return invalid(req, offset.message, { poweredBy: POWERED_BY });
    const rows = search(req, nowMs);
    if (rows instanceof FqlError) return invalid(req, `Invalid filter: ${rows.message}`, { poweredBy: POWERED_BY });
    const page = rows.slice(offset.value, offset.value + limit.value);
    return ok(req, pick(page), {
      poweredBy: POWERED_BY,
      pagination: { offset: offset.value, limit: limit.value, total: rows.length },
    });
  };

  const vocabulary = (path: string, values: readonly string[]) =>
    route('GET', `/iocs/queries/${path}/v1`, 'ioc:read', (req) => ok(req, values, { poweredBy: POWERED_BY }));

  return [
    route('POST', '/iocs/entities/indicators/v1', 'ioc:write', (req, ctx) => {
      const body = parseJsonBody(req.body, CreateBody);
      if (!body.ok) return invalid(req, body.message, { poweredBy: POWERED_BY });
      const problems = body.value.indicators.flatMap((input, i) => problemsWith(input, `indicators[${i}]`));
      const seen = new Set<string>();
      body.value.indicators.forEach((input, i) => {
        const key = `${input.type}|${(input.value ?? '').trim().toLowerCase()}`;
        if (store.findLive(input.type ?? '', input.value?.trim() ?? '') || seen.has(key))
          problems.push(`indicators[${i}]: Duplicate type: '${input.type}' and value: '${input.value}' combination.`);
        seen.add(key);
      });
      // All or nothing: a rejected request stores no indicator.
      if (problems.length > 0) return invalid(req, problems, { poweredBy: POWERED_BY });
      const created = body.value.indicators.map((input) => store.add(input, ctx.clientId, ctx.nowMs));
      // The create response leaves out the severity fields.
      const resources = created.map(({ severity: _severity, ...rest }) => rest);
      return ok(req, resources, { status: 201, poweredBy: POWERED_BY });
    }),

    route('GET', '/iocs/queries/indicators/v1', 'ioc:read', (req, ctx) => paged(req, ctx.nowMs, (rows) => rows.map((i) => i.id))),

    route('GET', '/iocs/combined/indicator/v1', 'ioc:read', (req, ctx) => paged(req, ctx.nowMs, (rows) => rows)),

    route('GET', '/iocs/entities/indicators/v1', 'ioc:read', (req, ctx) => {
      const ids = listParam(req.query, 'ids');
      if (ids.length === 0) return invalid(req, 'ids is required', { poweredBy: POWERED_BY });
      const found = ids.flatMap((id) => store.get(id) ?? []);
      return ok(
        req,
        found.map((i) => store.view(i, ctx.nowMs)),
        { poweredBy: POWERED_BY },
      );
    }),

    route('DELETE', '/iocs/entities/indicators/v1', 'ioc:write', (req, ctx) => {
      const filter = req.query.get('filter');
      let targets: FalconIoc[];
      if (filter) {
        // As documented, a filter wins over ids.
        const rows = search(req, ctx.nowMs);
        if (rows instanceof FqlError) return invalid(req, `Invalid filter: ${rows.message}`, { poweredBy: POWERED_BY });
        targets = rows;
      } else {
        const ids = listParam(req.query, 'ids');
        if (ids.length === 0) return invalid(req, 'ids or filter is required', { poweredBy: POWERED_BY });
        targets = ids.flatMap((id) => store.get(id) ?? []);
      }
      const stamp = new Date(ctx.nowMs).toISOString();
      const deleted = targets.filter((i) => !i.deleted);
      for (const ioc of deleted) Object.assign(ioc, { deleted: true, modified_on: stamp, modified_by: ctx.clientId });
      return ok(
        req,
        deleted.map((i) => i.id),
        { poweredBy: POWERED_BY },
      );
    }),

    vocabulary('ioc-types', [...iocTypes, 'all_subdomains']),
    vocabulary('platforms', iocPlatforms),
    vocabulary('severities', iocSeverities),
    // The actions endpoint reports `none` although records and filters use `no_action`.
    vocabulary('actions', ['none', 'allow', 'prevent_no_ui', 'prevent', 'detect']),
  ];
}
