// The deterministic fleet: Falcon hosts with ZTA scores, SentinelOne agents and Falcon alerts, all from one seed.
// Numeric facts are generated up front; wire records are built on first use, so 100k hosts start fast.
import { junkSerials, s1SiteNames, ztaSignals, type MeetsCriteria } from './catalog';
import { generateAlert, type AlertOptions, type FalconAlert } from './alerts';
import {
  agentSlotOf,
  HostRecords,
  signalOf,
  type FalconDevice,
  type OnlineState,
  type OnlineStateRecord,
  type S1Agent,
  type S1Site,
  type ZtaAssessment,
} from './host-records';
import { Prerendered } from './http';
import { enrolledInIntune } from './intune/devices';
import { deriveSeed, Random } from './prng';
import { DAY, HOUR, MINUTE, isoSeconds } from './time';
import { WireArena } from './wire-arena';

export type { FalconAlert } from './alerts';
export type { Platform } from './catalog';
export type {
  DevicePolicy,
  DeviceStatus,
  FalconDevice,
  OnlineState,
  OnlineStateRecord,
  S1Agent,
  S1NetworkStatus,
  S1OperationalState,
  S1Site,
  ZtaAssessment,
  ZtaScores,
  ZtaSignal,
} from './host-records';

export interface FleetOptions {
  devices: number;
  seed: number;
  nowMs: number;
  alerts: number;
  /** Console host used in `falcon_host_link`. */
  consoleHost: string;
}

/** Read-only view of the generated data, for tests and demos. */
export interface Fleet {
  readonly seed: number;
  /** Lower-case 32-hex CID as records carry it (the customer ID without its `-XX` checksum). */
  readonly cid: string;
  /** Host ids in fleet order (cheap; `devices` builds every record). */
  readonly deviceIds: readonly string[];
  readonly devices: readonly FalconDevice[];
  readonly agents: readonly S1Agent[];
  readonly alerts: readonly FalconAlert[];
  readonly sites: readonly S1Site[];
  device(id: string): FalconDevice | undefined;
  onlineState(id: string): OnlineStateRecord | undefined;
  /** The ZTA record; undefined for an unknown AID. */
  zta(aid: string): ZtaAssessment | undefined;
  agent(id: string): S1Agent | undefined;
  alert(compositeId: string): FalconAlert | undefined;
  /**
   * The deterministic coverage gaps, for tests and demos that assert on one device: Falcon hosts with a serial of
   * their own (not missing, junk or shared) that the source does not report (no SentinelOne agent; not enrolled in
   * Intune, by `enrolledInIntune`), in fleet order.
   */
  hostsMissingFrom(source: 'sentinelone' | 'intune'): { id: string; hostname: string; serial: string }[];
}

const STATES: readonly OnlineState[] = ['online', 'offline', 'unknown'];
const UNSCORED = -1;
const SERIAL_MISSING = -1;

export class FleetStore implements Fleet {
  readonly seed: number;
  readonly cid: string;
  readonly deviceIds: string[] = [];
  readonly alerts: FalconAlert[] = [];
  readonly sites: S1Site[];
  /** Bumped on every mutation so cached query results know when to recompute. */
  version = 0;

