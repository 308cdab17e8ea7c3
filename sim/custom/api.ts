// The admin's own posture endpoint (shared/reference/custom-posture-source.md §2): POST {"devices":[...]} and get
// {"result":{<device_id>:{s2s_id, score, x_posture_console?}}}, scored deterministically by serial.
import { z } from 'zod';
import type { SimContext } from '../context';
import { parseJsonBody, type SimReply, type SimRequest } from '../http';
import { deriveSeed, Random } from '../prng';
import type { Surface } from '../surface';

/** Cloudflare's ceiling and ours. */
export const CUSTOM_MAX_BATCH = 1_000;
/** Share of devices the endpoint knows nothing about, by default (left out of `result`). */
const OMITTED = 0.05;

export interface CustomCredentials {
  bearerToken: string;
  accessClientId: string;
  accessClientSecret: string;
}

const Device = z.object({
  device_id: z.string(),
  serial_number: z.string(),
  hostname: z.string(),
  mac_address: z.string(),
  email: z.string(),
  virtual_ipv4: z.string(),
});
const Body = z.object({ devices: z.array(Device).max(CUSTOM_MAX_BATCH, `at most ${CUSTOM_MAX_BATCH} devices per call`) });

/** Cloudflare Access's sign-in page, as a service token that Access does not accept gets it (with 200). */
const ACCESS_LOGIN =
  '<!DOCTYPE html><html><head><title>Sign in ・ Cloudflare Access</title></head><body><div id="cf-access-login">Sign in with your identity provider</div></body></html>';

/** The score and attributes the endpoint knows for a serial; undefined when it does not know the device. */
export function customScore(seed: number, serial: string): { score: number; s2sId: string; attributes: Record<string, string | number | boolean> } | undefined {
  const key = serial.trim().toUpperCase();
  if (key === '') return undefined;
  const r = new Random(deriveSeed(seed, `custom:${key}`));
  if (r.next() < OMITTED) return undefined;
  const score = r.int(0, 100);
  return {
    score,
    s2sId: r.chance(0.7) ? `asset-${r.int(1000, 99_999)}` : '',
    attributes: {
      encrypted: score >= 25 || r.chance(0.5),
      patch_age_days: r.int(0, 120),
      tier: r.pick(['gold', 'silver', 'bronze']),
    },
  };
}

export class CustomApi implements Surface {
  readonly listKey = 'result';

  // Fields assigned in the body: strip-only TypeScript (the crash test's child) cannot load parameter properties.
  private readonly sim: SimContext;
  readonly credentials: CustomCredentials;

  constructor(sim: SimContext, credentials: CustomCredentials) {
    this.sim = sim;
    this.credentials = credentials;
  }

  routes(): string[] {
    return ['POST /posture', 'POST /open/posture'];
  }

  handle(req: SimRequest): SimReply {
    if (req.apiPath !== '/posture' && req.apiPath !== '/open/posture') return { status: 404, json: { error: 'not found' } };
    if (req.method !== 'POST') return { status: 405, headers: { Allow: 'POST' }, json: { error: 'method not allowed' } };
    // /open/posture is the "none" mode (loopback only); /posture takes a bearer token or the Access service token.
    if (req.apiPath === '/posture') {
      const h = req.headers;
      const bearer = /^Bearer\s+(\S+)$/i.exec(String(h.authorization ?? ''))?.[1];
      const access = h['cf-access-client-id'] === this.credentials.accessClientId && h['cf-access-client-secret'] === this.credentials.accessClientSecret;
      const ok = bearer === this.credentials.bearerToken || access;
      if (!ok || this.sim.faults.fire('custom_bad_token', req)) return { status: 401, json: { error: 'unauthorized' } };
    }
    if (this.sim.faults.fire('custom_access_login', req)) return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, text: ACCESS_LOGIN };
    const body = parseJsonBody(req.body, Body);
    if (!body.ok) return { status: 400, json: { error: body.message } };
    if (this.sim.faults.fire('custom_invalid_sample', req))
      return { status: 200, headers: { 'Content-Type': 'application/json' }, text: '{"devices": { [ {"device_id": "x", "score": 10} ] }}' };
    const missing = this.sim.faults.fire('custom_missing_ids', req);
    const dropper = new Random(deriveSeed(this.sim.seed, 'custom:missing'));
    const badScores = this.sim.faults.fire('custom_bad_scores', req);
    const result: Record<string, unknown> = {};
    let k = 0;
    for (const device of body.value.devices) {
      const known = customScore(this.sim.seed, device.serial_number);
      if (!known) continue;
      if (missing && dropper.next() < (missing.value ?? 25) / 100) continue;
      const odd = badScores && k % 3 === 0 ? [String(known.score), known.score + 0.5, 150][(k / 3) % 3] : undefined;
      k++;
      result[device.device_id] = {
        s2s_id: known.s2sId,
        score: odd ?? known.score,
        x_posture_console: { ...(known.score < 40 ? { reason: 'patches overdue' } : {}), attributes: known.attributes },
      };
    }
    if (this.sim.faults.fire('custom_extra_ids', req)) for (let i = 0; i < 3; i++) result[`unknown-${i + 1}`] = { s2s_id: '', score: 50 };
    return { status: 200, json: { result } };
  }

  rateLimited(_req: SimRequest, retryAfterSeconds: number): SimReply {
    return { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, json: { error: 'too many requests' } };
  }

  serverError(_req: SimRequest, status: number): SimReply {
    return { status, json: { error: 'upstream failure' } };
  }

  decorate(_req: SimRequest, reply: SimReply): SimReply {
    return reply;
  }
}
