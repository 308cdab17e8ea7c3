// Test records: Falcon hosts and S1 agents as observations, with only the fields a test cares about spelled out.
import type { DeviceObservation, S1Posture, ZtaPosture } from '../../../src-shared/schemas/posture';
import type { EvalSubject } from './evaluate';
import type { ProviderSnapshot } from './match';

export const NOW = Date.parse('2026-11-25T12:00:00Z');
export const HOUR = 3_600_000;

type ObservationFields = Partial<Omit<DeviceObservation, 'posture'>>;

export function falconHost(fields: ObservationFields & { posture?: Partial<ZtaPosture> } = {}): DeviceObservation {
  const { posture, ...rest } = fields;
  return {
    providerId: 'cs',
    recordId: 'aid-1',
    hostname: 'WS-1',
    serial: 'C02XK1ZZJG5J',
    macs: [],
    platform: 'Mac',
    lastActivityAt: NOW - 60_000,
    retired: false,
    ...rest,
    posture: {
      kind: 'crowdstrike-zta',
      assessment: { overall: 72, os: 80, sensorConfig: 64, version: '3.6.1' },
      state: 'online',
      lastSeenAt: NOW - 60_000,
      ...posture,
    },
  };
}

export function s1Agent(fields: ObservationFields & { posture?: Partial<S1Posture> } = {}): DeviceObservation {
  const { posture, ...rest } = fields;
  return {
    providerId: 's1',
    recordId: '1001',
    hostname: 'WS-1',
    serial: 'C02XK1ZZJG5J',
    macs: [],
    platform: 'Mac',
    lastActivityAt: NOW - 60_000,
    retired: false,
    ...rest,
    posture: {
      kind: 'sentinelone',
      infected: false,
      activeThreats: 0,
      isActive: true,
      networkStatus: 'connected',
      operationalState: 'na',
      ...posture,
    },
  };
}

export function snapshot(providerId: string, observations: DeviceObservation[], fields: Partial<ProviderSnapshot> = {}): ProviderSnapshot {
  const first = observations[0];
  return {
    providerId,
    kind: first?.posture.kind ?? 'crowdstrike-zta',
    fetchedAt: NOW,
    evaluatedAt: NOW,
    pollIntervalMs: HOUR,
    observations,
    ...fields,
  };
}

/** A device with a valid, unique serial, fetched just now by a provider polled hourly. */
export function subject(posture: ZtaPosture | S1Posture, fields: Partial<EvalSubject> = {}): EvalSubject {
  return {
    deviceKey: 'sn:C02XK1ZZJG5J',
    deviceName: 'WS-1',
    serial: 'C02XK1ZZJG5J',
    serialKey: 'C02XK1ZZJG5J',
    platform: 'Mac',
    serialStatus: 'valid',
    serialProblem: null,
    posture,
    fetchedAt: NOW,
    pollIntervalMs: HOUR,
    ...fields,
  };
}
