// Kandji API (under /kandji/<us|eu>/api/v1): bearer tokens with permissions, the device list as a bare JSON array
// paged by limit (at most 300) and offset, the licensing counts, and 10,000 requests per hour per tenant.
import type { SimContext } from '../context';
import { Router, type SimReply, type SimRequest } from '../http';
import { mdmMembership, type MdmMember, type MdmMembership } from '../mdm-members';
import { Random } from '../prng';
import { RateLimiter } from '../rate-limit';
import type { Surface } from '../surface';
import { DAY, HOUR, MINUTE } from '../time';

export type KandjiRegion = 'us' | 'eu';
export const kandjiRegions: readonly KandjiRegion[] = ['us', 'eu'];
export type KandjiPermission = 'devices' | 'licensing';

const MAX_LIMIT = 300;
const HOUR_MS = 3_600_000;

const BLUEPRINTS = [
  { id: 'ab102b9d-8e9c-420d-a498-f2a1123091c7', name: 'Standard Mac' },
  { id: '9b1ce867-83dd-46bb-b79a-ba2b5c3a4acc', name: 'Engineering' },
  { id: '3f0c7e51-6a2d-4c1e-9b8e-0d7f5a2c4e11', name: 'Executives' },
  { id: '7d2e9a40-1b3c-4f5e-8a6d-2c9b0e1f3a77', name: 'Loaners' },
] as const;

const MACOS = [
  ['15.6.1', '24G90'],
  ['15.5', '24F74'],
  ['14.7.8', '23H730'],
  ['13.7.8', '22H730'],
] as const;

const detail = (status: number, text: string): SimReply => ({ status, json: { detail: text } });

/** What the gateway answers for a tenant it does not host, or a path it does not serve. */
const notFoundPage: SimReply = {
  status: 404,
  headers: { 'Content-Type': 'text/html; charset=utf-8' },
  text: '<!doctype html><html lang="en"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>',
};

/** The ISO time Kandji uses for last_check_in (microseconds, Z). */
function micro(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('Z', '000Z');
}

/** The space-separated form of first_enrollment / last_enrollment. */
function spaced(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('T', ' ').replace('Z', '000+00:00');
}

export class KandjiApi implements Surface {
  /** The device list is the body itself (a bare array). */
  readonly listKey = '';
  private readonly tokens = new Map<string, KandjiPermission[]>();
  private readonly router = new Router<void>();
  private readonly limiter: RateLimiter;
  private membership: MdmMembership | undefined;
  private devices: Record<string, unknown>[] | undefined;

  // Fields assigned in the body: strip-only TypeScript (the crash test's child) cannot load parameter properties.
  private readonly sim: SimContext;
  readonly homeRegion: KandjiRegion;

  constructor(sim: SimContext, homeRegion: KandjiRegion, requestsPerHour: number) {
    this.sim = sim;
    this.homeRegion = homeRegion;
    this.limiter = new RateLimiter(requestsPerHour, HOUR_MS, sim.rateNow);
    const add = (path: string, handler: (req: SimRequest) => SimReply) => this.router.add({ method: 'GET', path, meta: undefined, handler });
    add('/api/v1/devices', (req) => this.list(req));
    add('/api/v1/settings/licensing', () => this.licensing());
  }

  routes(): string[] {
    return this.router.list();
  }

  addToken(token: string, permissions: KandjiPermission[] = ['devices', 'licensing']): void {
    this.tokens.set(token, permissions);
  }

  members(): MdmMembership {
    return (this.membership ??= mdmMembership(this.sim.fleet, 'kandji', this.sim.now()));
  }

  private all(): Record<string, unknown>[] {
    const now = this.sim.now();
    return (this.devices ??= this.members().members.map((m) => kandjiDevice(m, now)));
  }

  private tenantRegion(req: SimRequest): KandjiRegion {
    return this.sim.faults.fire('kandji_eu_host', req, () => true) ? 'eu' : this.homeRegion;
  }

  handle(req: SimRequest): SimReply | Promise<SimReply> {
    if (req.region !== this.tenantRegion(req)) return notFoundPage;
    const match = this.router.match(req.method, req.apiPath);
    if (match.kind === 'not_found') return notFoundPage;
    if (match.kind === 'method_not_allowed') return { ...detail(405, `Method "${req.method}" not allowed.`), headers: { Allow: 'GET, HEAD, OPTIONS' } };
    const value = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const permissions = value ? this.tokens.get(value) : undefined;
    if (!value || !permissions || this.sim.faults.fire('kandji_bad_token', req)) return detail(401, 'Invalid token.');
    const needs: KandjiPermission = req.apiPath.startsWith('/api/v1/devices') ? 'devices' : 'licensing';
    if (!permissions.includes(needs) || (needs === 'devices' && this.sim.faults.fire('kandji_missing_permission', req)))
      return detail(401, 'Authentication credentials were not provided or the required permissions are missing.');
    const decision = this.limiter.take('tenant');
    if (!decision.allowed) return this.rateLimited(req, Math.max(1, Math.ceil((decision.retryAtMs - this.sim.rateNow()) / 1000)));
    return match.route.handler(req, undefined);
  }

