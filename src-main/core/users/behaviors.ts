// The risk behaviors: each turns what the providers report into occurrences for the users tied to a device.
// Pure functions over the inventory, the alert log and the posture log's failing devices.
import type { AlertLogEntry } from '../../../src-shared/schemas/incidents';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import type { RiskBehaviors } from '../../../src-shared/schemas/users';
import type { Match } from '../posture/match';
import type { FailingDevice, OccurrenceScope, RiskOccurrence } from '../store/users';
import type { UserDirectory } from './directory';

type Named = Pick<RiskOccurrence, 'userId' | 'displayName' | 'aliases'>;

function named(directory: UserDirectory, userId: string, fallback: string | null): Named {
  const user = directory.users.get(userId);
  return { userId, displayName: user?.displayName ?? fallback ?? userId, aliases: user?.aliases ?? (fallback ? [fallback] : []) };
}

function threatSignal(infected: boolean | null, activeThreats: number | null): string {
  const threats = activeThreats && activeThreats > 0 ? `${activeThreats} active threat${activeThreats === 1 ? '' : 's'}` : null;
  if (infected && threats) return `Infected, ${threats}`;
  return infected ? 'Infected' : (threats ?? '');
}

/**
 * "SentinelOne threat detected on a user's device": an agent that is infected or has active threats. Steps for the
 * time slicer (one per agent): at fleet scale the agents are tens of thousands, too many for one turn of the loop.
 */
export function* s1ThreatOccurrences(
  match: Match,
  directory: UserDirectory,
  behavior: RiskBehaviors['s1_threat'],
  configuredProviders: readonly string[],
): Generator<void, { occurrences: RiskOccurrence[]; scope: OccurrenceScope }> {
  const occurrences: RiskOccurrence[] = [];
  const observed: string[] = [];
  for (const snapshot of match.snapshots) {
    if (snapshot.kind !== 'sentinelone') continue;
    observed.push(snapshot.providerId);
    for (const [i, obs] of snapshot.observations.entries()) {
      yield;
      if (obs.posture.kind !== 'sentinelone' || obs.retired) continue;
      const { infected, activeThreats } = obs.posture;
      if (infected !== true && !(activeThreats !== null && activeThreats > 0)) continue;
      const device = match.deviceAt(snapshot.providerId, i);
      if (!device || device.records.find((r) => r.observation === obs)?.role === 'superseded') continue;
      for (const userId of directory.usersOf(device.key))
        occurrences.push({
          ...named(directory, userId, obs.user ?? null),
          behavior: 's1_threat',
          source: snapshot.providerId,
          subject: `${snapshot.providerId}:${obs.recordId}`,
          level: behavior.level,
          deviceKey: device.key,
          deviceName: device.hostname ?? obs.hostname ?? obs.recordId,
          signal: threatSignal(infected, activeThreats),
          evidence: { kind: 's1_threat', providerId: snapshot.providerId, agentId: obs.recordId, infected, activeThreats, reportedUser: obs.user ?? null },
          occurredAt: snapshot.fetchedAt,
          ongoing: true,
        });
    }
  }
  return { occurrences, scope: { behavior: 's1_threat', observed, alive: [...configuredProviders] } };
}

/** Falcon's created_timestamp carries nanoseconds; Date.parse keeps the milliseconds. */
export function alertTime(entry: AlertLogEntry): number {
  const created = Date.parse(entry.alert.createdTimestamp);
  return Number.isNaN(created) ? Date.parse(entry.receivedAt) : created;
}

/**
 * "Falcon alert on a user's device" at or above the severity threshold: the users tied to the alert's host in the
 * inventory, and the alert's own user (who was signed in when it fired). Steps for the time slicer, one per alert.
 */
export function* falconAlertOccurrences(
  entries: readonly AlertLogEntry[],
  directory: UserDirectory,
  behavior: RiskBehaviors['falcon_alert'],
): Generator<void, RiskOccurrence[]> {
  const occurrences: RiskOccurrence[] = [];
  for (const entry of entries) {
    yield;
    const { alert } = entry;
    if (alert.severity === null || alert.severity < behavior.minSeverity) continue;
    const device = alert.deviceId ? directory.deviceOfFalconHost(alert.deviceId) : undefined;
    const userIds = new Set(device ? directory.usersOf(device.key) : []);
    const own = directory.resolver.resolve(alert.userName);
    if (own !== null) userIds.add(own);
    const signal = `Severity ${alert.severity}${alert.name ? `: ${alert.name}` : ''}${alert.tactic ? ` (${alert.tactic})` : ''}`;
    for (const userId of userIds)
      occurrences.push({
        ...named(directory, userId, userId === own ? alert.userName : null),
        behavior: 'falcon_alert',
        source: entry.integrationId,
        subject: alert.compositeId,
        level: behavior.level,
        deviceKey: device?.key ?? null,
        deviceName: device?.hostname ?? alert.hostname,
        signal,
        evidence: {
          kind: 'falcon_alert',
          integrationId: entry.integrationId,
          compositeId: alert.compositeId,
          severity: alert.severity,
          name: alert.name,
          tactic: alert.tactic,
          technique: alert.technique,
          alertUser: alert.userName,
          falconLink: alert.falconLink,
        },
        occurredAt: alertTime(entry),
        ongoing: false,
      });
  }
  return occurrences;
}

export function durationText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The source of the failing-check behavior: one per check, so choosing another check ends the old one's events. */
export const checkSource = (checkId: string) => `check:${checkId}`;

/**
 * "Device failing a chosen posture check for longer than a chosen time"; it occurs when that time is up. Steps for
 * the time slicer, one per failing device (a fleet's worth when a check fails everywhere).
 */
export function* failingCheckOccurrences(
  failing: readonly FailingDevice[],
  directory: UserDirectory,
  check: PostureCheck,
  behavior: RiskBehaviors['posture_check_failing'],
  now: number,
): Generator<void, RiskOccurrence[]> {
  const durationMs = behavior.minutes * 60_000;
  const occurrences: RiskOccurrence[] = [];
  for (const row of failing) {
    yield;
    if (now - row.since <= durationMs) continue;
    for (const userId of directory.usersOf(row.deviceKey))
      occurrences.push({
        ...named(directory, userId, null),
        behavior: 'posture_check_failing',
        source: checkSource(check.id),
        subject: `${check.id}:${row.deviceKey}`,
        level: behavior.level,
        deviceKey: row.deviceKey,
        deviceName: row.deviceName,
        signal: `Failing "${row.checkName}" for longer than ${durationText(behavior.minutes)}${row.received ? ` (${row.received})` : ''}`,
        evidence: {
          kind: 'posture_check_failing',
          providerId: check.providerId,
          checkId: check.id,
          checkName: row.checkName,
          failingSince: row.since,
          expected: row.expected,
          received: row.received,
        },
        occurredAt: row.since + durationMs,
        ongoing: true,
      });
  }
  return occurrences;
}
