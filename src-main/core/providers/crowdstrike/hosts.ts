// Falcon hosts: projected records by the combined endpoint, ids by scroll (any fleet size), details by batched POST,
// online state in batches of 100.
import { z } from 'zod';
import { mapBatches } from '../batches';
import { isProviderError } from '../diagnosis';
import { countSetAside, plausibleCount, readFast, type RecordKind, type UnreadableRecord } from '../records';
import type { HttpResponse } from '../http';
import { leadingMember } from '../record-bytes';
import { FalconMeta, falconRecord, readFalcon } from './envelope';
import type { FalconCall, FalconSession } from './session';

const str = z.string().nullish();

export const FalconHost = z.looseObject({
  // An empty id names no host: such a record is set aside, not merged with the others.
  device_id: z.string().regex(/\S/),
  cid: str,
  hostname: str,
  serial_number: str,
  mac_address: str,
  platform_name: str,
  os_version: str,
  os_product_name: str,
  product_type_desc: str,
  local_ip: str,
  external_ip: str,
  connection_ip: str,
  first_seen: str,
  last_seen: str,
  modified_timestamp: str,
  agent_version: str,
  /** normal | containment_pending | contained | lift_containment_pending */
  status: str,
  tags: z.array(z.string()).nullish(),
  groups: z.array(z.string()).nullish(),
});
export type FalconHost = z.output<typeof FalconHost>;

/**
 * A host as a full-fleet inventory keeps it: the fields posture and users read (posture/sources.ts), nothing else.
 * The combined endpoint is asked for exactly these; a details answer (~50 fields per host) is cut down to them.
 */
const { device_id, hostname, serial_number, mac_address, platform_name, last_seen } = FalconHost.shape;
export const InventoryHost = z.object({
  device_id,
  hostname,
  serial_number,
  mac_address,
  platform_name,
  last_seen,
  // Absent where nobody has logged in; kept untyped (posture/sources.ts reads a non-empty string or nothing).
  // zod 4: z.unknown() in an object is required, hence .optional().
  last_login_user: z.unknown().optional(),
});
export type InventoryHost = z.output<typeof InventoryHost>;

const nullishString = (value: unknown) => value === null || value === undefined || typeof value === 'string';
const NON_BLANK = /\S/;

/**
 * InventoryHost.parse without its copy: zod returns a new object holding the schema's keys alone, so a record that holds
 * those alone (as the byte reader cuts every inventory record) is already that object. Anything else is left to zod.
 */
function readInventoryHost(raw: unknown): InventoryHost | undefined {
  // A record as JSON.parse makes it (zod's copy is a plain object too).
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const host = raw as Record<string, unknown>;
  const id = host.device_id;
  if (typeof id !== 'string' || !NON_BLANK.test(id)) return undefined;
  if (!nullishString(host.hostname) || !nullishString(host.serial_number) || !nullishString(host.mac_address)) return undefined;
  if (!nullishString(host.platform_name) || !nullishString(host.last_seen)) return undefined;
  for (const key in host) if (!Object.hasOwn(InventoryHost.shape, key) || host[key] === undefined) return undefined;
  return host as InventoryHost;
}
readFast(InventoryHost, readInventoryHost);

/** Every field that can still be read from a host record that failed InventoryHost (the others become null). */
const SalvagedHost = z.object({
  device_id: z.string(),
  hostname: str.catch(null),
  serial_number: str.catch(null),
  mac_address: str.catch(null),
  platform_name: str.catch(null),
  last_seen: str.catch(null),
  last_login_user: z.unknown().optional(),
});

/** A host record that could not be read but has a device id: kept as a device whose checks are unknown. */
export const HOST_RECORD = falconRecord<InventoryHost>('host record', 'device_id', (raw, id) => {
  const salvaged = SalvagedHost.safeParse(raw);
  return salvaged.success ? { ...salvaged.data, device_id: id } : hostWithoutDetails(id);
});

/** A host known by its id alone. */
export function hostWithoutDetails(id: string): InventoryHost {
  return { device_id: id, hostname: null, serial_number: null, mac_address: null, platform_name: null, last_seen: null };
}
const HOST_DETAILS = falconRecord<FalconHost>('host record', 'device_id');

/** `state` is kept as reported: a value other than online/offline/unknown is shown and simply not accepted by a check. */
export const OnlineState = z.looseObject({
  id: z.string(),
  cid: str,
  last_seen: str,
  state: str,
});
// zod's copy of a loose object has the same members: the record itself is that value.
readFast(OnlineState, (raw) => {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype || Object.hasOwn(raw, '__proto__')) return undefined;
  const state = raw as Record<string, unknown>;
  if (typeof state.id !== 'string' || !nullishString(state.cid) || !nullishString(state.last_seen) || !nullishString(state.state)) return undefined;
  return state as OnlineState;
});
export type OnlineState = z.output<typeof OnlineState>;
export const ONLINE_STATE_RECORD = falconRecord<OnlineState>('online-state record', 'id');