  private list(req: SimRequest): SimReply {
    const q = req.query;
    const limitText = q.get('limit') ?? String(MAX_LIMIT);
    const offsetText = q.get('offset') ?? '0';
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) return { status: 400, json: { limit: ['A valid integer is required.'] } };
    if (!/^\d+$/.test(offsetText)) return { status: 400, json: { offset: ['A valid integer is required.'] } };
    const limit = Math.min(MAX_LIMIT, Number(limitText));
    const offset = Number(offsetText);
    let rows = this.all();
    const serial = q.get('serial_number');
    // Kandji's serial filter matches substrings; clients compare exactly themselves.
    if (serial) rows = rows.filter((d) => String(d.serial_number).toLowerCase().includes(serial.toLowerCase()));
    const platform = q.get('platform');
    if (platform) rows = rows.filter((d) => d.platform === platform);
    const ordering = q.get('ordering');
    if (ordering) {
      const desc = ordering.startsWith('-');
      const key = ordering.replace(/^-/, '').split(',')[0] ?? 'serial_number';
      rows = [...rows].sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * (desc ? -1 : 1));
    }
    return { status: 200, json: rows.slice(offset, offset + limit) };
  }

  private licensing(): SimReply {
    const rows = this.all();
    const macs = rows.filter((d) => d.platform === 'Mac').length;
    const ios = rows.filter((d) => d.platform === 'iPhone').length;
    return {
      status: 200,
      json: {
        counts: { computers_count: macs, ios_count: ios, ipados_count: 0, macos_count: macs, tvos_count: 0 },
        limits: { plan_type: 'single_limit', max_devices: Math.max(10, Math.ceil(rows.length * 1.2)), max_devices_per_platform: { macos: 0, ios_ipados: 0 } },
        tenantOverLicenseLimit: false,
      },
    };
  }

  rateLimited(_req: SimRequest, retryAfterSeconds: number): SimReply {
    return {
      ...detail(429, `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`),
      headers: { 'Retry-After': String(retryAfterSeconds) },
    };
  }

  serverError(_req: SimRequest, status: number): SimReply {
    return detail(status, 'A server error occurred.');
  }

  decorate(_req: SimRequest, reply: SimReply): SimReply {
    return { ...reply, headers: { Server: 'gunicorn', ...reply.headers } };
  }
}

export function kandjiDevice(member: MdmMember, nowMs: number): Record<string, unknown> {
  const r = new Random(member.seed);
  const [version, build] = r.pick(MACOS);
  const blueprint = member.fleetIndex === null ? BLUEPRINTS[3] : r.pick(BLUEPRINTS.slice(0, 3));
  const checkIn = Math.min(nowMs - MINUTE, member.lastSeenMs + r.int(-20 * MINUTE, 20 * MINUTE));
  const firstEnrollment = nowMs - r.int(60 * DAY, 900 * DAY);
  const lastEnrollment = firstEnrollment + r.int(0, 50 * DAY);
  const [name = '', domain = 'corp.example'] = member.user.replace(/^CORP\\/, '').split('@');
  const user = name ? { email: `${name}@${domain}`, name: name.replace(/[._]/g, ' '), id: uuid(r), is_archived: false } : ('' as const);
  return {
    device_id: uuid(r),
    device_name: member.hostname,
    model: r.pick(['MacBook Pro (14-inch, 2023)', 'MacBook Air (M1, 2020)', 'Mac mini (2023)']),
    serial_number: member.serial,
    platform: 'Mac',
    os_version: version,
    supplemental_build_version: build,
    supplemental_os_version_extra: '',
    // A device enrolled but never checked in has no time.
    last_check_in: r.chance(0.01) ? '' : micro(checkIn - (r.chance(0.1) ? r.int(2 * DAY, 20 * DAY) : 0)),
    user,
    asset_tag: r.chance(0.5) ? String(r.int(10_000, 99_999)) : '',
    blueprint_id: blueprint.id,
    mdm_enabled: r.chance(0.96),
    agent_installed: r.chance(0.92),
    is_missing: r.chance(0.03),
    is_removed: r.chance(0.015),
    agent_version: '4.5.9 (5160)',
    first_enrollment: spaced(firstEnrollment),
    last_enrollment: spaced(Math.min(lastEnrollment, nowMs - HOUR)),
    blueprint_name: blueprint.name,
    lost_mode_status: '',
    tags: r.chance(0.3) ? ['byod'] : [],
  };
}

function uuid(r: Random): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
