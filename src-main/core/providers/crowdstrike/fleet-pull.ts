// A full-fleet pull: host records (projected to the fields posture keeps) page by page from the combined endpoint,
// and ZTA scores and online states in batches that start as soon as a page delivers their ids, all under one
// in-flight cap and the client's rate budget. A cloud without the combined endpoint (404) gets today's older path
// instead: ids by scroll and details in POSTs of 5000, pipelined the same way. While the paging runs it keeps one
// slot of the cap to itself, so a paging token never waits behind the batch calls.
import { plausibleCount, type UnreadableRecord } from '../records';
import {
  combinedHostPages,
  getInventoryHosts,
  getOnlineStates,
  HOST_DETAILS_BATCH,
  ONLINE_STATE_BATCH,
  scrollHostIds,
  unseen,
  type InventoryHost,
  type OnlineState,
} from './hosts';
import type { FalconSession } from './session';
import { getZtaAssessments, ZTA_BATCH, type ZtaAssessment } from './zta';

export interface InventoryOptions {
  filter?: string;
  pageSize?: number;
  /** Requests in flight at once, the scroll included (the rate budget still paces them). */
  concurrency?: number;
  zta?: boolean;
  onlineState?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: InventoryProgress) => void;
  /**
   * Takes the records as each answer is read, instead of the result's lists (which then stay empty; `counts` still
   * counts them): a poll turns them into observations at once and no answer is held longer than it takes to read.
   */
  sink?: InventorySink;
}

export interface InventorySink {
  hosts(hosts: readonly InventoryHost[]): void;
  assessments(assessments: readonly ZtaAssessment[]): void;
  onlineStates(states: readonly OnlineState[]): void;
}

export interface InventoryProgress {
  total: number | undefined;
  idsSeen: number;
  hosts: number;
  assessments: number;
  onlineStates: number;
}

export interface FalconInventory {
  /** The host fields posture uses (no others are asked for or kept: a 100k-host pull stays small). */
  hosts: InventoryHost[];
  assessments: ZtaAssessment[];
  onlineStates: OnlineState[];
  /** Records read, whether kept in the lists above or handed to the sink. */
  counts: { hosts: number; assessments: number; onlineStates: number };
  /** Falcon's own count (when plausible); more than counts.hosts means hosts vanished (or pages were cut) mid-pull. */
  reportedTotal: number | undefined;
  /**
   * Records Falcon sent that could not be read. One with an id is tied to its host (a host record is also in
   * `hosts`, salvaged); one without is set aside.
   */
  unreadable: { hosts: UnreadableRecord[]; assessments: UnreadableRecord[]; onlineStates: UnreadableRecord[] };
  /** Records that could not be tied to any host: unreadable without an id, and id-list entries that were not ids. */
  setAside: number;
  /** Ids the host list gave (scroll route) whose details Falcon did not send: removed during the poll. */
  undetailed: number;
}

/** Which host route a client uses; one 404 from the combined endpoint moves it to scroll + details for good. */
export interface HostRoute {
  combined: boolean;
}

/** Requests a pull keeps in flight unless told otherwise (the HTTP client keeps more connections than this per origin). */
export const DEFAULT_PULL_CONCURRENCY = 8;

/** A batch call; `received` frees its slot as soon as its answer is in, so the answer is read while the next call waits on the wire. */
type Task = (received: () => void) => Promise<void>;