/** The fields an inventory keeps, asked for by name so the combined endpoint sends nothing else. */
export const INVENTORY_FIELDS: readonly string[] = Object.keys(InventoryHost.shape);
/** InventoryHost (and its salvage) read these fields alone: a record is cut down to them as it is parsed. */
const INVENTORY_RECORDS = { fields: INVENTORY_FIELDS };

/**
 * Combined page size (1–10000 in the 2026 spec). A page's records are all alive while it is read, so a large page is what
 * a young-generation GC finds alive and copies (5,000: client peak RSS at 50k hosts ~305 MB; 1,000: ~245–270 MB), and
 * it holds the event loop while read (10,000 took 60–130 ms at 100k). 1,000 costs one sequential request per 1,000
 * hosts, which the ZTA and online-state calls (two per 100 hosts) outnumber many times over at any latency.
 */
export const HOST_COMBINED_LIMIT = 1_000;
/** Scroll page size: 1–5000 in the 2023 spec, 1–10000 in 2026; 5000 works on both. */
export const HOST_SCROLL_LIMIT = 5000;
/** POST /devices/entities/devices/v2 takes at most 5000 ids. */
export const HOST_DETAILS_BATCH = 5000;
/** PSFalcon's batch for online state. */
export const ONLINE_STATE_BATCH = 100;

const HostId = z.string().min(1);
const HOST_ID = falconRecord<string>('host id', null);

export interface HostPage {
  ids: string[];
  /** Hosts matching the filter, as Falcon reported it: judge it before trusting it (records.plausibleCount). */
  total: number | undefined;
  /** Entries of this page that were not a host id (set aside). */
  setAside: number;
}

export interface ScrollOptions {
  filter?: string;
  pageSize?: number;
  signal?: AbortSignal;
}

/** Options of the batched record calls; `onUnreadable` hears of every record that could not be read. */
export interface RecordOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onUnreadable?: (records: readonly UnreadableRecord[]) => void;
  /** Called as each answer's bytes are all in, before they are read: a caller's in-flight slot is free from then. */
  received?: () => void;
}

/** A scroll or combined token outlived its two minutes (a long rate-limit wait). */
const expiredToken = (error: unknown) =>
  isProviderError(error) && error.diagnosis.code === 'falcon.bad_request' && /expired/i.test(error.diagnosis.observed ?? '');

/**
 * Host ids page by page. A scroll token dies after two minutes, so callers must keep pulling.
 * When a pass ends with fewer ids than Falcon's total (a page came back short), one more pass
 * collects what was missed; only new ids are yielded.
 */
export async function* scrollHostIds(session: FalconSession, options: ScrollOptions = {}): AsyncGenerator<HostPage> {
  const seen = new Set<string>();
  /** Records set aside on the first pass count as delivered: Falcon counted them in its total. */
  let setAsideSeen = 0;
  let reported: number | undefined;
  let total: number | undefined;
  for (let pass = 0; pass < 2; pass += 1) {
    let offset: string | undefined;
    for (;;) {
      let res;
      try {
        res = await session.call({
          method: 'GET',
          path: '/devices/queries/devices-scroll/v1',
          query: { limit: Math.min(options.pageSize ?? HOST_SCROLL_LIMIT, 10_000), offset, filter: options.filter },
          scope: 'hostsRead',
          what: 'list hosts',
          records: true,
          signal: options.signal,
        });
      } catch (error) {
        // The scroll token outlived its two minutes (a long rate-limit wait): start over, keeping what we have.
        if (offset !== undefined && pass === 0 && expiredToken(error)) break;
        throw error;
      }
      const page = readFalcon(HostId, res, HOST_ID);
      const fresh = unseen(page.resources, (id) => id, seen);
      // The call after the last page reports total 0: keep the total we learned before it. Paging trusts only a
      // plausible total; the page carries it as reported, for the Test to judge.
      if (page.resources.length > 0 || reported === undefined) reported = page.meta.pagination?.total ?? reported;
      total = plausibleCount(reported);
      // Entries that are not ids are counted once, on the first pass.
      const setAside = pass === 0 ? countSetAside(page.unreadable) : 0;
      setAsideSeen += setAside;
      if (fresh.length > 0 || setAside > 0 || (pass === 0 && offset === undefined)) yield { ids: fresh, total: reported, setAside };
      const next = page.meta.pagination?.offset;
      // A short page is not the end; no ids, no token, or the whole total is.
      if (page.resources.length + page.unreadable.length === 0 || next === undefined || next === null || next === '' || String(next) === offset) break;
      // A total below what was already delivered is nonsense: the tokens decide then.
      if (total !== undefined && seen.size + setAsideSeen === total) break;
      offset = String(next);
    }
    if (total === undefined || seen.size + setAsideSeen >= total) return;
  }
}

