// A full-fleet pull: every host id by scroll first (a handful of calls, and a scroll token must not
// sit waiting behind hundreds of batch calls), then details, ZTA scores and online states in
// batches, all under one concurrency cap and the client's rate budget.
import { chunk, createLimiter } from '../batches';
import { getHostDetails, getOnlineStates, HOST_DETAILS_BATCH, ONLINE_STATE_BATCH, scrollHostIds, type FalconHost, type OnlineState } from './hosts';
import type { FalconSession } from './session';
import { getZtaAssessments, ZTA_BATCH, type ZtaAssessment } from './zta';

export interface InventoryOptions {
  filter?: string;
  pageSize?: number;
  /** Requests in flight at once (the rate budget still paces them). */
  concurrency?: number;
  zta?: boolean;
  onlineState?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: InventoryProgress) => void;
}

export interface InventoryProgress {
  total: number | undefined;
  idsSeen: number;
  hosts: number;
  assessments: number;
  onlineStates: number;
}

export interface FalconInventory {
  hosts: FalconHost[];
  assessments: ZtaAssessment[];
  onlineStates: OnlineState[];
  /** Falcon's own count; more than hosts.length means hosts vanished (or pages were cut) mid-pull. */
  reportedTotal: number | undefined;
}

export async function pullInventory(session: FalconSession, options: InventoryOptions = {}): Promise<FalconInventory> {
  const run = createLimiter(options.concurrency ?? 8);
  const out: FalconInventory = { hosts: [], assessments: [], onlineStates: [], reportedTotal: undefined };
  const progress: InventoryProgress = { total: undefined, idsSeen: 0, hosts: 0, assessments: 0, onlineStates: 0 };
  const tasks: Promise<void>[] = [];
  let failure: unknown;
  const signal = options.signal;

  const schedule = (task: () => Promise<void>) => {
    const promise = run(async () => {
      if (failure === undefined) await task();
    });
    promise.catch((error: unknown) => {
      failure ??= error;
    });
    tasks.push(promise);
  };
  const report = () => options.onProgress?.({ ...progress });

  const ids: string[] = [];
  for await (const page of scrollHostIds(session, { filter: options.filter, pageSize: options.pageSize, signal })) {
    ids.push(...page.ids);
    out.reportedTotal = page.total;
    progress.total = page.total;
    progress.idsSeen = ids.length;
    report();
  }
  for (const batch of chunk(ids, HOST_DETAILS_BATCH))
    schedule(async () => {
      const hosts = await getHostDetails(session, batch, { concurrency: 1, signal });
      out.hosts.push(...hosts);
      progress.hosts += hosts.length;
      report();
    });
  if (options.zta)
    for (const batch of chunk(ids, ZTA_BATCH))
      schedule(async () => {
        const assessments = await getZtaAssessments(session, batch, { concurrency: 1, signal });
        out.assessments.push(...assessments);
        progress.assessments += assessments.length;
      });
  if (options.onlineState)
    for (const batch of chunk(ids, ONLINE_STATE_BATCH))
      schedule(async () => {
        const states = await getOnlineStates(session, batch, { concurrency: 1, signal });
        out.onlineStates.push(...states);
        progress.onlineStates += states.length;
      });
  await Promise.allSettled(tasks);
  if (failure !== undefined) throw failure;
  report();
  return out;
}
