// What a Falcon endpoint declares: its path, the scope it needs, and its handler.
import type { Handler, Route } from '../http';
import type { FalconScope } from './scopes';

/** Per-request facts the gateway established before the handler runs. */
export interface FalconCtx {
  nowMs: number;
  /** Empty on public routes (token, revoke). */
  clientId: string;
  cid: string;
}

export interface FalconRouteMeta {
  /** Scope the bearer token must carry; absent on public routes. */
  scope?: FalconScope;
}

export type FalconRoute = Route<FalconCtx, FalconRouteMeta>;

export function route(method: string, path: string, scope: FalconScope | undefined, handler: Handler<FalconCtx>): FalconRoute {
  return { method, path, handler, meta: scope ? { scope } : {} };
}
