// The boundary with the provider clients: their records in, the posture core's device observations out.
import type { DeviceObservation, UnreadableNote, UnreadableRecordKind, ZtaPosture } from '../../../src-shared/schemas/posture';
import type { FalconInventory } from '../providers/crowdstrike/fleet-pull';
import type { InventoryHost, OnlineState } from '../providers/crowdstrike/hosts';
import type { ZtaAssessment } from '../providers/crowdstrike/zta';
import type { S1Agent } from '../providers/sentinelone/agents';
import type { UnreadableRecord } from '../providers/records';
import { parseTime } from '../providers/observations';

export { parseTime };

/** A user name is a non-empty string or nothing (Falcon's schema passes the field through untyped). */
const userName = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** Distinct values kept by `word`; a provider sending more distinct words than this gets the rest as they came. */
const WORDS_LIMIT = 4096;
const words = new Map<string, string>();

/**
 * One shared copy of a short value from a small vocabulary (platform, online state, ZTA version, S1 network status):
 * JSON.parse makes a fresh string of each for every record, and the inventory keeps every record until the next poll.
 */
export function word<T extends string | null | undefined>(value: T): T {
  if (typeof value !== 'string' || value.length > 32) return value;
  const kept = words.get(value);
  if (kept !== undefined) return kept as T;
  if (words.size < WORDS_LIMIT) words.set(value, value);
  return value;
}

type ZtaPostureOf = Extract<DeviceObservation['posture'], { kind: 'crowdstrike-zta' }>;
type S1PostureOf = Extract<DeviceObservation['posture'], { kind: 'sentinelone' }>;
type Assessment = NonNullable<ZtaPostureOf['assessment']>;

/** An assessment as the inventory keeps it (frozen: it may be shared by every host that scores alike). */
const frozenAssessment = (scores: NonNullable<ZtaAssessment['scores']>, version: string | null): Assessment =>
  Object.freeze({ overall: scores.overall, os: scores.os, sensorConfig: scores.sensorConfig, version });

/** Keys per score: 0–100 as themselves and null as 101. */
const SCORE_KEYS = 102;
/** A score's place in an assessment's key, or -1 for a value no reader lets through (such an assessment is not shared). */
const scoreKey = (score: number | null): number => (score === null ? 101 : Number.isInteger(score) && score >= 0 && score <= 100 ? score : -1);

/** Distinct SentinelOne postures kept by `sharedS1Posture`: a fleet has a few dozen (flags, counts and states). */
const S1_POSTURES_LIMIT = 1024;
const s1Postures = new Map<string, S1PostureOf>();

/**
 * One frozen object for each distinct SentinelOne posture (an agent's whole posture is a handful of flags and states):
 * the inventory keeps a posture per agent until the next poll, and a fleet of them repeats a few dozen values.
 */
function sharedS1Posture(posture: S1PostureOf): S1PostureOf {
  const key = JSON.stringify([posture.infected, posture.activeThreats, posture.isActive, posture.networkStatus, posture.operationalState]);
  const kept = s1Postures.get(key);
  if (kept !== undefined) return kept;
  if (s1Postures.size < S1_POSTURES_LIMIT) s1Postures.set(key, Object.freeze(posture));
  return posture;
}

/** Notes by record id for the unreadable records that name their device. */
function notesById(groups: [UnreadableRecordKind, readonly UnreadableRecord[]][]): Map<string, UnreadableNote[]> {
  const notes = new Map<string, UnreadableNote[]>();
  for (const [record, unreadable] of groups)
    for (const u of unreadable) {
      if (u.id === null) continue;
      const list = notes.get(u.id);
      if (list) list.push({ record, reason: u.reason });
      else notes.set(u.id, [{ record, reason: u.reason }]);
    }
  return notes;
}

/** Falcon hosts joined with their ZTA assessment and online state (all keyed by the host's device_id). */
export function falconObservations(providerId: string, inventory: FalconInventory): DeviceObservation[] {
  const builder = falconObservationBuilder(providerId);
  builder.hosts(inventory.hosts);
  builder.assessments(inventory.assessments);
  builder.onlineStates(inventory.onlineStates);
  return builder.finish(inventory.unreadable);
}

/**
 * falconObservations as the records arrive (an inventory sink): each host becomes its observation at once and its
 * assessment and online state are filled in when they come, so no list of raw records is kept. The same observations,
 * in the same order, as joining the finished lists: the last record of an id wins, as there.
 */