  private readonly nowMs: number;
  private readonly rng: Random;
  private readonly records: HostRecords;
  private readonly deviceIndex = new Map<string, number>();
  /** Last-seen time per host, then per S1-only host (indices >= device count). */
  private readonly lastSeen: Float64Array;
  private readonly state: Uint8Array;
  /** overall, os, sensor_config per host; UNSCORED when the host has no assessment. */
  private readonly scores: Int8Array;
  private readonly assessmentAbsent: Uint8Array;
  /** Serial overrides: SERIAL_MISSING, junk as -(2 + junk index), or the index of the host whose serial is copied. */
  private readonly serialOverride = new Map<number, number>();
  private readonly deviceSlots: (FalconDevice | undefined)[];
  private readonly ghostIds: string[] = [];
  private readonly ghostSlots: (FalconDevice | undefined)[] = [];
  /** Per agent slot: owning host index (>= device count for S1-only hosts) and whether it is a stale leftover. */
  private readonly agentOwner: number[] = [];
  private readonly agentStale: boolean[] = [];
  private readonly agentSlots: (S1Agent | undefined)[] = [];
  private readonly alertIndex = new Map<string, FalconAlert>();
  /** Reads left before a pending containment change completes. */
  private readonly pendingReads = new Map<number, number>();
  private readonly consoleHost: string;
  private alertSequence = 0;
  private allDevices: FalconDevice[] | undefined;
  private allAgents: S1Agent[] | undefined;
  /** Wire JSON of host records by fleet position, dropped when fleet code changes the record (containment). */
  private readonly deviceJson: WireArena;
  /** Wire JSON of ZTA records by host position; a host's assessment never changes. */
  private readonly ztaJson: WireArena;

