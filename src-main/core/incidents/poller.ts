// The alerts poller of one Falcon integration: on its interval it re-reads an overlap window behind the
// cursor, routes each alert through the rule set (first match wins), and commits the outcomes, the
// de-duplication set and the new cursor in one transaction — so a restart, a retry, a 429 or a timeout
// can neither duplicate nor lose an alert.
import type { IncidentProblem, PollBatch, PollerPhase, PollerStatus } from '../../../src-shared/schemas/incidents';
import { pollIntervalMs, type ProviderConfig } from '../../../src-shared/schemas/providers';
import { ContractError } from '../../../src-shared/errors';
import { ALERT_OFFSET_CEILING } from '../providers/crowdstrike/alerts';
import type { FalconClient } from '../providers/crowdstrike/client';
import { countSetAside, type UnreadableRecord } from '../providers/records';
import { evaluateRuleSet, type CompiledRuleSet } from './rules';
import { canonicalOfMs, canonicalTimestamp, laterTimestamp, timestampMs } from './alert-time';
import { describeProblem } from './problems';
import { summarizeAlert } from './incident-lifecycle';
import type { IncidentRepository, PollCommitResult, RoutedAlert } from './operations';

export type FalconIncidentsConfig = Extract<ProviderConfig, { kind: 'crowdstrike-falcon-incidents' }>;

/** Falcon may index an alert a little after its created_timestamp; re-reading this much behind the cursor catches it. */
export const DEFAULT_OVERLAP_MS = 10 * 60_000;
/** Alerts per query and per transaction; more waiting are read in further pages of the same poll. */
export const DEFAULT_PAGE_SIZE = 1000;
/** How far back the very first poll of an integration looks. */
export const DEFAULT_INITIAL_LOOKBACK_MS = 60 * 60_000;
/** A backlog larger than this many pages is finished by the next poll. */
export const DEFAULT_MAX_PAGES = 50;

export interface PollerOptions {
  /** The integration's current configuration (read at every poll, so edits apply without a restart). */
  integration: () => FalconIncidentsConfig;
  alerts: Pick<FalconClient['alerts'], 'queryIds' | 'get'>;
  repository: IncidentRepository;
  /** The saved rule set, compiled; throws a ContractError when it does not compile. */
  rules: () => Promise<CompiledRuleSet>;
  now?: () => Date;
  overlapMs?: number;
  pageSize?: number;
  initialLookbackMs?: number;
  maxPages?: number;
  /** After each committed page: enrichment, automatic containment, events. */
  afterCommit?: (result: PollCommitResult, signal: AbortSignal) => Promise<void>;
  /** Before the first page: follow-ups a crash left undone. */
  beforePoll?: (signal: AbortSignal) => Promise<void>;
  onStatus?: (status: PollerStatus) => void;
}

const emptyBatch = (): PollBatch => ({ fetched: 0, fresh: 0, duplicates: 0, incidentsCreated: 0, alertsLinked: 0, logged: 0, unmatched: 0, setAside: 0 });

function addBatch(total: PollBatch, page: PollBatch): void {
  for (const key of Object.keys(total) as (keyof PollBatch)[]) total[key] += page[key];
}

/** First match wins; log_only and no match are outcomes too, recorded like the rest. */
export function routeAlert(rules: CompiledRuleSet, raw: Record<string, unknown>, receivedMs: number): RoutedAlert {
  const summary = summarizeAlert(raw);
  const match = evaluateRuleSet(rules, raw);
  return {
    raw,
    summary,
    createdKey: canonicalTimestamp(summary.createdTimestamp) ?? canonicalOfMs(receivedMs),
    outcome: match ? match.outcome.action : 'no_match',
    rule: match ? { index: match.ruleIndex, id: match.rule.id, name: match.rule.name, outcome: match.outcome } : null,
  };
}

export class AlertPoller {
  readonly #o: PollerOptions;
  readonly #now: () => Date;
  #phase: PollerPhase = 'stopped';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextPollAt: Date | null = null;
  #inFlight: Promise<PollBatch> | undefined;
  #abort: AbortController | undefined;
  /** The poll in flight was cancelled by the admin (not stopped): it ends without an error and the timer goes on. */
  #cancelled = false;
  #lastBatch: PollBatch | null = null;
  #lastError: IncidentProblem | null = null;
  #cursor: string | null = null;
  #counters = { alertsSeen: 0, incidentsCreated: 0 };
  #lastPollAt: string | null = null;
  #lastSuccessAt: string | null = null;
  #loaded = false;

