// Jamf Pro computer inventory: the newest computers-inventory version the server has (v4, falling back on 404),
// only the sections posture reads, page/page-size pages (up to five in flight), each record read on its own.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpResponse } from '../http';
import { describeIssue, idField, plausibleCount, readRecords, type RecordKind, type UnreadableRecord } from '../records';
import type { JamfSession } from './session';

export type InventoryVersion = 4 | 3 | 2 | 1;
export const INVENTORY_VERSIONS: readonly InventoryVersion[] = [4, 3, 2, 1];
/** GENERAL (managed, supervised, dates), HARDWARE (serial), SECURITY, DISK_ENCRYPTION, OPERATING_SYSTEM. */
export const POSTURE_SECTIONS = ['GENERAL', 'HARDWARE', 'SECURITY', 'DISK_ENCRYPTION', 'OPERATING_SYSTEM'] as const;
export const JAMF_PAGE_SIZE = 200;

// Strings nobody checks on are caught; a posture value of the wrong type makes the record unreadable (its checks
// unknown, with the reason) instead of quietly absent.
const str = z.string().nullish().catch(null);
const bool = z.boolean().nullish();
const time = z
  .string()
  .nullish()
  .transform((v) => {
    const ms = v ? Date.parse(v) : Number.NaN;
    return Number.isFinite(ms) ? ms : null;
  });
const section = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).nullish();

export const JamfComputer = z
  .looseObject({
    // Jamf ids are numeric strings; an empty one names no computer and is set aside.
    id: z.union([z.string().regex(/\S/), z.number().int()]).transform(String),
    udid: str,
    general: section({
      name: str,
      platform: str,
      remoteManagement: section({ managed: bool }),
      supervised: bool,
      reportDate: time,
      lastContact: time,
      lastContactTime: time,
      lastCheckIn: time,
    }),
    hardware: section({ serialNumber: str, macAddress: str, model: str }),
    security: section({ sipStatus: z.string().nullish(), gatekeeperStatus: z.string().nullish(), firewallEnabled: bool }),
    diskEncryption: section({ fileVault2Enabled: bool }),
    operatingSystem: section({ name: str, version: z.string().nullish(), fileVault2Status: z.string().nullish() }),
  })
  .transform((c) => ({
    id: c.id,
    udid: c.udid ?? null,
    name: c.general?.name ?? null,
    serial: c.hardware?.serialNumber ?? null,
    mac: c.hardware?.macAddress ?? null,
    model: c.hardware?.model ?? null,
    managed: c.general?.remoteManagement?.managed ?? null,
    supervised: c.general?.supervised ?? null,
    firewallEnabled: c.security?.firewallEnabled ?? null,
    sipStatus: c.security?.sipStatus ?? null,
    gatekeeperStatus: c.security?.gatekeeperStatus ?? null,
    fileVault2Status: c.operatingSystem?.fileVault2Status ?? null,
    fileVault2Enabled: c.diskEncryption?.fileVault2Enabled ?? null,
    osVersion: c.operatingSystem?.version ?? null,
    reportDate: c.general?.reportDate ?? null,
    // v4 says lastContact; v1-v3 lastContactTime.
    lastContact: c.general?.lastContact ?? c.general?.lastContactTime ?? null,
  }));
export type JamfComputer = z.output<typeof JamfComputer>;

/** What can be read of a computer record that failed JamfComputer: its serial and name, for the device row. */
export const COMPUTER_RECORD: RecordKind<JamfComputer> = {
  label: 'Jamf Pro sent an unreadable computer record',
  idOf: idField('id', { numbers: true }),
  salvage: (raw, id) => {
    const r = raw as { general?: { name?: unknown }; hardware?: { serialNumber?: unknown } };
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return JamfComputer.parse({ id, general: { name: text(r.general?.name) }, hardware: { serialNumber: text(r.hardware?.serialNumber) } });
  },
};

const Page = z.looseObject({ totalCount: z.unknown().optional(), results: z.array(z.unknown()) });

function parsePage(res: HttpResponse, version: InventoryVersion) {
  const parsed = Page.safeParse(res.body);
  if (!parsed.success)
    throw new ProviderError({
      code: res.body === undefined ? 'http.not_api' : 'http.malformed',
      status: res.status,
      message: `Jamf Pro answered computers-inventory v${version} with ${res.body === undefined ? 'something that is not JSON' : `an unreadable page (${describeIssue(parsed.error)})`}.`,
      fix: 'Usually transient; if it persists, check that the URL is the Jamf Pro server and that no proxy or sign-on page intercepts /api.',
      observed: res.redact(res.text.replace(/\s+/g, ' ').slice(0, 120)),
    });
  const { records, unreadable } = readRecords(parsed.data.results, JamfComputer, COMPUTER_RECORD);
  return { totalCount: plausibleCount(parsed.data.totalCount), computers: records, unreadable };
}