  constructor(options: FleetOptions) {
    const n = options.devices;
    this.seed = options.seed;
    this.nowMs = options.nowMs;
    this.consoleHost = options.consoleHost;
    const r = (this.rng = new Random(deriveSeed(options.seed, 'fleet')));
    this.cid = r.hex(32);
    const accountId = `16${String(100_000_000_000_000 + r.int(0, 999_999_999)).padStart(17, '0')}`;
    this.sites = s1SiteNames.map((name, i) => ({
      id: `17${String(420_000_000_000_000 + i * 1_000_003 + r.int(0, 999_999)).padStart(17, '0')}`,
      name,
      accountId,
    }));
    const hostGroups = Array.from({ length: 6 }, () => r.hex(32));
    const ghosts = Math.round(n * 0.05);
    this.lastSeen = new Float64Array(n + ghosts);
    this.state = new Uint8Array(n);
    this.scores = new Int8Array(n * 3);
    this.assessmentAbsent = new Uint8Array(n);
    this.deviceSlots = new Array<FalconDevice | undefined>(n);
    this.deviceJson = new WireArena(n);
    this.ztaJson = new WireArena(n);
    // Fewer people than devices, so many people own several devices and appear in both name styles.
    this.records = new HostRecords(options.seed, this.cid, options.nowMs, Math.max(20, Math.round(n * 0.6 + 40)), hostGroups, this.sites);

    const clean: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = r.hex(32);
      this.deviceIds.push(id);
      this.deviceIndex.set(id, i);
      const ago = this.lastSeenAgo(r);
      this.lastSeen[i] = options.nowMs - ago;
      this.state[i] =
        ago < HOUR
          ? r.weighted([
              [0, 88],
              [1, 7],
              [2, 5],
            ] as const)
          : r.chance(0.85)
            ? 1
            : 2;
      this.scoreHost(r, i, ago >= HOUR);
      const roll = r.next();
      if (roll < 0.03) this.serialOverride.set(i, SERIAL_MISSING);
      else if (roll < 0.04) this.serialOverride.set(i, -(2 + r.int(0, junkSerials.length - 1)));
      else clean.push(i);
      if (r.chance(0.7)) {
        if (r.chance(0.04)) this.pushAgentSlot(i, true);
        this.pushAgentSlot(i, false);
      }
    }
    // ~1% of hosts share their serial with exactly one other host.
    for (let p = Math.round(n * 0.005); p > 0 && clean.length >= 2; p--) {
      const source = takeRandom(r, clean);
      const copy = takeRandom(r, clean);
      if (source !== undefined && copy !== undefined) this.serialOverride.set(copy, source);
    }
    for (let g = 0; g < ghosts; g++) {
      this.ghostIds.push(r.hex(32));
      this.lastSeen[n + g] = options.nowMs - this.lastSeenAgo(r);
      this.pushAgentSlot(n + g, false);
    }
    this.addAlertsAt(options.alerts, options.nowMs, true);
  }

  private lastSeenAgo(r: Random): number {
    // Most hosts checked in within the hour, some days ago, a tail of stale ones beyond 30 days.
    const bucket = r.weighted([
      [0, 75],
      [1, 17],
      [2, 8],
    ] as const);
    if (bucket === 0) return r.int(5_000, HOUR - 1);
    if (bucket === 1) return r.int(HOUR, 30 * DAY);
    return r.int(30 * DAY + HOUR, 120 * DAY);
  }

  private scoreHost(r: Random, i: number, stale: boolean): void {
    this.assessmentAbsent[i] = r.chance(0.5) ? 1 : 0;
    if (r.chance(0.05)) {
      this.scores.fill(UNSCORED, i * 3, i * 3 + 3);
      return;
    }
    const penalty = stale ? 8 : 0;
    const clamp = (v: number) => Math.max(1, Math.min(100, Math.round(v)));
    const os = clamp(r.normal(74 - penalty, 14));
    const sensor = clamp(r.normal(70 - penalty, 20));
    this.scores[i * 3] = clamp(0.45 * os + 0.55 * sensor + r.normal(0, 4));
    this.scores[i * 3 + 1] = os;
    this.scores[i * 3 + 2] = sensor;
  }

  private pushAgentSlot(owner: number, stale: boolean): void {
    this.agentOwner.push(owner);
    this.agentStale.push(stale);
    this.agentSlots.push(undefined);
  }

  get deviceCount(): number {
    return this.deviceIds.length;
  }

  get agentCount(): number {
    return this.agentSlots.length;
  }

  /** Host record by fleet position, built on first use. */
  deviceAt(i: number): FalconDevice | undefined {
    if (i >= this.deviceIds.length) {
      const g = i - this.deviceIds.length;
      const id = this.ghostIds[g];
      if (id === undefined) return undefined;
      return (this.ghostSlots[g] ??= this.records.device({ index: i, id, lastSeenMs: this.lastSeen[i] ?? this.nowMs }));
    }
    const cached = this.deviceSlots[i];
    if (cached) return cached;
    const id = this.deviceIds[i];
    if (id === undefined) return undefined;
    const device = this.records.device({ index: i, id, lastSeenMs: this.lastSeen[i] ?? this.nowMs });
    const override = this.serialOverride.get(i);
    if (override === SERIAL_MISSING) delete device.serial_number;
    else if (override !== undefined && override < 0) device.serial_number = junkSerials[-override - 2] ?? '0';
    else if (override !== undefined) device.serial_number = this.deviceAt(override)?.serial_number ?? '';
    this.deviceSlots[i] = device;
    return device;
  }

  get devices(): readonly FalconDevice[] {
    if (!this.allDevices) {
      const all: FalconDevice[] = [];
      for (let i = 0; i < this.deviceIds.length; i++) {
        const d = this.deviceAt(i);
        if (d) all.push(d);
      }
      this.allDevices = all;
    }
    return this.allDevices;
  }

  device(id: string): FalconDevice | undefined {
    const i = this.deviceIndex.get(id);
    return i === undefined ? undefined : this.deviceAt(i);
  }

  onlineState(id: string): OnlineStateRecord | undefined {
    const i = this.deviceIndex.get(id);
    const device = i === undefined ? undefined : this.deviceAt(i);
    if (i === undefined || !device) return undefined;
    return { id, cid: this.cid, last_seen: device.last_seen, state: STATES[this.state[i] ?? 2] ?? 'unknown' };
  }

  /** Overall ZTA score by fleet position; undefined when the host is unscored. */
  scoreAt(i: number): number | undefined {
    const s = this.scores[i * 3];
    return s === undefined || s === UNSCORED ? undefined : s;
  }

  zta(aid: string): ZtaAssessment | undefined {
    const i = this.deviceIndex.get(aid);
    const device = i === undefined ? undefined : this.deviceAt(i);
    if (i === undefined || !device) return undefined;
    const overall = this.scores[i * 3] ?? UNSCORED;
    const os = this.scores[i * 3 + 1] ?? UNSCORED;
    const sensor = this.scores[i * 3 + 2] ?? UNSCORED;
    const scored = overall !== UNSCORED;
    // Signal results come from a per-host stream: identical on every read, no storage needed.
    const r = new Random(deriveSeed(this.seed, `zta:${i}`));
    const meets = (score: number): MeetsCriteria => (r.chance(0.06) ? 'unknown' : r.chance(score / 100) ? 'yes' : 'no');
    const templates = ztaSignals[device.platform_name];
    const assessment: ZtaAssessment['assessment'] = scored
      ? { overall, os, sensor_config: sensor, version: '3.6.1' }
      : this.assessmentAbsent[i]
        ? undefined
        : {};
    return {
      aid,
      cid: this.cid,
      system_serial_number: device.serial_number ?? '',
      event_platform: device.platform_name === 'Windows' ? 'Win' : device.platform_name === 'Mac' ? 'Mac' : 'Lin',
      product_type_desc: device.product_type_desc,
      modified_time: isoSeconds((this.lastSeen[i] ?? this.nowMs) - 17 * MINUTE),
      sensor_file_status: r.chance(0.8) ? 'not deployed' : 'confirmed',
      ...(assessment ? { assessment } : {}),
      assessment_items: {
        os_signals: scored ? templates.os.map((t) => signalOf(t, meets(os))) : [],
        sensor_signals: scored ? templates.sensor.map((t) => signalOf(t, meets(sensor))) : [],
      },
    };
  }

  /**
   * Reads a host for an API response (see readDevice) as its wire JSON: the stored record's bytes are rendered
   * once per version of the record; a pending change's one-off snapshot is rendered on its own.
   */
  readDeviceWire(id: string, nowMs: number): Prerendered | undefined {
    const device = this.readDevice(id, nowMs);
    const i = this.deviceIndex.get(id);
    if (!device || i === undefined) return undefined;
    return device === this.deviceSlots[i] ? this.deviceWireAt(i, device) : Prerendered.of(JSON.stringify(device));
  }

  /** The stored host record's wire JSON by fleet position, rendered once per version of the record. */
  private deviceWireAt(i: number, device: FalconDevice): Prerendered {
    return this.deviceJson.get(i) ?? this.deviceJson.set(i, JSON.stringify(device));
  }

  /** The JSON of a host's ZTA record, rendered once; undefined for an unknown AID. */
  ztaWire(aid: string): Prerendered | undefined {
    const i = this.deviceIndex.get(aid);
    if (i === undefined) return undefined;
    const cached = this.ztaJson.get(i);
    if (cached !== undefined) return cached;
    const record = this.zta(aid);
    if (!record) return undefined;
    return this.ztaJson.set(i, JSON.stringify(record));
  }

  /** Builds every host record and its wire JSON now rather than on first request (benchmarks: steady answers). */
  prebuild(): void {
    for (let i = 0; i < this.deviceIds.length; i++) {
      const device = this.deviceAt(i);
      const id = this.deviceIds[i];
      if (!device || id === undefined) continue;
      this.deviceWireAt(i, device);
      this.ztaWire(id);
    }
  }

  /** Agent record by registration slot, built on first use. */
  agentAt(slot: number): S1Agent | undefined {
    const cached = this.agentSlots[slot];
    if (cached) return cached;
    const owner = this.agentOwner[slot];
    const device = owner === undefined ? undefined : this.deviceAt(owner);
    if (owner === undefined || !device) return undefined;
    const agent = this.records.agent({
      slot,
      device,
      stale: this.agentStale[slot] ?? false,
      s1Only: owner >= this.deviceIds.length,
    });
    this.agentSlots[slot] = agent;
    return agent;
  }

  get agents(): readonly S1Agent[] {
    if (!this.allAgents) {
      const all: S1Agent[] = [];
      for (let k = 0; k < this.agentSlots.length; k++) {
        const a = this.agentAt(k);
        if (a) all.push(a);
      }
      this.allAgents = all;
    }
    return this.allAgents;
  }

  agent(id: string): S1Agent | undefined {
    const slot = agentSlotOf(id);
    return slot === undefined ? undefined : this.agentAt(slot);
  }

  alert(compositeId: string): FalconAlert | undefined {
    return this.alertIndex.get(compositeId);
  }

  hostsMissingFrom(source: 'sentinelone' | 'intune'): { id: string; hostname: string; serial: string }[] {
    const withAgent = new Set(this.agentOwner);
    const reported = (i: number) => (source === 'sentinelone' ? withAgent.has(i) : enrolledInIntune(i));
    // A host whose serial another host copied shares it too.
    const copied = new Set([...this.serialOverride.values()].filter((v) => v >= 0));
    const gaps: { id: string; hostname: string; serial: string }[] = [];
    for (let i = 0; i < this.deviceIds.length; i++) {
      if (reported(i) || this.serialOverride.has(i) || copied.has(i)) continue;
      const device = this.deviceAt(i);
      if (device?.serial_number) gaps.push({ id: device.device_id, hostname: device.hostname, serial: device.serial_number });
    }
    return gaps;
  }

  /**
   * Reads a host for an API response. A pending containment change is shown once as pending and
   * completes afterwards, so clients polling `status` see both states.
   */
  readDevice(id: string, nowMs: number): FalconDevice | undefined {
    const i = this.deviceIndex.get(id);
    const device = i === undefined ? undefined : this.deviceAt(i);
    if (i === undefined || !device) return undefined;
    if (device.status !== 'containment_pending' && device.status !== 'lift_containment_pending') return device;
    const left = this.pendingReads.get(i) ?? 0;
    if (left > 0) {
      this.pendingReads.set(i, left - 1);
      return { ...device };
    }
    const snapshot = { ...device };
    device.status = device.status === 'containment_pending' ? 'contained' : 'normal';
    device.modified_timestamp = isoSeconds(nowMs);
    this.deviceJson.drop(i);
    this.pendingReads.delete(i);
    this.version++;
    return snapshot;
  }

  /** Starts containment or its lift; the change completes on a later read (see readDevice). */
  requestContainment(ids: readonly string[], action: 'contain' | 'lift_containment', nowMs: number): void {
    for (const id of ids) {
      const i = this.deviceIndex.get(id);
      const device = i === undefined ? undefined : this.deviceAt(i);
      if (i === undefined || !device) continue;
      if (device.status === (action === 'contain' ? 'contained' : 'normal')) continue;
      device.status = action === 'contain' ? 'containment_pending' : 'lift_containment_pending';
      device.modified_timestamp = isoSeconds(nowMs);
      this.deviceJson.drop(i);
      this.pendingReads.set(i, 0);
    }
    this.version++;
  }

  /** Appends alerts created at `nowMs`, or spread over the past week for the initial set. */
  addAlertsAt(count: number, nowMs: number, backfill: boolean, options: Omit<AlertOptions, 'createdMs'> = {}): FalconAlert[] {
    const added: FalconAlert[] = [];
    const n = this.deviceIds.length;
    for (let k = 0; k < count && n > 0; k++) {
      const device = this.deviceAt(this.rng.int(0, n - 1));
      if (!device) continue;
      const alert = generateAlert(this.rng, device, {
        ...options,
        createdMs: backfill ? nowMs - this.rng.int(5 * MINUTE, 7 * DAY) : nowMs,
        sequence: ++this.alertSequence,
        consoleHost: this.consoleHost,
        initial: backfill,
      });
      this.alerts.push(alert);
      this.alertIndex.set(alert.composite_id, alert);
      added.push(alert);
    }
    this.version++;
    return added;
  }
}

/** Removes and returns a random element in O(1) (order does not matter). */
function takeRandom(r: Random, items: number[]): number | undefined {
  const k = r.int(0, items.length - 1);
  const value = items[k];
  const last = items.pop();
  if (k < items.length && last !== undefined) items[k] = last;
  return value;
}
