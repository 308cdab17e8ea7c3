// Zero Trust Assessment API: per-host assessments and the score query with `after` paging.
import type { SimContext } from '../context';
import { boundedInt } from '../http';
import { decodeToken, encodeToken, PositionToken, QueryMemo } from '../paging';
import { invalid, ok } from './envelope';
import { compileFql, FqlError } from './fql';
import { queryIds } from './hosts';
import { parseSort, sortRecords } from '../sort';
import { route, type FalconRoute } from './route';

const AFTER_PREFIX = 'zta.';

interface Scored {
  aid: string;
  score: number;
}

export function ztaRoutes(sim: SimContext): FalconRoute[] {
  const fleet = sim.fleet;
  const memo = new QueryMemo<Scored[]>();

  const scored = (filter: string, sort: string, nowMs: number): Scored[] => {
    const predicate = compileFql(filter, nowMs);
    return memo.get(`${filter}\u0000${sort}`, fleet.version, () => {
      const all: Scored[] = [];
      for (let i = 0; i < fleet.deviceCount; i++) {
        const score = fleet.scoreAt(i);
        const aid = fleet.deviceIds[i];
        if (score === undefined || aid === undefined) continue;
        const row = { aid, score };
        if (predicate(row)) all.push(row);
      }
      return sortRecords(all, parseSort(sort));
    });
  };

  return [
    route('GET', '/zero-trust-assessment/entities/assessments/v1', 'zero-trust-assessment:read', (req) => {
      const ids = queryIds(req, 100);
      if (!ids.ok) return ids.reply;
      // Unknown AIDs are silently left out, as the live API does.
      return ok(
        req,
        ids.ids.flatMap((aid) => {
          const wire = fleet.ztaWire(aid);
          return wire ? [wire] : [];
        }),
      );
    }),

    route('GET', '/zero-trust-assessment/queries/assessments/v1', 'zero-trust-assessment:read', (req, ctx) => {
      const filter = req.query.get('filter');
      if (!filter) return invalid(req, 'filter is required, e.g. score:<=100');
      const limit = boundedInt(req.query, 'limit', { min: 1, max: 1_000, fallback: 100 });
      if (!limit.ok) return invalid(req, limit.message);
      const after = req.query.get('after');
      const position = after ? decodeToken(AFTER_PREFIX, after, PositionToken) : { p: 0 };
      if (!position) return invalid(req, 'after is not a valid pagination token');
      let rows: Scored[];
      try {
        rows = scored(filter, req.query.get('sort') ?? '', ctx.nowMs);
      } catch (e) {
        if (e instanceof FqlError) return invalid(req, `Invalid filter: ${e.message}`);
        throw e;
      }
      const page = rows.slice(position.p, position.p + limit.value);
      const end = position.p + page.length;
      return ok(req, page, {
        // As recorded: no powered_by, `after` empty on the last page, and `errors: null`.
        pagination: { limit: limit.value, total: rows.length, after: end >= rows.length ? '' : encodeToken(AFTER_PREFIX, { p: end }) },
        errors: null,
      });
    }),
  ];
}
