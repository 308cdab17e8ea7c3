// Hosts API: id queries (offset and scroll), combined records, details, online state and containment.
import { z } from 'zod';
import type { SimContext } from '../context';
import type { FalconDevice } from '../fleet';
import { boundedInt, listParam, parseJsonBody, type Prerendered, type SimReply, type SimRequest } from '../http';
import { decodeToken, encodeToken, QueryMemo } from '../paging';
import { invalid, ok } from './envelope';
import { compileFql, FqlError } from './fql';
import { parseSort, sortRecords } from '../sort';
import { route, type FalconRoute } from './route';

const POWERED_BY = 'device-api';
/** Scroll contexts die two minutes after the page that issued them. */
const SCROLL_TTL_MS = 120_000;
/** Looks like the Elasticsearch scroll ids real tokens are ("queryThenFetch"). */
const SCROLL_PREFIX = 'DnF1ZXJ5VGhlbkZldGNo';
const ScrollState = z.object({ p: z.number().int().min(0), x: z.number(), f: z.string(), s: z.string() });

const IdsBody = (max: number) => z.object({ ids: z.array(z.string()).min(1, 'ids must not be empty').max(max, `at most ${max} ids per request`) }).loose();

type Ids = { ok: true; ids: string[] } | { ok: false; reply: SimReply };

/** `ids` from the query string, required and capped. */
export function queryIds(req: SimRequest, max: number): Ids {
  const ids = listParam(req.query, 'ids');
  if (ids.length === 0) return { ok: false, reply: invalid(req, 'ids is required') };
  if (ids.length > max) return { ok: false, reply: invalid(req, `at most ${max} ids per request; use the POST form for more`) };
  return { ok: true, ids };
}

