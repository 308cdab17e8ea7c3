// Alerts API v2 (the Detects API's replacement): id query, entities, combined paging and status updates.
import { z } from 'zod';
import type { FalconAlert } from '../alerts';
import type { SimContext } from '../context';
import { boundedInt, parseJsonBody, type SimRequest } from '../http';
import { decodeToken, encodeToken, PositionToken, QueryMemo } from '../paging';
import { fail, invalid, ok } from './envelope';
import { compileFql, FqlError } from './fql';
import { parseSort, sortRecords } from '../sort';
import { route, type FalconRoute } from './route';

const POWERED_BY = 'detectsapi';
const AFTER_PREFIX = 'alerts.';
const DEFAULT_SORT = 'created_timestamp|desc';

const EntitiesBody = z
  .object({ composite_ids: z.array(z.string()).min(1, 'composite_ids must not be empty').max(1_000, 'at most 1000 composite_ids per request') })
  .loose();

const CombinedBody = z
  .object({
    filter: z.string().optional(),
    sort: z.string().optional(),
    limit: z.number().int().min(1).max(1_000).optional(),
    after: z.string().optional(),
  })
  .loose();

const statuses = ['new', 'in_progress', 'closed', 'reopened'] as const;
const PatchBody = z
  .object({
    composite_ids: z.array(z.string()).min(1).max(1_000),
    action_parameters: z.array(z.object({ name: z.string(), value: z.string() })).min(1),
  })
  .loose();

export function alertRoutes(sim: SimContext): FalconRoute[] {
  const fleet = sim.fleet;
  const memo = new QueryMemo<FalconAlert[]>();

  /** Alerts matching filter, free-text `q` and sort; an FqlError for a bad filter. */
  const matching = (filter: string, q: string, sort: string, nowMs: number): FalconAlert[] | FqlError => {
    try {
      const predicate = compileFql(filter, nowMs);
      const text = q.toLowerCase();
      // Relative times (now-24h) move with the clock, so the clock is part of the key.
      return memo.get(`${filter}\u0000${q}\u0000${sort}\u0000${filter.includes('now') ? nowMs : ''}`, fleet.version, () =>
        sortRecords(
          fleet.alerts.filter((a) => predicate(a) && (!text || `${a.name} ${a.display_name} ${a.device.hostname} ${a.cmdline}`.toLowerCase().includes(text))),
          parseSort(sort || DEFAULT_SORT),
        ),
      );
    } catch (e) {
      if (e instanceof FqlError) return e;
      throw e;
    }
  };

  const filterError = (req: SimRequest, e: FqlError) => invalid(req, `Invalid filter: ${e.message}`, { poweredBy: POWERED_BY });

  return [
    route('GET', '/alerts/queries/alerts/v2', 'alerts:read', (req, ctx) => {
      const limit = boundedInt(req.query, 'limit', { min: 1, max: 10_000, fallback: 100 });
      if (!limit.ok) return invalid(req, limit.message, { poweredBy: POWERED_BY });
      const offset = boundedInt(req.query, 'offset', { min: 0, max: 10_000, fallback: 0 });
      if (!offset.ok) return invalid(req, offset.message, { poweredBy: POWERED_BY });
      if (offset.value + limit.value > 10_000)
        return invalid(req, 'offset + limit must not exceed 10000; use POST /alerts/combined/alerts/v1 to page further', { poweredBy: POWERED_BY });
      const rows = matching(req.query.get('filter') ?? '', req.query.get('q') ?? '', req.query.get('sort') ?? '', ctx.nowMs);
      if (rows instanceof FqlError) return filterError(req, rows);
      const page = rows.slice(offset.value, offset.value + limit.value).map((a) => a.composite_id);
      return ok(req, page, { poweredBy: POWERED_BY, pagination: { offset: offset.value, limit: limit.value, total: rows.length } });
    }),

    route('POST', '/alerts/entities/alerts/v2', 'alerts:read', (req) => {
      const body = parseJsonBody(req.body, EntitiesBody);
      if (!body.ok) return invalid(req, body.message, { poweredBy: POWERED_BY });
      return ok(
        req,
        body.value.composite_ids.flatMap((id) => fleet.alert(id) ?? []),
        { poweredBy: POWERED_BY },
      );
    }),

    route('POST', '/alerts/combined/alerts/v1', 'alerts:read', (req, ctx) => {
      const body = parseJsonBody(req.body, CombinedBody);
      if (!body.ok) return invalid(req, body.message, { poweredBy: POWERED_BY });
      const { filter = '', sort = '', limit = 100, after } = body.value;
      const position = after ? decodeToken(AFTER_PREFIX, after, PositionToken) : { p: 0 };
      if (!position) return invalid(req, 'after is not a valid pagination token', { poweredBy: POWERED_BY });
      const rows = matching(filter, '', sort, ctx.nowMs);
      if (rows instanceof FqlError) return filterError(req, rows);
      const page = rows.slice(position.p, position.p + limit);
      const end = position.p + page.length;
      // `after` is left out on the last page: that is how callers know to stop.
      const pagination = { total: rows.length, limit, ...(end < rows.length ? { after: encodeToken(AFTER_PREFIX, { p: end }) } : {}) };
      return ok(req, page, { poweredBy: POWERED_BY, pagination });
    }),

    route('PATCH', '/alerts/entities/alerts/v3', 'alerts:write', (req, ctx) => {
      const body = parseJsonBody(req.body, PatchBody);
      if (!body.ok) return invalid(req, body.message, { poweredBy: POWERED_BY });
      const alerts = body.value.composite_ids.map((id) => fleet.alert(id));
      const missing = body.value.composite_ids.find((_, i) => !alerts[i]);
      if (missing) return fail(req, 404, `alert not found: ${missing}`, { poweredBy: POWERED_BY });
      for (const p of body.value.action_parameters) {
        if (p.name === 'update_status' && !(statuses as readonly string[]).includes(p.value))
          return invalid(req, `update_status value must be one of: ${statuses.join(', ')}`, { poweredBy: POWERED_BY });
        if (!['update_status', 'add_tag', 'remove_tag'].includes(p.name))
          return invalid(req, `unsupported action parameter "${p.name}"`, { poweredBy: POWERED_BY });
      }
      const stamp = new Date(ctx.nowMs).toISOString();
      for (const alert of alerts) {
        if (!alert) continue;
        for (const p of body.value.action_parameters) {
          if (p.name === 'update_status') alert.status = p.value as FalconAlert['status'];
          else if (p.name === 'add_tag' && !alert.tags.includes(p.value)) alert.tags = [...alert.tags, p.value];
          else if (p.name === 'remove_tag') alert.tags = alert.tags.filter((t) => t !== p.value);
        }
        alert.updated_timestamp = stamp;
      }
      fleet.version++;
      return ok(req, [], { poweredBy: POWERED_BY, writes: { resources_affected: alerts.length } });
    }),
  ];
}