export async function pullInventory(session: FalconSession, options: InventoryOptions = {}, route: HostRoute = { combined: true }): Promise<FalconInventory> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_PULL_CONCURRENCY));
  const out: FalconInventory = {
    hosts: [],
    assessments: [],
    onlineStates: [],
    counts: { hosts: 0, assessments: 0, onlineStates: 0 },
    reportedTotal: undefined,
    unreadable: { hosts: [], assessments: [], onlineStates: [] },
    setAside: 0,
    undetailed: 0,
  };
  const unreadable = (into: UnreadableRecord[]) => (records: readonly UnreadableRecord[]) => {
    for (const record of records) {
      if (record.id === null) out.setAside++;
      into.push(record);
    }
  };
  const onUnreadable = {
    hosts: unreadable(out.unreadable.hosts),
    zta: unreadable(out.unreadable.assessments),
    online: unreadable(out.unreadable.onlineStates),
  };
  const progress: InventoryProgress = { total: undefined, idsSeen: 0, hosts: 0, assessments: 0, onlineStates: 0 };
  const sink = options.sink;
  const keep: InventorySink = {
    hosts(hosts) {
      out.counts.hosts += hosts.length;
      if (sink) sink.hosts(hosts);
      else for (const host of hosts) out.hosts.push(host);
    },
    assessments(assessments) {
      out.counts.assessments += assessments.length;
      if (sink) sink.assessments(assessments);
      else for (const assessment of assessments) out.assessments.push(assessment);
    },
    onlineStates(states) {
      out.counts.onlineStates += states.length;
      if (sink) sink.onlineStates(states);
      else for (const state of states) out.onlineStates.push(state);
    },
  };
  const report = () => options.onProgress?.({ ...progress });
  const signal = options.signal;

  // Batch calls waiting for a slot, first in first out; `scrolling` holds one slot for the paging. A call holds its slot
  // (`active`) until its answer is in, and counts as running until that answer is read.
  const queue: Task[] = [];
  let active = 0;
  let running = 0;
  let scrolling = true;
  let failure: { error: unknown } | undefined;
  let settle: (() => void) | undefined;
  const slots = () => (scrolling ? concurrency - 1 : concurrency);
  const pump = () => {
    while (failure === undefined && active < slots() && queue.length > 0) {
      const task = queue.shift()!;
      active += 1;
      running += 1;
      let holding = true;
      const free = () => {
        if (!holding) return;
        holding = false;
        active -= 1;
        pump();
      };
      task(free).then(
        () => {
          running -= 1;
          free();
          pump();
        },
        (error: unknown) => {
          running -= 1;
          failure ??= { error };
          free();
          pump();
        },
      );
    }
    if (running === 0 && (failure !== undefined || (!scrolling && queue.length === 0))) settle?.();
  };
  const done = new Promise<void>((resolve) => (settle = resolve));

  const details: Task[] = [];
  const light: Task[] = [];
  const pending = { details: [] as string[], zta: [] as string[], online: [] as string[] };
  const detailed = new Set<string>();
  /** Turns buffered ids into batch calls: full batches as ids arrive, the remainder once the paging ends. */
  const flush = (final: boolean) => {
    const take = (ids: string[], size: number): string[][] => {
      const batches: string[][] = [];
      while (ids.length >= size || (final && ids.length > 0)) batches.push(ids.splice(0, size));
      return batches;
    };
    for (const batch of take(pending.details, HOST_DETAILS_BATCH))
      details.push(async (received) => {
        const hosts = await getInventoryHosts(session, batch, { concurrency: 1, signal, onUnreadable: onUnreadable.hosts, received });
        // An answer listing a host twice still yields one host.
        const fresh = unseen(hosts, (host) => host.device_id, detailed);
        // A listed host Falcon sent no details for (removed meanwhile) is counted, not a list cut short.
        out.undetailed += batch.filter((id) => !detailed.has(id)).length;
        keep.hosts(fresh);
        progress.hosts += fresh.length;
        report();
      });
    const zta = take(pending.zta, ZTA_BATCH).map((batch): Task => async (received) => {
      const assessments = await getZtaAssessments(session, batch, { concurrency: 1, signal, onUnreadable: onUnreadable.zta, received });
      keep.assessments(assessments);
      progress.assessments += assessments.length;
    });
    const online = take(pending.online, ONLINE_STATE_BATCH).map((batch): Task => async (received) => {
      const states = await getOnlineStates(session, batch, { concurrency: 1, signal, onUnreadable: onUnreadable.online, received });
      keep.onlineStates(states);
      progress.onlineStates += states.length;
    });
    // Alternate the kinds: a details answer (thousands of records) costs far more to read than a ZTA or
    // online-state answer, so it goes first and the light calls keep the other slots busy meanwhile.
    for (let i = 0; i < Math.max(zta.length, online.length); i++) {
      if (zta[i]) light.push(zta[i]!);
      if (online[i]) light.push(online[i]!);
    }
    queue.push(...details.splice(0), ...light.splice(0));
    pump();
  };

  /** Hosts the combined endpoint delivered (its own set of ids seen): a fallback mid-pull must not ask for them again. */
  const delivered = new Set<string>();
  const took = (id: string) => {
    if (options.zta) pending.zta.push(id);
    if (options.onlineState) pending.online.push(id);
  };
  const counted = (ids: number, total: number | undefined) => {
    // A provider's count is judged, not trusted: a negative or absurd total is treated as not reported.
    out.reportedTotal = plausibleCount(total);
    progress.total = out.reportedTotal;
    progress.idsSeen += ids;
  };

  try {
    if (route.combined) {
      const pages = combinedHostPages(session, { filter: options.filter, pageSize: options.pageSize, signal, seen: delivered });
      try {
        while (failure === undefined) {
          const step = await pages.next();
          if (step.done) {
            if (step.value === 'missing') route.combined = false;
            break;
          }
          if (failure !== undefined) break;
          const { hosts, unreadable: unread, total } = step.value;
          onUnreadable.hosts(unread);
          for (const host of hosts) took(host.device_id);
          keep.hosts(hosts);
          counted(hosts.length, total);
          progress.hosts += hosts.length;
          report();
          flush(false);
        }
      } finally {
        await pages.return('done');
      }
    }
    if (!route.combined && failure === undefined)
      for await (const page of scrollHostIds(session, { filter: options.filter, pageSize: options.pageSize, signal })) {
        if (failure !== undefined) break;
        out.setAside += page.setAside;
        const ids = delivered.size > 0 ? page.ids.filter((id) => !delivered.has(id)) : page.ids;
        pending.details.push(...ids);
        for (const id of ids) took(id);
        counted(ids.length, page.total);
        report();
        flush(false);
      }
    if (failure === undefined) flush(true);
  } catch (error) {
    failure ??= { error };
  } finally {
    scrolling = false;
    pump();
  }
  await done;
  if (failure !== undefined) throw failure.error;
  report();
  return out;
}
