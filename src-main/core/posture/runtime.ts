// Posture at run time: the scheduler polls each posture provider on its timer, the pipeline evaluates
// the checks, the store keeps the changes, and every step is announced as an event.
import { randomUUID } from 'node:crypto';
import type { DeviceDetail, DevicePage, DeviceQuery, DashboardSummary, ScoreBucket } from '../../../src-shared/schemas/inventory';
import type { LogAppended, LogRow } from '../../../src-shared/schemas/posture-log';
import { isPostureProviderKind, type PollStatus, type PostureCheck, type PostureProviderKind } from '../../../src-shared/schemas/posture';
import { pollIntervalMs, type ProviderConfig } from '../../../src-shared/schemas/providers';
import { ContractError } from '../../../src-shared/errors';
import type { Connections } from '../connections/service';
import type { Logger } from '../log';
import type { ProviderClients } from '../provider-clients';
import type { Store } from '../store/store';
import type { PollHistory } from './history';
import type { Inventory } from './current-inventory';
import { createIdleMemory } from '../idle-memory';
import { createDeviceOrder, createDeviceSearch } from './device-order';
import { explainDevice } from './match';
import { pollPosture, type PostureSource } from './poll';
import { createPollScheduler, type PowerEvents, type SchedulerTimers } from './scheduler';
import { runSlicedFirst } from '../time-slice';

/** A first poll opens a row per device and check; the live tail needs only the newest. */
const MAX_APPENDED_ROWS = 500;

type PostureProvider = Extract<ProviderConfig, { kind: PostureProviderKind }>;

export function isPostureProvider(p: ProviderConfig): p is PostureProvider {
  return isPostureProviderKind(p.kind);
}

export interface PostureRuntimeDeps {
  connections: Connections;
  clients: ProviderClients;
  store: Store;
  inventory: Inventory;
  history: PollHistory;
  checks: () => readonly PostureCheck[];
  now: () => number;
  logger: Logger;
  power?: PowerEvents;
  timers?: SchedulerTimers;
  onStatus: (status: PollStatus) => void;
  onAppended: (appended: LogAppended) => void;
}

/** Array.filter as steps: a filter over a 100k-device inventory is too long for one turn of the event loop. */
function* filterSteps<T>(items: readonly T[], keep: (item: T) => boolean): Generator<void, T[]> {
  const kept: T[] = [];
  for (const item of items) {
    if (keep(item)) kept.push(item);
    yield;
  }
  return kept;
}