  constructor(options: PollerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  get integrationId(): string {
    return this.#o.integration().id;
  }

  /** Polls now, then every interval until stopped. */
  start(): void {
    if (this.#phase !== 'stopped') return;
    this.#phase = 'idle';
    this.#schedule(0);
  }

  /** Stops the timer and cancels a poll in flight; what it already committed stays. */
  async stop(): Promise<void> {
    this.#phase = 'stopped';
    this.#clearTimer();
    this.#abort?.abort(new Error('poller stopped'));
    await this.#inFlight?.catch(() => undefined);
    this.#emit();
  }

  /**
   * Cancels the poll in flight, keeping the schedule: what it committed stays, the rest is read again next
   * time (the cursor only moves with committed pages). False when no poll was running.
   */
  cancel(): boolean {
    if (!this.#abort) return false;
    this.#cancelled = true;
    this.#abort.abort(new Error('poll cancelled'));
    return true;
  }

  /** One poll now (or the one already running); the timer restarts from its end. */
  pollNow(): Promise<PollBatch> {
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
      if (this.#phase !== 'stopped') this.#schedule(pollIntervalMs[this.#o.integration().pollInterval]);
      this.#emit();
    });
    return this.#inFlight;
  }

  async status(): Promise<PollerStatus> {
    await this.#load();
    return this.#status();
  }

  #status(): PollerStatus {
    const config = this.#o.integration();
    return {
      integrationId: config.id,
      name: config.name,
      phase: this.#phase,
      intervalMs: pollIntervalMs[config.pollInterval],
      cursor: this.#cursor,
      lastPollAt: this.#lastPollAt,
      lastSuccessAt: this.#lastSuccessAt,
      nextPollAt: this.#phase === 'stopped' || this.#phase === 'polling' ? null : (this.#nextPollAt?.toISOString() ?? null),
      alertsSeen: this.#counters.alertsSeen,
      incidentsCreated: this.#counters.incidentsCreated,
      lastBatch: this.#lastBatch,
      lastError: this.#lastError,
    };
  }

  #emit(): void {
    this.#o.onStatus?.(this.#status());
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextPollAt = null;
  }

