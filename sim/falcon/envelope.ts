// Falcon's `{meta, resources, errors}` envelope and the gateway's meta-only error bodies.
import type { SimReply, SimRequest } from '../http';

export interface MetaOptions {
  poweredBy?: string;
  pagination?: Record<string, unknown>;
  writes?: Record<string, unknown>;
}

export function falconMeta(req: SimRequest, options: MetaOptions = {}): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    query_time: Math.round((performance.now() - req.startedAt) * 1e6) / 1e9,
  };
  if (options.pagination) meta.pagination = options.pagination;
  if (options.writes) meta.writes = options.writes;
  if (options.poweredBy) meta.powered_by = options.poweredBy;
  meta.trace_id = req.traceId;
  return meta;
}

export interface OkOptions extends MetaOptions {
  status?: number;
  /** The ZTA query answers `errors: null`; most endpoints `[]`. */
  errors?: [] | null;
}

export function ok(req: SimRequest, resources: unknown, options: OkOptions = {}): SimReply {
  return {
    status: options.status ?? 200,
    json: { meta: falconMeta(req, options), resources, errors: options.errors === undefined ? [] : options.errors },
  };
}

/** An error as the gateway sends it: meta + errors, no resources (msa.ReplyMetaOnly). */
export function fail(req: SimRequest, status: number, message: string, options: MetaOptions = {}): SimReply {
  return { status, json: { meta: falconMeta(req, options), errors: [{ code: status, message }] } };
}

/** A service-level validation error (one entry per problem); the envelope keeps `resources`, empty. */
export function invalid(req: SimRequest, message: string | readonly string[], options: MetaOptions = {}): SimReply {
  const messages = typeof message === 'string' ? [message] : message;
  return {
    status: 400,
    json: { meta: falconMeta(req, options), resources: [], errors: messages.map((m) => ({ code: 400, message: m })) },
  };
}