export function createPostureRuntime(deps: PostureRuntimeDeps) {
  // Between polls the main process gives back what a poll left behind (see idle-memory).
  const idleMemory = createIdleMemory();
  const sourceOf = (config: PostureProvider): PostureSource => ({ kind: config.kind, client: deps.clients.posture(config) }) as PostureSource;

  const scheduler = createPollScheduler({
    power: deps.power,
    timers: deps.timers,
    onStatus: deps.onStatus,
    // Provider failures carry the admin's wording; anything else is logged with its stack and named by its cause.
    describeError: (error) => {
      if (error instanceof ContractError) return `${error.message}${error.fix ? ` ${error.fix}` : ''}`;
      deps.logger.error({ err: error }, 'poll failed unexpectedly');
      return `The poll failed unexpectedly: ${error instanceof Error ? error.message : String(error)}.`;
    },
    async poll(providerId, signal, onProgress) {
      const config = deps.connections.get(providerId);
      if (!isPostureProvider(config)) throw new Error(`${config.name} is not a posture provider`);
      const pollEnded = idleMemory.pollStarted();
      try {
        const { packed, rows, summary } = await pollPosture({
          providerId,
          pollIntervalMs: pollIntervalMs[config.pollInterval],
          source: sourceOf(config),
          checks: deps.checks(),
          inventory: deps.inventory,
          now: deps.now,
          pollId: randomUUID(),
          sourceNames: (id) => deps.connections.list().find((v) => v.config.id === id)?.config.name,
          signal,
          onProgress,
        });
        const ingested = await deps.store.ingestPacked(packed, { keepOpened: MAX_APPENDED_ROWS });
        // A poll that evaluated nothing (no checks yet) is no point on the trend; history.add skips it.
        deps.history.add({ at: summary.evaluatedAt, providerId, ...summary.counts });
        deps.connections.recordHealth(providerId, { lastSuccessAt: new Date(summary.evaluatedAt).toISOString(), lastError: null });
        if (ingested.opened.length > 0) deps.onAppended({ providerId, pollId: packed.pollId, rows: ingested.opened });
        for (const warning of summary.warnings) deps.logger.warn({ providerId }, warning);
        if (config.kind !== 'custom' && summary.devices > 0) scoreKnownDevices();
        return {
          tally: {
            devices: summary.devices,
            checks: summary.checks,
            evaluations: rows,
            changes: ingested.openedCount,
            setAside: summary.setAside,
            unreadable: summary.unreadable,
          },
        };
      } catch (error) {
        if (!signal.aborted) {
          if (!(error instanceof ContractError)) deps.logger.error({ err: error, providerId }, 'posture poll failed');
          deps.connections.recordHealth(providerId, { lastError: error instanceof ContractError ? error.message : 'The poll failed unexpectedly.' });
        }
        throw error;
      } finally {
        pollEnded();
      }
    },
  });

  /**
   * A custom endpoint scores the devices the other sources report: one that has seen none yet (it polled before
   * them, at start) polls again as soon as another source has brought devices, instead of a whole interval later.
   */
  function scoreKnownDevices(): void {
    for (const { config } of deps.connections.list())
      if (config.kind === 'custom' && (deps.inventory.snapshot(config.id)?.observations.length ?? 0) === 0) scheduler.pollNow(config.id).catch(() => undefined);
  }

  /** Re-reads the providers: new ones are scheduled (polled at once), removed ones forgotten. */
  function syncProviders(firstStart = false): void {
    const posture = deps.connections
      .list()
      .map((v) => v.config)
      .filter(isPostureProvider);
    const known = new Set(posture.map((p) => p.id));
    for (const status of scheduler.statuses()) if (!known.has(status.providerId)) deps.inventory.remove(status.providerId);
    scheduler.setProviders(
      posture.map((p) => ({
        id: p.id,
        intervalMs: pollIntervalMs[p.pollInterval],
        // The inventory lives in memory: after a start, poll at once so the screens have data.
        lastSuccessAt: firstStart ? null : undefined,
      })),
    );
  }

  /**
   * The latest result per device and check from the log, limited to checks that still exist: a removed
   * check's last result is history, not the device's current posture.
   */
  async function currentResults(deviceKeys: string[]): Promise<Map<string, LogRow[]>> {
    const live = new Set(deps.checks().map((c) => `${c.providerId}\n${c.id}`));
    const byDevice = new Map<string, LogRow[]>(deviceKeys.map((k) => [k, []]));
    for (const row of await deps.store.latestForDevices(deviceKeys)) if (live.has(`${row.providerId}\n${row.checkId}`)) byDevice.get(row.deviceKey)?.push(row);
    return byDevice;
  }

  const deviceOrder = createDeviceOrder();

  const deviceSearch = createDeviceSearch();

  async function devices(query: DeviceQuery): Promise<DevicePage> {
    const text = query.text?.toLowerCase();
    const match = deps.inventory.match();
    const found = text ? await deviceSearch(match.devices, text) : null;
    const ordered = await deviceOrder(match.devices, query.sort);
    const filtered = Boolean(query.providerId || query.serialStatus || found);
    const all = filtered
      ? await runSlicedFirst(
          filterSteps(
            ordered,
            (d) =>
              (!query.providerId || d.records.some((r) => r.observation.providerId === query.providerId)) &&
              (!query.serialStatus || d.serialStatus === query.serialStatus) &&
              (!found || found.has(d)),
          ),
        )
      : ordered;
    const page = all.slice(query.offset, query.offset + query.limit);
    const current = await currentResults(page.map((d) => d.key));
    const sources = deps.connections
      .list()
      .map((v) => v.config)
      .filter(isPostureProvider)
      .map((p) => ({ providerId: p.id, fetchedAt: deps.inventory.snapshot(p.id)?.fetchedAt ?? null }));
    return { items: page.map((d) => ({ ...d, current: current.get(d.key) ?? [] })), total: all.length, sources };
  }

  async function device(key: string): Promise<DeviceDetail> {
    const match = deps.inventory.match();
    const found = match.byKey.get(key);
    if (!found)
      throw new ContractError({
        code: 'device.not_found',
        message: 'That device is not in the current inventory.',
        fix: 'Poll the providers again or reload the Devices page.',
      });
    const current = await currentResults([key]);
    return { device: found, explanation: explainDevice(found, match), current: current.get(key) ?? [] };
  }

  async function dashboard(): Promise<DashboardSummary> {
    const match = deps.inventory.match();
    const statuses = new Map(scheduler.statuses().map((s) => [s.providerId, s]));
    const providers = deps.connections.list().map((v) => ({
      providerId: v.config.id,
      name: v.config.name,
      kind: v.config.kind,
      health: v.health,
      status: v.status,
      poll: statuses.get(v.config.id) ?? null,
      devices: deps.inventory.snapshot(v.config.id)?.observations.length ?? 0,
    }));
    const latest = await Promise.all((['pass', 'fail', 'unknown'] as const).map((result) => deps.store.countLog({ view: 'latest', results: [result] })));
    const scores: ScoreBucket[] = Array.from({ length: 10 }, (_, i) => ({ from: i * 10 + 1, to: i * 10 + 10, count: 0 }));
    let unscored = 0;
    for (const snapshot of match.snapshots)
      for (const o of snapshot.observations) {
        if (o.posture.kind !== 'crowdstrike-zta') continue;
        const overall = o.posture.assessment?.overall;
        if (overall === null || overall === undefined) unscored++;
        else scores[Math.min(9, Math.max(0, Math.ceil(overall / 10) - 1))]!.count++;
      }
    return {
      providers,
      results: { pass: latest[0]!, fail: latest[1]!, unknown: latest[2]! },
      trend: deps.history.since(deps.now() - 7 * 86_400_000),
      scores,
      unscored,
    };
  }

  return {
    start: () => syncProviders(true),
    syncProviders: () => syncProviders(false),
    statuses: () => scheduler.statuses(),
    pollNow: (id: string) => scheduler.pollNow(id),
    cancel: (id: string) => scheduler.cancel(id),
    pause: (id?: string) => (id ? scheduler.pause(id) : scheduler.pauseAll()),
    resume: (id?: string) => (id ? scheduler.resume(id) : scheduler.resumeAll()),
    devices,
    device,
    dashboard,
    stop: () => {
      idleMemory.dispose();
      return scheduler.stop();
    },
  };
}

export type PostureRuntime = ReturnType<typeof createPostureRuntime>;