export interface HostRecordPage {
  /** Readable hosts, and unreadable ones that have a device id (salvaged; listed in `unreadable` too). */
  hosts: InventoryHost[];
  /** Hosts matching the filter, as Falcon reported it: judge it before trusting it (records.plausibleCount). */
  total: number | undefined;
  unreadable: UnreadableRecord[];
}

const COMBINED_HOSTS = '/devices/combined/devices/v1';

/** A host page asked for from the first bytes of the page before it (`from`: that page's offset). */
interface EarlyPage {
  from: string | undefined;
  next: string;
  page?: Promise<HttpResponse>;
}

/** `meta.pagination.next` read as readFalcon reads it, from a meta read ahead of the records; undefined when absent or empty. */
function nextPageToken(meta: unknown): string | undefined {
  const parsed = FalconMeta.safeParse(meta);
  return (parsed.success && parsed.data.pagination?.next) || undefined;
}

/**
 * Inventory hosts page by page through `GET /devices/combined/devices/v1`, projected to INVENTORY_FIELDS (filter
 * repeated on every call, `offset` = the previous `next`). Returns 'missing' when the cloud answers 404 (older
 * clouds and some proxies lack the route): the caller falls back to scroll + details. Short pages and expired
 * tokens are handled as in scrollHostIds: one more pass collects what was missed; only new hosts are yielded.
 */
export async function* combinedHostPages(
  session: FalconSession,
  options: ScrollOptions & {
    /** Where the ids of the hosts yielded are kept (the caller's, to read afterwards: a fleet pull falling back mid-way). */
    seen?: Set<string>;
  } = {},
): AsyncGenerator<HostRecordPage, 'done' | 'missing'> {
  const seen = options.seen ?? new Set<string>();
  /** Records set aside on the first pass count as delivered: Falcon counted them in its total. */
  let setAsideSeen = 0;
  let reported: number | undefined;
  const fields = INVENTORY_FIELDS.join(',');
  let total: number | undefined;
  /** The next page asked for from a page's first bytes, before its records are read: which page asked, the token, the call. */
  let early: EarlyPage | undefined;
  const limit = Math.min(options.pageSize ?? HOST_COMBINED_LIMIT, 10_000);
  const call = (offset: string | undefined): ReturnType<FalconSession['call']> =>
    session.call({
      method: 'GET',
      path: COMBINED_HOSTS,
      query: { limit, offset, filter: options.filter, fields },
      scope: 'hostsRead',
      expect: [200, 404],
      what: 'list hosts',
      // Asked for these fields alone, but a proxy or an older cloud may send more: cut as each record is parsed.
      records: INVENTORY_RECORDS,
      // The paging's one slot is free once a page's bytes are in, as a batch call's is (nothing else waits on it).
      received: () => {},
      // Falcon sends `meta` first: the next page leaves before this one's records are read (~5 ms a page at 1,000).
      peek: (head) => {
        // One page ahead at most: a caller slower than a round trip gets the rest asked for after their pages are read.
        if (early) return;
        const next = nextPageToken(leadingMember(head, 'meta'));
        // Only where this page cannot be the last by the count: a page past the end would be a wasted call.
        const reportedTotal = plausibleCount(reported);
        if (!next || next === offset || (reportedTotal !== undefined && seen.size + setAsideSeen + limit >= reportedTotal)) return;
        // Set before the call: a call that shows its bytes at once must not ask again.
        const asked: EarlyPage = { from: offset, next };
        early = asked;
        asked.page = call(next);
        // A caller that stops early leaves it unread: its failure is nobody's.
        asked.page.catch(() => {});
      },
      signal: options.signal,
    });
  for (let pass = 0; pass < 2; pass += 1) {
    let offset: string | undefined;
    /** The next page, asked for before this one is handed over, so its round trip overlaps the caller's work on this one. */
    let ahead: ReturnType<typeof call> | undefined;
    for (;;) {
      let res;
      try {
        res = await (ahead ?? call(offset));
      } catch (error) {
        if (offset !== undefined && pass === 0 && expiredToken(error)) break;
        throw error;
      }
      ahead = undefined;
      if (res.status === 404) return 'missing';
      const page = readFalcon(InventoryHost, res, HOST_RECORD);
      const fresh = unseen(page.resources, (host) => host.device_id, seen);
      if (page.resources.length > 0 || reported === undefined) reported = page.meta.pagination?.total ?? reported;
      total = plausibleCount(reported);
      // Unreadable records are reported once: with their host, or (no id) on the first pass.
      const unreadable = page.unreadable.filter((u) => (u.id === null ? pass === 0 : fresh.some((host) => host.device_id === u.id)));
      if (pass === 0) setAsideSeen += countSetAside(page.unreadable);
      const next = page.meta.pagination?.next;
      const last =
        // `next` is absent on the last page.
        page.resources.length + page.unreadable.length === 0 ||
        !next ||
        next === offset ||
        // A total below what was already delivered is nonsense: the tokens decide then.
        (total !== undefined && seen.size + setAsideSeen === total);
      // What this page's first bytes asked for, if anything.
      const asked = early?.from === offset ? early : undefined;
      if (asked) early = undefined;
      if (!last) {
        if (asked?.page && asked.next === next) ahead = asked.page;
        else {
          ahead = call(next);
          // A caller that stops early leaves it unread: its failure is nobody's.
          ahead.catch(() => {});
        }
      }
      if (fresh.length > 0 || unreadable.length > 0 || (pass === 0 && offset === undefined)) yield { hosts: fresh, total: reported, unreadable };
      if (last) break;
      offset = next;
    }
    if (total === undefined || seen.size + setAsideSeen >= total) return 'done';
  }
  return 'done';
}