  #schedule(delayMs: number): void {
    this.#clearTimer();
    this.#nextPollAt = new Date(this.#now().getTime() + delayMs);
    this.#timer = setTimeout(() => void this.pollNow().catch(() => undefined), delayMs);
    // A waiting poller must not keep a CLI or a test process alive.
    this.#timer.unref?.();
  }

  async #load(): Promise<void> {
    if (this.#loaded) return;
    const state = await this.#o.repository.pollState(this.integrationId);
    this.#loaded = true;
    if (!state) return;
    this.#cursor = state.cursor;
    this.#counters = { alertsSeen: state.alertsSeen, incidentsCreated: state.incidentsCreated };
    this.#lastPollAt = state.lastPollAt;
    this.#lastSuccessAt = state.lastSuccessAt;
  }

  async #run(): Promise<PollBatch> {
    const wasStopped = this.#phase === 'stopped';
    const abort = new AbortController();
    this.#abort = abort;
    this.#phase = 'polling';
    this.#emit();
    const total = emptyBatch();
    try {
      await this.#load();
      await this.#o.beforePoll?.(abort.signal);
      await this.#pages(total, abort.signal);
      this.#lastBatch = total;
      this.#lastError = null;
      this.#phase = wasStopped || (abort.signal.aborted && !this.#cancelled) ? 'stopped' : 'idle';
      return total;
    } catch (error) {
      this.#lastBatch = total;
      // A stop during the poll (phase 'stopped') wins over a cancel: the poller stays stopped.
      if (this.#cancelled && this.#phase !== 'stopped') {
        this.#phase = wasStopped ? 'stopped' : 'idle';
        throw new ContractError({ code: 'cancelled', message: 'The poll was stopped. Alerts it had not committed are read again by the next poll.' });
      }
      this.#lastError = describeProblem(error);
      this.#phase = wasStopped || abort.signal.aborted ? 'stopped' : 'error';
      const state = await this.#o.repository.recordPollAttempt({ integrationId: this.integrationId, at: this.#now().toISOString() }).catch(() => null);
      if (state) this.#lastPollAt = state.lastPollAt;
      throw error;
    } finally {
      if (this.#abort === abort) {
        this.#abort = undefined;
        this.#cancelled = false;
      }
    }
  }

  async #pages(total: PollBatch, signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const overlapMs = o.overlapMs ?? DEFAULT_OVERLAP_MS;
    const config = o.integration();
    const rules = await o.rules();
    const start = this.#cursor ? timestampMs(this.#cursor) - overlapMs : this.#now().getTime() - (o.initialLookbackMs ?? DEFAULT_INITIAL_LOOKBACK_MS);
    const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
    let since = new Date(start).toISOString();
    let max = pageSize;
    for (let page = 0; page < (o.maxPages ?? DEFAULT_MAX_PAGES); page++) {
      const { ids, total: matching } = await o.alerts.queryIds({ createdAfter: since, max, signal });
      // The overlap window re-reads alerts already handled: only new ones are fetched in full.
      const known = await o.repository.knownAlerts({ integrationId: config.id, compositeIds: ids });
      const unknown = ids.filter((id) => !Object.hasOwn(known, id));
      const unreadable: UnreadableRecord[] = [];
      const records = unknown.length > 0 ? await o.alerts.get(unknown, { signal, onUnreadable: (u) => unreadable.push(...u) }) : [];
      const receivedMs = this.#now().getTime();
      const routed = records
        .map((alert) => routeAlert(rules, alert, receivedMs))
        .sort((a, b) => (a.createdKey < b.createdKey ? -1 : a.createdKey > b.createdKey ? 1 : 0));
      // An id the entities call did not return is retried next poll: the cursor stays before it (ids come oldest first).
      // An unreadable alert was returned (it is set aside, not retried); so were the missing ids when Falcon sent
      // at least as many unreadable records without a composite id.
      const position = new Map(ids.map((id, i) => [id, i]));
      const returned = new Set([...records.map((r) => r.composite_id), ...unreadable.flatMap((u) => (u.id === null ? [] : [u.id]))]);
      const missing = unknown.filter((id) => !returned.has(id));
      const firstMissing = missing.length <= countSetAside(unreadable) ? Infinity : Math.min(...missing.map((id) => position.get(id) ?? 0));
      const before = (id: string) => (position.get(id) ?? 0) < firstMissing;
      const settledTimes = [
        ...routed.filter((r) => before(r.summary.compositeId)).map((r) => r.summary.createdTimestamp || null),
        ...Object.entries(known).flatMap(([id, key]) => (before(id) ? [key] : [])),
      ];
      const newest = settledTimes.reduce<string | null>(laterTimestamp, null);
      const cursor = laterTimestamp(this.#cursor, newest);
      const result = await o.repository.commitPoll({
        integrationId: config.id,
        at: this.#now().toISOString(),
        hostEnrichment: config.hostEnrichment,
        alerts: routed,
        cursor,
        horizonKey: cursor ? canonicalOfMs(timestampMs(cursor) - overlapMs) : null,
      });
      addBatch(total, {
        ...result.batch,
        fetched: ids.length,
        duplicates: result.batch.duplicates + (ids.length - unknown.length),
        setAside: unreadable.length,
      });
      this.#cursor = result.state.cursor;
      this.#counters = { alertsSeen: result.state.alertsSeen, incidentsCreated: result.state.incidentsCreated };
      this.#lastPollAt = result.state.lastPollAt;
      this.#lastSuccessAt = result.state.lastSuccessAt;
      await o.afterCommit?.(result, signal);
      if (matching === undefined || matching <= ids.length || !newest || Number.isFinite(firstMissing)) return;
      // Catch up from the newest alert read (inclusive to the millisecond: its twins may sit on the next page).
      const next = new Date(timestampMs(newest) - 1).toISOString();
      if (next > since) {
        since = next;
        max = pageSize;
      } else if (max < ALERT_OFFSET_CEILING) {
        // A page full of one millisecond: read deeper from the same point instead.
        max = Math.min(ALERT_OFFSET_CEILING, max * 4);
      } else {
        throw new ContractError({
          code: 'poll.backlog_stuck',
          message: `More than ${ALERT_OFFSET_CEILING} alerts share the millisecond ${newest}; the poller cannot page past them.`,
          fix: 'Narrow what the integration reads, or contact support with this message.',
        });
      }
    }
  }
}
