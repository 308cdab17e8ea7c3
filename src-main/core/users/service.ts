// User risk: evaluates the behaviors over the inventory, the alert log and the posture log after each poll, records
// occurrences as events in the store, and answers the Users screen (levels, detail, timeline, reset, behaviors, CSV).
//
// Scoring: a user's level is the highest configured level among their active events. An event is active while its
// behavior is enabled, it began after the user's latest reset, and it is still ongoing or was last observed within
// the window. A reset therefore also settles a condition that is still going on; it counts again if it recurs.
import { ContractError } from '../../../src-shared/errors';
import type { AlertLogEntry, AlertLogPage } from '../../../src-shared/schemas/incidents';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import {
  RiskBehaviors,
  behaviorLabels,
  defaultRiskBehaviors,
  riskRank,
  type RiskCounts,
  type RiskEvent,
  type RiskEventStatus,
  type UserDetail,
  type UserFilter,
  type UserPage,
  type UserQuery,
  type UserReset,
  type UserSummary,
  type UserTimelineEntry,
  type UsersChanged,
} from '../../../src-shared/schemas/users';
import type { Logger } from '../log';
import type { Match } from '../posture/match';
import type { ProviderKind } from '../../../src-shared/schemas/providers';
import type { OccurrenceScope, RecordResult, RiskOccurrence, StoredEvent, StoredUser, UserMerge } from '../store/users';
import { runSliced } from '../time-slice';
import { alertTime, checkSource, failingCheckOccurrences, falconAlertOccurrences, s1ThreatOccurrences } from './behaviors';
import { buildDirectorySliced, type UserDirectory } from './directory';
import type { RiskStore } from './risk-store';
import { usersCsv } from './users-csv';

const DAY_MS = 86_400_000;
const ALERT_PAGE = 1000;
/** Bounds one evaluation's read of the alert log (a million alerts in a week is not a fleet, it is an outage). */
const MAX_ALERT_PAGES = 200;
const DETAIL_EVENTS = 500;

export interface UserRiskDeps {
  store: RiskStore;
  /** onMatched: told when a new match replaces the one the cached directory was built from. */
  inventory: { match(): Match; onMatched?(listener: (match: Match) => void): unknown };
  checks: () => readonly PostureCheck[];
  /** Configured providers, so events of a removed provider end. */
  providers: () => readonly { id: string; kind: ProviderKind }[];
  /** The incident engine's alert log, newest first. */
  alertLog: (query: { limit: number; offset: number }) => Promise<AlertLogPage>;
  now: () => number;
  logger: Logger;
  onChanged: (change: UsersChanged) => void;
}

const notFound = () =>
  new ContractError({
    code: 'user.not_found',
    message: 'No such user in the inventory or the risk history.',
    fix: 'Reload the Users page; the user may have left the inventory.',
  });