export async function countHosts(session: FalconSession, options: { filter?: string; signal?: AbortSignal } = {}): Promise<number> {
  const res = await session.call({
    method: 'GET',
    path: '/devices/queries/devices-scroll/v1',
    query: { limit: 1, filter: options.filter },
    scope: 'hostsRead',
    what: 'count hosts',
    signal: options.signal,
  });
  const page = readFalcon(HostId, res, HOST_ID);
  return page.meta.pagination?.total ?? page.resources.length;
}

/** Host records by id (POST, 5000 per call); unreadable records are reported to `onUnreadable` and left out. */
export async function getHostDetails(session: FalconSession, ids: readonly string[], options: RecordOptions = {}): Promise<FalconHost[]> {
  return postHostDetails(session, ids, FalconHost, HOST_DETAILS, true, options);
}

/** Host records by id as an inventory keeps them; an unreadable record with a device id is salvaged (see HOST_RECORD). */
export async function getInventoryHosts(session: FalconSession, ids: readonly string[], options: RecordOptions = {}): Promise<InventoryHost[]> {
  // A details record has ~50 fields; the inventory keeps seven.
  return postHostDetails(session, ids, InventoryHost, HOST_RECORD, INVENTORY_RECORDS, options);
}

async function postHostDetails<S extends z.ZodType>(
  session: FalconSession,
  ids: readonly string[],
  schema: S,
  kind: RecordKind<z.output<S>>,
  records: FalconCall['records'],
  options: RecordOptions,
): Promise<z.output<S>[]> {
  return mapBatches(ids, HOST_DETAILS_BATCH, options.concurrency ?? 4, async (batch) => {
    const res = await session.call({
      method: 'POST',
      path: '/devices/entities/devices/v2',
      json: { ids: batch },
      idempotent: true,
      scope: 'hostsRead',
      what: 'read host details',
      records,
      received: options.received,
      signal: options.signal,
    });
    const page = readFalcon(schema, res, kind);
    if (page.unreadable.length > 0) options.onUnreadable?.(page.unreadable);
    return page.resources;
  });
}

export async function getOnlineStates(session: FalconSession, ids: readonly string[], options: RecordOptions = {}): Promise<OnlineState[]> {
  return mapBatches(ids, ONLINE_STATE_BATCH, options.concurrency ?? 4, async (batch) => {
    const res = await session.call({
      method: 'GET',
      path: '/devices/entities/online-state/v1',
      query: { ids: batch },
      scope: 'hostsRead',
      what: 'read host online state',
      records: true,
      received: options.received,
      signal: options.signal,
    });
    const page = readFalcon(OnlineState, res, ONLINE_STATE_RECORD);
    if (page.unreadable.length > 0) options.onUnreadable?.(page.unreadable);
    return page.resources;
  });
}

/** The items whose id is not in `seen` yet, adding each as it goes: a host listed twice in one page is one host. */
export function unseen<T>(items: readonly T[], idOf: (item: T) => string, seen: Set<string>): T[] {
  const fresh: T[] = [];
  for (const item of items) {
    const id = idOf(item);
    if (seen.has(id)) continue;
    seen.add(id);
    fresh.push(item);
  }
  return fresh;
}