export interface ComputersRead {
  computers: JamfComputer[];
  unreadable: UnreadableRecord[];
  /** As Jamf reported it (judged); undefined when it sent none believable. */
  totalCount: number | undefined;
  version: InventoryVersion;
  /** Things the admin should know that did not stop the read (a page cut short, a deprecated version). */
  warnings: string[];
}

export interface InventoryState {
  /** The version this server answered last time, tried first (cached per client). */
  version: InventoryVersion | undefined;
}

const query = (page: number, size: number) => ({ section: [...POSTURE_SECTIONS], page, 'page-size': size, sort: 'id:asc' });

/** One page, falling back from the cached (or newest) version on 404. */
async function firstPage(session: JamfSession, state: InventoryState, size: number, signal?: AbortSignal) {
  const start = INVENTORY_VERSIONS.indexOf(state.version ?? 4);
  for (const version of INVENTORY_VERSIONS.slice(start)) {
    const res = await session.call({
      path: `/v${version}/computers-inventory`,
      query: query(0, size),
      signal,
      expect: [404],
      what: 'read the computer inventory',
    });
    if (res.status === 404) continue;
    state.version = version;
    return { version, page: parsePage(res, version) };
  }
  throw new ProviderError({
    code: 'jamf.not_jamf',
    status: 404,
    message: `${new URL(session.serverUrl).host} answered HTTP 404 for every computers-inventory version (v4 to v1): no Jamf Pro API at this address.`,
    fix: 'Enter the Jamf Pro console address only (e.g. https://yourcompany.jamfcloud.com), without /api or a page path.',
  });
}

/** Every computer: page 0, then the rest up to five at a time; pages that came back short are asked once more. */
export async function readComputers(
  session: JamfSession,
  state: InventoryState,
  options: { pageSize?: number; signal?: AbortSignal | undefined; onPage?: (done: number, total: number | undefined) => void; firstPageOnly?: boolean } = {},
): Promise<ComputersRead> {
  const size = options.pageSize ?? JAMF_PAGE_SIZE;
  const { signal } = options;
  const { version, page: first } = await firstPage(session, state, size, signal);
  const byId = new Map<string, JamfComputer>();
  const unreadable: UnreadableRecord[] = [];
  const warnings: string[] = [];
  if (version < 4) warnings.push(`This Jamf Pro server has no computers-inventory v4 (added in 11.30); read with the deprecated v${version}. Update Jamf Pro.`);
  const take = (p: ReturnType<typeof parsePage>) => {
    for (const c of p.computers) byId.set(c.id, c);
    for (const u of p.unreadable) if (u.id === null || !unreadable.some((x) => x.id === u.id)) unreadable.push(u);
  };
  take(first);
  const total = first.totalCount;
  options.onPage?.(byId.size, total);
  if (options.firstPageOnly) return { computers: [...byId.values()], unreadable, totalCount: total, version, warnings };
  const pages = total === undefined ? 0 : Math.ceil(total / size);
  const fetchPage = async (n: number) => {
    const res = await session.call({ path: `/v${version}/computers-inventory`, query: query(n, size), signal, what: 'read the computer inventory' });
    return parsePage(res, version);
  };
  const short: number[] = [];
  const expected = (n: number) => Math.min(size, (total ?? 0) - n * size);
  // The session lets five requests fly; start them all and let it queue the rest.
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pages - 1) }, (_, k) =>
      fetchPage(k + 1).then((p) => {
        options.onPage?.(byId.size + p.computers.length, total);
        return p;
      }),
    ),
  );
  rest.forEach((p, k) => {
    take(p);
    if (p.computers.length + p.unreadable.filter((u) => u.id === null).length < expected(k + 1)) short.push(k + 1);
  });
  if (first.computers.length + first.unreadable.filter((u) => u.id === null).length < expected(0) && pages > 1) short.unshift(0);
  for (const n of short) take(await fetchPage(n));
  // No believable totalCount: walk pages one by one until one comes back empty.
  if (total === undefined && first.computers.length + first.unreadable.length > 0)
    for (let n = 1; ; n++) {
      const p = await fetchPage(n);
      if (p.computers.length + p.unreadable.length === 0) break;
      take(p);
    }
  const setAside = unreadable.filter((u) => u.id === null).length;
  if (total !== undefined && byId.size + setAside < total)
    warnings.push(`Jamf Pro counted ${total} computers but sent ${byId.size + setAside} (pages came back short twice); the rest are read on the next poll.`);
  return { computers: [...byId.values()], unreadable, totalCount: total, version, warnings };
}