export function hostRoutes(sim: SimContext): FalconRoute[] {
  const fleet = sim.fleet;
  const memo = new QueryMemo<readonly string[]>();

  /** Host ids matching a filter and sort, in order; an FqlError for a bad filter. */
  const matching = (filter: string, sort: string, nowMs: number): readonly string[] | FqlError => {
    if (!filter && !sort) return fleet.deviceIds;
    try {
      const predicate = compileFql(filter, nowMs);
      return memo.get(`${filter}\u0000${sort}`, fleet.version, () => sortRecords(fleet.devices.filter(predicate), parseSort(sort)).map((d) => d.device_id));
    } catch (e) {
      if (e instanceof FqlError) return e;
      throw e;
    }
  };

  /**
   * Token-based paging shared by the scroll and combined endpoints. The scroll token carries its filter and sort;
   * the combined endpoint reads them from every call (`repeated`), as its spec asks callers to repeat them.
   */
  const tokenPage = (req: SimRequest, nowMs: number, tokenParam: string, maxLimit: number, repeated = false) => {
    const limit = boundedInt(req.query, 'limit', { min: 1, max: maxLimit, fallback: 100 });
    if (!limit.ok) return { ok: false as const, reply: invalid(req, limit.message) };
    const token = req.query.get(tokenParam);
    let state = { p: 0, f: req.query.get('filter') ?? '', s: req.query.get('sort') ?? '' };
    if (token) {
      const decoded = decodeToken(SCROLL_PREFIX, token, ScrollState);
      if (!decoded) return { ok: false as const, reply: invalid(req, `${tokenParam} is not a valid pagination token`) };
      if (decoded.x <= nowMs) return { ok: false as const, reply: invalid(req, `${tokenParam} token has expired; start the query again`) };
      state = repeated ? { ...decoded, f: state.f, s: state.s } : decoded;
    }
    const ids = matching(state.f, state.s, nowMs);
    if (ids instanceof FqlError) return { ok: false as const, reply: invalid(req, `Invalid filter: ${ids.message}`) };
    const page = ids.slice(state.p, state.p + limit.value);
    const expiresAt = nowMs + SCROLL_TTL_MS;
    const next = encodeToken(SCROLL_PREFIX, { p: state.p + page.length, x: expiresAt, f: state.f, s: state.s });
    const done = state.p + page.length >= ids.length;
    return { ok: true as const, page, total: ids.length, next, done, expiresAtNs: expiresAt * 1e6, limit: limit.value, token: token ?? '' };
  };

  const read = (ids: readonly string[], nowMs: number): FalconDevice[] =>
    ids.flatMap((id) => {
      const device = fleet.readDevice(id, nowMs);
      return device ? [device] : [];
    });
  /** Entity reads send each record's JSON as rendered once (the same bytes as serialising it now). */
  const readWire = (ids: readonly string[], nowMs: number): Prerendered[] =>
    ids.flatMap((id) => {
      const wire = fleet.readDeviceWire(id, nowMs);
      return wire ? [wire] : [];
    });

  return [
    route('GET', '/devices/queries/devices-scroll/v1', 'devices:read', (req, ctx) => {
      const r = tokenPage(req, ctx.nowMs, 'offset', 10_000);
      if (!r.ok) return r.reply;
      // As recorded: the call after the last page answers total 0 and an empty offset.
      const pagination = r.page.length === 0 ? { total: 0, offset: '' } : { total: r.total, offset: r.next, expires_at: r.expiresAtNs };
      return ok(req, r.page, { poweredBy: POWERED_BY, pagination });
    }),

    route('GET', '/devices/combined/devices/v1', 'devices:read', (req, ctx) => {
      const r = tokenPage(req, ctx.nowMs, 'offset', 10_000, true);
      if (!r.ok) return r.reply;
      const fields = listParam(req.query, 'fields');
      const devices = read(r.page, ctx.nowMs).map((d) => (fields.length ? project(d, fields) : d));
      // `next` disappears on the last page.
      return ok(req, devices, {
        poweredBy: POWERED_BY,
        pagination: { offset: r.token, limit: r.limit, total: r.total, expires_at: r.expiresAtNs, ...(r.done ? {} : { next: r.next }) },
      });
    }),

    route('GET', '/devices/queries/devices/v1', 'devices:read', (req, ctx) => {
      const limit = boundedInt(req.query, 'limit', { min: 1, max: 5_000, fallback: 100 });
      if (!limit.ok) return invalid(req, limit.message);
      const offset = boundedInt(req.query, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
      if (!offset.ok) return invalid(req, offset.message);
      if (offset.value + limit.value >= 10_000) return invalid(req, 'limit + offset must be less than 10000');
      const ids = matching(req.query.get('filter') ?? '', req.query.get('sort') ?? '', ctx.nowMs);
      if (ids instanceof FqlError) return invalid(req, `Invalid filter: ${ids.message}`);
      const page = ids.slice(offset.value, offset.value + limit.value);
      // The returned offset is where the next page starts.
      return ok(req, page, {
        poweredBy: POWERED_BY,
        pagination: { offset: offset.value + page.length, limit: limit.value, total: ids.length },
      });
    }),

    route('GET', '/devices/entities/devices/v2', 'devices:read', (req, ctx) => {
      const ids = queryIds(req, 100);
      return ids.ok ? ok(req, readWire(ids.ids, ctx.nowMs), { poweredBy: POWERED_BY }) : ids.reply;
    }),

    route('POST', '/devices/entities/devices/v2', 'devices:read', (req, ctx) => {
      const body = parseJsonBody(req.body, IdsBody(5_000));
      return body.ok ? ok(req, readWire(body.value.ids, ctx.nowMs), { poweredBy: POWERED_BY }) : invalid(req, body.message);
    }),

    route('GET', '/devices/entities/online-state/v1', 'devices:read', (req) => {
      const ids = queryIds(req, 100);
      if (!ids.ok) return ids.reply;
      return ok(
        req,
        ids.ids.flatMap((id) => fleet.onlineState(id) ?? []),
        { poweredBy: POWERED_BY },
      );
    }),

    route('POST', '/devices/entities/devices-actions/v2', 'devices:write', (req, ctx) => {
      const action = req.query.get('action_name');
      if (action !== 'contain' && action !== 'lift_containment') return invalid(req, 'action_name must be one of: contain, lift_containment');
      const body = parseJsonBody(req.body, IdsBody(500));
      if (!body.ok) return invalid(req, body.message);
      const unknown = body.value.ids.find((id) => !fleet.device(id));
      if (unknown) return invalid(req, `device not found: ${unknown}`);
      fleet.requestContainment(body.value.ids, action, ctx.nowMs);
      return ok(
        req,
        body.value.ids.map((id) => ({ id, path: '' })),
        { status: 202, poweredBy: POWERED_BY },
      );
    }),
  ];
}

function project(device: FalconDevice, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { device_id: device.device_id };
  for (const field of fields) if (field in device) out[field] = device[field as keyof FalconDevice];
  return out;
}
