// What every posture source hands the poll: its records as device observations, with what it could not read
// and what the admin should know. Shared by each source's observe.ts.
import { ContractError } from '../../../src-shared/errors';
import type { DeviceObservation, PollProgress, PostureDevice, PostureProviderKind } from '../../../src-shared/schemas/posture';
import type { UnreadableRecord } from './records';

export interface ObserveInput {
  providerId: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: PollProgress) => void) | undefined;
  /** The devices the other sources currently report (a source that scores known devices asks about these). */
  knownDevices?: (() => readonly PostureDevice[]) | undefined;
}

export interface SourceObservations {
  kind: PostureProviderKind;
  observations: DeviceObservation[];
  warnings: string[];
  /** Records that could not be tied to any device (unreadable, no readable id). */
  setAside: number;
  /** Records that could not be read but name their device. */
  unreadable: number;
}

export const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** The admin's summary of records that could not be read (the reasons of the first one quoted). */
export function unreadableWarnings(provider: string, records: readonly UnreadableRecord[]): string[] {
  const warnings: string[] = [];
  const aside = records.filter((r) => r.id === null);
  const named = records.filter((r) => r.id !== null);
  if (aside.length > 0)
    warnings.push(
      `${provider} sent ${plural(aside.length, 'record')} that could not be read and named no device; ${aside.length === 1 ? 'it was' : 'they were'} set aside (${aside[0]!.reason}).`,
    );
  if (named.length > 0)
    warnings.push(
      `${provider} sent ${plural(named.length, 'record')} that could not be read; the checks of ${named.length === 1 ? 'that device are' : 'those devices are'} unknown (${named[0]!.reason}).`,
    );
  return warnings;
}

/** Records that vanish mid-pull are few; more missing than this means the answers were cut short. */
const MAX_SHORTFALL = { records: 2, fraction: 0.02 };

/**
 * A provider that keeps answering short pages (after the client's second pass) would otherwise make devices
 * silently drop out of the inventory; fail the poll instead, keeping the previous results, and say why.
 */
export function refuseCutShort(provider: string, what: string, reported: number | undefined, returned: number): void {
  if (reported === undefined || reported - returned <= Math.max(MAX_SHORTFALL.records, reported * MAX_SHORTFALL.fraction)) return;
  throw new ContractError({
    code: 'poll.incomplete',
    message: `${provider} reported ${reported} ${what} but returned only ${returned}, even after reading the list a second time: its answers are being cut short. The previous results are kept.`,
    fix: 'Usually transient; the next poll tries again. If it persists, a proxy may be cutting responses: exempt the provider API host.',
  });
}

/** Epoch ms of an ISO time; Falcon's nanoseconds and S1's microseconds are truncated, junk is null. */
export function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