export function createUserRisk(deps: UserRiskDeps) {
  let behaviorsCache: RiskBehaviors | null = null;
  let directoryCache: { match: Match; directory: Promise<UserDirectory> } | null = null;
  /** The alert log's size and the threshold at the last scan: alerts are point events, so an unchanged log needs no re-read. */
  let alertScan: { total: number; key: string } | null = null;
  // A replaced match's directory holds that whole match (its devices, through the users' device lists): let both go as
  // soon as a poll's new match is current, not when the evaluation after the poll builds the next directory.
  deps.inventory.onMatched?.((match) => {
    if (directoryCache && directoryCache.match !== match) directoryCache = null;
  });

  async function behaviors(): Promise<RiskBehaviors> {
    if (behaviorsCache) return behaviorsCache;
    const stored = RiskBehaviors.safeParse(await deps.store.behaviors());
    behaviorsCache = stored.success ? stored.data : defaultRiskBehaviors;
    return behaviorsCache;
  }

  /** The directory of the current match. */
  function directory(): Promise<UserDirectory> {
    return directorySliced(deps.inventory.match());
  }

  /**
   * A match's directory, built in slices once (a 100k-device fleet's is a few hundred milliseconds of work): the
   * evaluation after a poll and the Users screen asking meanwhile share the one build.
   */
  function directorySliced(match: Match): Promise<UserDirectory> {
    if (directoryCache?.match === match) return directoryCache.directory;
    const cache = { match, directory: buildDirectorySliced(match) };
    directoryCache = cache;
    cache.directory.catch(() => {
      if (directoryCache === cache) directoryCache = null;
    });
    return cache.directory;
  }

  /** Alerts created since `since`, newest first; null when the log has not changed since the last scan. */
  async function recentAlerts(since: number, key: string): Promise<AlertLogEntry[] | null> {
    const entries: AlertLogEntry[] = [];
    for (let page = 0; page < MAX_ALERT_PAGES; page++) {
      const { items, total } = await deps.alertLog({ limit: ALERT_PAGE, offset: page * ALERT_PAGE });
      if (page === 0) {
        if (alertScan?.total === total && alertScan.key === key) return null;
        alertScan = { total, key };
      }
      for (const entry of items) {
        if (alertTime(entry) < since) return entries;
        entries.push(entry);
      }
      if (items.length < ALERT_PAGE) return entries;
    }
    deps.logger.warn({ pages: MAX_ALERT_PAGES }, 'user risk: alert log read cut short');
    return entries;
  }

  /** Users recorded under a bare name that the inventory now places in a domain (the provider with the domain form polled later). */
  async function merges(users: UserDirectory): Promise<UserMerge[]> {
    return (await deps.store.knownUsers()).flatMap((known) => {
      const to = known.userId.includes('\\') ? null : users.resolver.resolve(known.userId);
      if (to === null || to === known.userId) return [];
      const target = users.users.get(to);
      return [
        {
          from: known.userId,
          to,
          displayName: target?.displayName ?? known.displayName,
          aliases: [...new Set([...(target?.aliases ?? []), ...known.aliases])],
        },
      ];
    });
  }

  /** One evaluation of every enabled behavior; records what is new and ends what is no longer observed. */
  async function evaluate(): Promise<RecordResult> {
    const config = await behaviors();
    const now = deps.now();
    const match = deps.inventory.match();
    const users = await directorySliced(match);
    // Joined with concat, not push(...): a behavior's occurrences can outnumber what a call's arguments may hold.
    let occurrences: RiskOccurrence[] = [];
    const scopes: OccurrenceScope[] = [];
    const providers = deps.providers();

    if (config.s1_threat.enabled) {
      const s1 = providers.filter((p) => p.kind === 'sentinelone').map((p) => p.id);
      const found = await runSliced(s1ThreatOccurrences(match, users, config.s1_threat, s1));
      occurrences = occurrences.concat(found.occurrences);
      scopes.push(found.scope);
    }

    if (config.falcon_alert.enabled) {
      const key = `${config.falcon_alert.minSeverity}/${config.falcon_alert.level}/${config.windowDays}`;
      const alerts = await recentAlerts(now - config.windowDays * DAY_MS, key);
      if (alerts) occurrences = occurrences.concat(await runSliced(falconAlertOccurrences(alerts, users, config.falcon_alert)));
    }

    const failing = config.posture_check_failing;
    if (failing.enabled && failing.checkId) {
      const check = deps.checks().find((c) => c.id === failing.checkId);
      const source = checkSource(failing.checkId);
      const observed = check !== undefined && match.snapshots.some((s) => s.providerId === check.providerId);
      if (check && observed) {
        const devices = await deps.store.failingDevices({ providerId: check.providerId, checkId: check.id });
        occurrences = occurrences.concat(await runSliced(failingCheckOccurrences(devices, users, check, failing, now)));
      }
      // A deleted check's events end; a check whose provider has not been polled yet keeps them as they are.
      scopes.push({ behavior: 'posture_check_failing', observed: observed ? [source] : [], alive: check ? [source] : [] });
    }

    const result = await deps.store.record({ now, merges: await merges(users), occurrences, scopes });
    if (result.raised + result.cleared + result.merged > 0) deps.onChanged({ cause: 'evaluation' });
    return result;
  }

  // Polls may finish while an evaluation runs: they share the next one instead of queueing one each.
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<void> | null = null;
  function requestEvaluation(): Promise<void> {
    if (queued) return queued;
    const next = tail.then(async () => {
      queued = null;
      await evaluate();
    });
    queued = next.catch((error: unknown) => deps.logger.error({ err: error }, 'user risk evaluation failed'));
    tail = queued;
    return queued;
  }

  type Scored = { summary: UserSummary; deviceNames: string[]; search: string };

  /** Every user the inventory or the history knows, with their current level. */
  async function scoredUsers(): Promise<Scored[]> {
    const config = await behaviors();
    const [known, activity] = await Promise.all([deps.store.knownUsers(), deps.store.activity({ cutoff: deps.now() - config.windowDays * DAY_MS })]);
    const users = await directory();
    const byId = new Map<string, Scored>();
    const add = (id: string, displayName: string, aliases: string[], deviceNames: string[]) => {
      const summary: UserSummary = { id, displayName, aliases, level: 'none', activeEvents: 0, devices: deviceNames.length, lastEventAt: null, resetAt: null };
      const scored = { summary, deviceNames, search: [id, displayName, ...aliases, ...deviceNames].join('\n').toLowerCase() };
      byId.set(id, scored);
      return scored;
    };
    for (const u of users.users.values())
      add(
        u.id,
        u.displayName,
        u.aliases,
        u.devices.map((d) => d.hostname ?? d.key),
      );
    for (const k of known) (byId.get(k.userId) ?? add(k.userId, k.displayName, k.aliases, [])).summary.resetAt = k.resetAt;
    for (const a of activity) {
      const behavior = config[a.behavior];
      const scored = byId.get(a.userId);
      if (!scored || !behavior.enabled) continue;
      const s = scored.summary;
      if (riskRank[behavior.level] > riskRank[s.level]) s.level = behavior.level;
      s.activeEvents += a.events;
      s.lastEventAt = Math.max(s.lastEventAt ?? 0, a.lastOccurredAt);
    }
    return [...byId.values()];
  }

  const countLevels = (users: readonly Scored[]): RiskCounts => {
    const counts: RiskCounts = { high: 0, medium: 0, low: 0, none: 0 };
    for (const u of users) counts[u.summary.level]++;
    return counts;
  };

  function filtered(users: readonly Scored[], filter: UserFilter): Scored[] {
    const text = filter.text?.toLowerCase();
    return text ? users.filter((u) => u.search.includes(text)) : [...users];
  }

  const compareName = (a: UserSummary, b: UserSummary) =>
    a.displayName.toLowerCase() < b.displayName.toLowerCase() ? -1 : a.displayName.toLowerCase() > b.displayName.toLowerCase() ? 1 : 0;
  const sorters: Record<UserQuery['sort'], (a: UserSummary, b: UserSummary) => number> = {
    // Same level: the most recent event first, so the newest trouble leads.
    risk: (a, b) => riskRank[a.level] - riskRank[b.level] || (a.lastEventAt ?? 0) - (b.lastEventAt ?? 0) || compareName(b, a),
    name: compareName,
    devices: (a, b) => a.devices - b.devices || compareName(b, a),
    lastEvent: (a, b) => (a.lastEventAt ?? 0) - (b.lastEventAt ?? 0) || compareName(b, a),
  };

  function sorted(users: Scored[], sort: UserQuery['sort'], direction: UserQuery['direction']): Scored[] {
    const compare = sorters[sort];
    const sign = direction === 'asc' ? 1 : -1;
    return users.sort((a, b) => sign * compare(a.summary, b.summary));
  }

  async function list(query: UserQuery): Promise<UserPage> {
    const matching = filtered(await scoredUsers(), query);
    const counts = countLevels(matching);
    const levels = query.levels && query.levels.length > 0 ? new Set(query.levels) : null;
    const shown = sorted(levels ? matching.filter((u) => levels.has(u.summary.level)) : matching, query.sort, query.direction);
    return { items: shown.slice(query.offset, query.offset + query.limit).map((u) => u.summary), total: shown.length, counts };
  }

  function eventStatus(e: StoredEvent, user: StoredUser | null, config: RiskBehaviors, cutoff: number): RiskEventStatus {
    if (user?.resetAt !== null && user?.resetAt !== undefined && e.occurredAt <= user.resetAt) return 'before_reset';
    if (!e.ongoing && (e.endedAt ?? e.occurredAt) < cutoff) return 'aged_out';
    if (!config[e.behavior].enabled) return 'behavior_off';
    return 'active';
  }

  function timelineOf(events: readonly RiskEvent[], resets: readonly { at: number; actor: string; reason: string }[]): UserTimelineEntry[] {
    const entries: UserTimelineEntry[] = [];
    for (const e of events) {
      const where = e.deviceName ? ` on ${e.deviceName}` : '';
      entries.push({
        at: e.occurredAt,
        kind: 'raised',
        text: `${behaviorLabels[e.behavior]}: ${e.signal}${where} (${e.level})`,
        eventId: e.id,
        actor: null,
        reason: null,
      });
      // Lasting conditions also say when they stopped being observed; an alert is a moment.
      if (e.evidence.kind !== 'falcon_alert' && !e.ongoing && e.endedAt !== null)
        entries.push({ at: e.endedAt, kind: 'cleared', text: `No longer observed: ${e.signal}${where}`, eventId: e.id, actor: null, reason: null });
    }
    for (const r of resets) entries.push({ at: r.at, kind: 'reset', text: `Risk score reset by ${r.actor}`, eventId: null, actor: r.actor, reason: r.reason });
    // Newest first; at the same moment a reset reads as the latest thing that happened.
    const order = { raised: 0, cleared: 1, reset: 2 };
    return entries.sort((a, b) => b.at - a.at || order[b.kind] - order[a.kind]);
  }

  async function get(userId: string): Promise<UserDetail> {
    const config = await behaviors();
    const cutoff = deps.now() - config.windowDays * DAY_MS;
    const [history, scored] = await Promise.all([deps.store.history({ userId, limit: DETAIL_EVENTS }), scoredUsers()]);
    const summary = scored.find((u) => u.summary.id === userId)?.summary;
    if (!summary) throw notFound();
    const events = history.events.map((e): RiskEvent => ({ ...e, status: eventStatus(e, history.user, config, cutoff) }));
    const users = await directory();
    const tied = users.users.get(userId);
    return { user: summary, devices: tied ? users.devicesOf(tied) : [], events, timeline: timelineOf(events, history.resets) };
  }

  async function reset({ userId, actor, reason }: UserReset): Promise<UserDetail> {
    const tied = (await directory()).users.get(userId);
    const known = tied ? null : (await deps.store.knownUsers()).find((k) => k.userId === userId);
    if (!tied && !known) throw notFound();
    await deps.store.reset({
      userId,
      displayName: tied?.displayName ?? known!.displayName,
      aliases: tied?.aliases ?? known!.aliases,
      at: deps.now(),
      actor,
      reason,
    });
    deps.onChanged({ cause: 'reset' });
    return get(userId);
  }

  async function setBehaviors(next: RiskBehaviors): Promise<RiskBehaviors> {
    const { checkId } = next.posture_check_failing;
    if (checkId !== null && !deps.checks().some((c) => c.id === checkId))
      throw new ContractError({
        code: 'invalid_input',
        message: 'That posture check no longer exists.',
        fix: 'Choose one of the saved posture checks.',
        issues: [{ path: 'posture_check_failing.checkId', message: 'Choose one of the saved posture checks.' }],
      });
    await deps.store.saveBehaviors(next);
    behaviorsCache = next;
    alertScan = null;
    deps.onChanged({ cause: 'behaviors' });
    // The new configuration applies at once, not at the next poll.
    void requestEvaluation();
    return next;
  }

  return {
    evaluate,
    requestEvaluation,
    /** Resolves once every evaluation requested so far has finished. */
    settled: () => tail.then(() => undefined),
    list,
    get,
    reset,
    behaviors,
    setBehaviors,
    async counts(): Promise<RiskCounts> {
      return countLevels(await scoredUsers());
    },
    async exportCsv(filter: UserFilter): Promise<string> {
      const levels = filter.levels && filter.levels.length > 0 ? new Set(filter.levels) : null;
      const rows = sorted(
        filtered(await scoredUsers(), filter).filter((u) => !levels || levels.has(u.summary.level)),
        'risk',
        'desc',
      );
      return usersCsv(rows);
    },
  };
}

export type UserRisk = ReturnType<typeof createUserRisk>;