export function falconObservationBuilder(providerId: string) {
  const byId = new Map<string, DeviceObservation & { posture: ZtaPostureOf }>();
  // One frozen object for each distinct assessment of this poll: hosts of one OS build and sensor policy score alike.
  // Looked up by the three scores as one number, then by the version (shared by `word`, so its hash is computed once):
  // no key string and no candidate object per record. A Map keeps null apart from "null".
  const assessmentsSeen = new Map<number, Map<string | null, Assessment>>();
  const sharedAssessment = (scores: NonNullable<ZtaAssessment['scores']>): Assessment => {
    const version = word(scores.version);
    const overall = scoreKey(scores.overall);
    const os = scoreKey(scores.os);
    const sensorConfig = scoreKey(scores.sensorConfig);
    if (overall < 0 || os < 0 || sensorConfig < 0) return frozenAssessment(scores, version);
    const key = (overall * SCORE_KEYS + os) * SCORE_KEYS + sensorConfig;
    let byVersion = assessmentsSeen.get(key);
    if (!byVersion) assessmentsSeen.set(key, (byVersion = new Map()));
    let kept = byVersion.get(version);
    if (!kept) byVersion.set(version, (kept = frozenAssessment(scores, version)));
    return kept;
  };
  // Records that came before their host (the scroll route reads details after the ZTA calls may have answered).
  const early = { assessments: new Map<string, ZtaAssessment>(), states: new Map<string, OnlineState>() };
  // The few hosts whose own record lacks a serial or platform: the assessment's is used then.
  const noSerial = new Set<string>();
  const noPlatform = new Set<string>();

  const assess = (obs: DeviceObservation & { posture: ZtaPostureOf }, zta: ZtaAssessment) => {
    const scores = zta.scores;
    obs.posture.assessment = scores && sharedAssessment(scores);
    // Most fleets have no such host: no lookup per assessment then.
    if (noSerial.size > 0 && noSerial.has(obs.recordId)) obs.serial = zta.serialNumber || null;
    if (noPlatform.size > 0 && noPlatform.has(obs.recordId)) obs.platform = word(zta.platform) ?? null;
  };
  const place = (obs: DeviceObservation & { posture: ZtaPostureOf }, online: OnlineState) => {
    obs.posture.state = word(online.state) ?? null;
    // lastActivityAt is the host record's last_seen.
    obs.posture.lastSeenAt = parseTime(online.last_seen) ?? obs.lastActivityAt;
  };

  return {
    hosts(hosts: readonly InventoryHost[]): void {
      for (const host of hosts) {
        const id = host.device_id;
        if (!host.serial_number) noSerial.add(id);
        if (host.platform_name === null || host.platform_name === undefined) noPlatform.add(id);
        const lastSeen = parseTime(host.last_seen);
        const obs: DeviceObservation & { posture: ZtaPostureOf } = {
          providerId,
          recordId: id,
          hostname: host.hostname ?? null,
          serial: host.serial_number || null,
          macs: host.mac_address ? [host.mac_address] : [],
          platform: word(host.platform_name) ?? null,
          lastActivityAt: lastSeen,
          retired: false,
          user: userName(host.last_login_user),
          posture: { kind: 'crowdstrike-zta', assessment: null, state: null, lastSeenAt: lastSeen },
        };
        byId.set(id, obs);
        const zta = early.assessments.get(id);
        if (zta) {
          early.assessments.delete(id);
          assess(obs, zta);
        }
        const online = early.states.get(id);
        if (online) {
          early.states.delete(id);
          place(obs, online);
        }
      }
    },
    assessments(assessments: readonly ZtaAssessment[]): void {
      for (const zta of assessments) {
        const obs = byId.get(zta.aid);
        if (obs) assess(obs, zta);
        else early.assessments.set(zta.aid, zta);
      }
    },
    onlineStates(states: readonly OnlineState[]): void {
      for (const online of states) {
        const obs = byId.get(online.id);
        if (obs) place(obs, online);
        else early.states.set(online.id, online);
      }
    },
    /** The observations, with notes on the records that could not be read; the builder is spent afterwards. */
    finish(unreadable: FalconInventory['unreadable']): DeviceObservation[] {
      const { hosts, assessments: badAssessments, onlineStates: badStates } = unreadable;
      const notes =
        hosts.length + badAssessments.length + badStates.length > 0
          ? notesById([
              ['host', hosts],
              ['assessment', badAssessments],
              ['online_state', badStates],
            ])
          : null;
      const observations = [...byId.values()];
      if (notes)
        for (const obs of observations) {
          const list = notes.get(obs.recordId);
          if (list) obs.posture.unreadable = list as ZtaPosture['unreadable'];
        }
      byId.clear();
      assessmentsSeen.clear();
      early.assessments.clear();
      early.states.clear();
      return observations;
    },
  };
}

const S1_PLATFORMS: Record<string, string> = { windows: 'Windows', windows_legacy: 'Windows', macos: 'Mac', linux: 'Linux' };

/** `unreadable`: why this agent's record could not be read (it was salvaged), so its checks are unknown. */
export function sentinelOneObservation(providerId: string, agent: S1Agent, unreadable?: string): DeviceObservation {
  return {
    providerId,
    recordId: agent.id,
    hostname: agent.computerName ?? null,
    serial: agent.serialNumber ?? null,
    // Exact size: flatMap's result keeps room to grow, and the inventory keeps this array until the next poll.
    macs: (agent.networkInterfaces ?? []).flatMap((n) => (n.physical ? [n.physical] : [])).slice(),
    platform: agent.osType ? (S1_PLATFORMS[agent.osType] ?? word(agent.osType)) : null,
    lastActivityAt: parseTime(agent.lastActiveDate),
    retired: agent.isDecommissioned === true || agent.isUninstalled === true,
    user: userName(agent.lastLoggedInUserName),
    posture: unreadable ? { ...s1Posture(agent), unreadable: [{ record: 'agent' as const, reason: unreadable }] } : sharedS1Posture(s1Posture(agent)),
  };
}

function s1Posture(agent: S1Agent): S1PostureOf {
  return {
    kind: 'sentinelone',
    infected: agent.infected,
    activeThreats: agent.activeThreats,
    isActive: agent.isActive,
    networkStatus: word(agent.networkStatus) ?? null,
    operationalState: word(agent.operationalState) ?? null,
  };
}
