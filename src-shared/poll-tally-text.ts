// What a poll did, in words: the CLI's `poll` summary, the Dashboard card and the provider Test read the same.
import type { PollBatch } from './schemas/incidents';
import type { PollTally } from './schemas/posture';

// Made with the first count formatted: loading ICU's number data at import costs a process that never formats one.
let numbers: Intl.NumberFormat | undefined;

/** 1234567 → "1,234,567" (the same grouping in every locale, as the Dashboard tiles show it). */
export function formatCount(n: number): string {
  return (numbers ??= new Intl.NumberFormat('en-US')).format(n);
}

/** "1 device", "1,000 evaluations" */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** "3 records set aside" (unreadable, no device to tie them to); null when there were none. */
export function setAsideText(setAside: number): string | null {
  return setAside > 0 ? `${counted(setAside, 'record')} set aside` : null;
}

/** "2 unreadable records (their devices' checks are unknown)"; null when there were none. */
export function unreadableText(unreadable: number): string | null {
  return unreadable > 0 ? `${counted(unreadable, 'unreadable record')} (${unreadable === 1 ? "its device's" : "their devices'"} checks are unknown)` : null;
}

/** "500 devices, 2 checks, 1,000 evaluations, 37 changes, 0 records set aside" (and the unreadable ones, if any). */
export function pollTallyText(tally: PollTally): string {
  return [
    counted(tally.devices, 'device'),
    counted(tally.checks, 'check'),
    counted(tally.evaluations, 'evaluation'),
    counted(tally.changes, 'change'),
    `${counted(tally.setAside, 'record')} set aside`,
    unreadableText(tally.unreadable),
  ]
    .filter(Boolean)
    .join(', ');
}

/** "12 alerts read, 10 new, 3 incidents created, 2 logged, 5 matched no rule, 0 set aside" */
export function alertBatchText(batch: PollBatch): string {
  return [
    counted(batch.fetched, 'alert') + ' read',
    `${formatCount(batch.fresh)} new`,
    batch.duplicates > 0 ? `${formatCount(batch.duplicates)} already seen` : null,
    `${counted(batch.incidentsCreated, 'incident')} created`,
    batch.alertsLinked > 0 ? `${formatCount(batch.alertsLinked)} linked to open incidents` : null,
    `${formatCount(batch.logged)} logged`,
    `${formatCount(batch.unmatched)} matched no rule`,
    `${formatCount(batch.setAside)} set aside`,
  ]
    .filter(Boolean)
    .join(', ');
}
