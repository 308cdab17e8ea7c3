// Kandji's device list: a bare JSON array paged by limit (at most 300) and offset, ordered by device_id so records
// do not shift; the end is a short page, confirmed by one more (empty) page so a page cut short is not the end.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpResponse } from '../http';
import { idField, readRecords, type RecordKind, type UnreadableRecord } from '../records';
import type { KandjiSession } from './session';

export const KANDJI_PAGE_LIMIT = 300;

const str = z.string().nullish().catch(null);
/** Booleans arrive as booleans in the list, as "True"/"False" in details: read both. */
const bool = z
  .union([z.boolean(), z.string()])
  .nullish()
  .catch(null)
  .transform((v) =>
    v === null || v === undefined ? null : typeof v === 'string' ? (v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : null) : v,
  );
const time = z
  .string()
  .nullish()
  .catch(null)
  .transform((v) => {
    // last_check_in is ISO with Z; enrollments are "2024-01-26 16:15:36.087016+00:00".
    const ms = v ? Date.parse(v.replace(' ', 'T')) : Number.NaN;
    return Number.isFinite(ms) ? ms : null;
  });

export const KandjiDevice = z
  .looseObject({
    device_id: z.string().regex(/\S/),
    device_name: str,
    serial_number: str,
    platform: str,
    model: str,
    os_version: str,
    last_check_in: time,
    mdm_enabled: bool,
    agent_installed: bool,
    is_missing: bool,
    is_removed: bool,
    blueprint_id: str,
    blueprint_name: str,
    agent_version: str,
    // An object, or "" when nobody is assigned.
    user: z
      .union([z.looseObject({ email: str, name: str }), z.string()])
      .nullish()
      .catch(null),
  })
  .transform((d) => ({
    id: d.device_id,
    name: d.device_name ?? null,
    serial: d.serial_number ?? null,
    platform: d.platform ?? null,
    model: d.model ?? null,
    osVersion: d.os_version ?? null,
    lastCheckIn: d.last_check_in,
    mdmEnabled: d.mdm_enabled,
    agentInstalled: d.agent_installed,
    isMissing: d.is_missing,
    isRemoved: d.is_removed,
    blueprintId: d.blueprint_id ?? null,
    blueprintName: d.blueprint_name ?? null,
    agentVersion: d.agent_version ?? null,
    user: typeof d.user === 'object' && d.user !== null ? (d.user.email ?? d.user.name ?? null) : null,
  }));
export type KandjiDevice = z.output<typeof KandjiDevice>;

export const DEVICE_RECORD: RecordKind<KandjiDevice> = {
  label: 'Kandji sent an unreadable device record',
  idOf: idField('device_id'),
  salvage: (raw, id) => {
    const r = raw as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return KandjiDevice.parse({ device_id: id, device_name: text(r.device_name), serial_number: text(r.serial_number) });
  },
};

function parsePage(res: HttpResponse, base: string) {
  if (!Array.isArray(res.body)) {
    const what =
      res.body === undefined ? (/^\s*</.test(res.text) ? 'an HTML page' : 'something that is not JSON') : 'JSON that is not the device list (a bare array)';
    throw new ProviderError({
      code: 'kandji.not_kandji',
      status: res.status,
      message: `${new URL(base).host} answered /api/v1/devices with ${what}: this is not the Kandji API.`,
      fix: 'Copy the API URL from Kandji > Settings > Access (https://yourcompany.api.kandji.io or …api.eu.kandji.io); the web-app address (…clients…kandji.io) is not the API.',
      observed: res.redact(res.text.replace(/\s+/g, ' ').slice(0, 120)),
    });
  }
  const { records, unreadable } = readRecords(res.body, KandjiDevice, DEVICE_RECORD);
  return { devices: records, unreadable, size: res.body.length };
}

export interface DevicesRead {
  devices: KandjiDevice[];
  unreadable: UnreadableRecord[];
  /** Requests this read spent (the hourly budget is the limit that matters with Kandji). */
  requests: number;
  warnings: string[];
}

/** Every device: pages of 300 until a short page, which one more request confirms as the end. */
export async function readDevices(
  session: KandjiSession,
  options: { limit?: number; signal?: AbortSignal; onPage?: (done: number) => void; firstPageOnly?: boolean } = {},
): Promise<DevicesRead> {
  const limit = Math.min(KANDJI_PAGE_LIMIT, options.limit ?? KANDJI_PAGE_LIMIT);
  const byId = new Map<string, KandjiDevice>();
  const unreadable: UnreadableRecord[] = [];
  const warnings: string[] = [];
  let offset = 0;
  let requests = 0;
  let shortPages = 0;
  for (;;) {
    const res = await session.call({
      path: '/devices',
      query: { limit, offset, ordering: 'device_id' },
      signal: options.signal,
      what: 'list devices',
    });
    requests++;
    const page = parsePage(res, session.apiBase);
    for (const d of page.devices) byId.set(d.id, d);
    for (const u of page.unreadable) if (u.id === null || !unreadable.some((x) => x.id === u.id)) unreadable.push(u);
    options.onPage?.(byId.size);
    if (options.firstPageOnly || page.size === 0) break;
    offset += page.size;
    if (page.size < limit) {
      // Short: the end, unless the next position still has devices (a page cut short on the way).
      shortPages++;
      if (shortPages > 1) warnings.push('Kandji sent a page shorter than asked in the middle of the list; the devices after it were read too.');
    }
  }
  return { devices: [...byId.values()], unreadable, requests, warnings: [...new Set(warnings)] };
}
