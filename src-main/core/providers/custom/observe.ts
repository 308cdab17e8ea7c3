// A posture poll of the custom endpoint: ask it about the devices the other sources report (by serial), keep the
// last good score of a device whose batch failed until it is older than three poll intervals (then it is stale).
import type { DeviceObservation, PostureDevice } from '../../../../src-shared/schemas/posture';
import { ProviderError } from '../diagnosis';
import type { ObserveInput, SourceObservations } from '../observations';
import type { CustomClient, CustomScore } from './client';
import type { CustomDevice } from './wire';

export interface CustomPollClient {
  client: Pick<CustomClient, 'scores'>;
  failClosed: boolean;
  /** A kept score older than this is stale (3 × the poll interval, §2.4). */
  staleAfterMs: number;
  now: () => number;
  /** Last good score per device key, across polls. */
  last: Map<string, { score: CustomScore; at: number }>;
}

/** The request entry for a device: its key, its serial (trimmed, upper-case) and what else is known (§2.2). */
export function customDeviceOf(device: PostureDevice): CustomDevice | null {
  if (device.serialStatus !== 'valid' || !device.serial) return null;
  const macs = device.records.flatMap((r) => r.observation.macs);
  const user = device.records.map((r) => r.observation.user).find((u) => u);
  return {
    device_id: device.key,
    serial_number: device.serial.trim().toUpperCase(),
    hostname: device.hostname ?? '',
    mac_address: macs[0] ?? '',
    email: user && user.includes('@') ? user : '',
    virtual_ipv4: '',
  };
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export async function observeCustom(source: CustomPollClient, input: ObserveInput): Promise<SourceObservations> {
  const known = input.knownDevices?.() ?? [];
  const devices = known.map(customDeviceOf).filter((d): d is CustomDevice => d !== null);
  const byKey = new Map(known.map((d) => [d.key, d]));
  const read = await source.client.scores(devices, input.signal, (done) => input.onProgress?.({ phase: 'hosts', done, total: devices.length }));
  const now = source.now();
  // Every batch failed: nothing was learnt, so the poll fails and the previous results stay.
  if (
    devices.length > 0 &&
    read.failedBatches.length > 0 &&
    read.failedBatches.every((b) => b.deviceIds.length > 0) &&
    read.scores.length === 0 &&
    read.invalid.length === 0 &&
    read.unscored.length === 0
  ) {
    const first = read.failedBatches[0];
    if (first) throw new ProviderError(first.diagnosis);
  }
  for (const score of read.scores) source.last.set(score.deviceId, { score, at: now });
  const invalid = new Map(read.invalid.map((i) => [i.deviceId, i.reason]));
  const unscored = new Set(read.unscored);
  const failed = new Map(read.failedBatches.flatMap((b) => b.deviceIds.map((id) => [id, b.diagnosis.message] as const)));
  const fresh = new Set(read.scores.map((s) => s.deviceId));
  let stale = 0;
  const observations: DeviceObservation[] = devices.map((d) => {
    const device = byKey.get(d.device_id);
    let score: CustomScore | null = null;
    let noScore: string | null = null;
    const kept = source.last.get(d.device_id);
    if (fresh.has(d.device_id)) score = kept?.score ?? null;
    else if (invalid.has(d.device_id)) noScore = 'its entry was invalid';
    else if (unscored.has(d.device_id)) {
      noScore = 'the endpoint did not score this device (unscored)';
      source.last.delete(d.device_id);
    } else if (failed.has(d.device_id)) {
      if (kept && now - kept.at <= source.staleAfterMs) score = kept.score;
      else {
        noScore = kept ? 'its last score is stale (older than three poll intervals)' : 'its batch failed and no earlier score is kept';
        stale += kept ? 1 : 0;
      }
    }
    return {
      providerId: input.providerId,
      recordId: d.device_id,
      hostname: device?.hostname ?? null,
      serial: device?.serial ?? null,
      macs: [],
      platform: device?.platform ?? null,
      lastActivityAt: null,
      retired: false,
      posture: {
        kind: 'custom',
        score: score?.score ?? null,
        noScore,
        failClosed: source.failClosed,
        externalId: score?.externalId || null,
        reason: score?.reason ?? null,
        attributes: score?.attributes ?? {},
        ...(invalid.has(d.device_id) ? { unreadable: [{ record: 'score' as const, reason: invalid.get(d.device_id) ?? '' }] } : {}),
      },
    };
  });
  const warnings: string[] = [];
  const skipped = known.length - devices.length;
  if (skipped > 0) warnings.push(`${plural(skipped, 'device')} without a usable serial number ${skipped === 1 ? 'was' : 'were'} not sent to the endpoint.`);
  for (const b of read.failedBatches)
    warnings.push(`A batch of ${plural(b.deviceIds.length, 'device')} failed (${b.diagnosis.message}); earlier scores were kept.`);
  if (stale > 0) warnings.push(`${plural(stale, 'score')} went stale: older than three poll intervals.`);
  if (read.unknownIds > 0) warnings.push(`The endpoint answered for ${plural(read.unknownIds, 'device id')} that were not sent; ignored.`);
  if (read.invalid.length > 0)
    warnings.push(`${`${read.invalid.length} ${read.invalid.length === 1 ? 'entry' : 'entries'}`} had an invalid score (${read.invalid[0]?.reason ?? ''}).`);
  return { kind: 'custom', observations, warnings, setAside: 0, unreadable: read.invalid.length };
}
