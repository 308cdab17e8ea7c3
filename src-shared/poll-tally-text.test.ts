import { describe, expect, it } from 'vitest';
import { alertBatchText, pollTallyText } from './poll-tally-text';

describe('what a poll did, in words', () => {
  it('names devices, checks, evaluations, changes and records set aside, with thousands separators', () => {
    expect(pollTallyText({ devices: 500, checks: 2, evaluations: 1000, changes: 37, setAside: 0, unreadable: 0 })).toBe(
      '500 devices, 2 checks, 1,000 evaluations, 37 changes, 0 records set aside',
    );
    expect(pollTallyText({ devices: 100_000, checks: 1, evaluations: 100_000, changes: 1, setAside: 1, unreadable: 0 })).toBe(
      '100,000 devices, 1 check, 100,000 evaluations, 1 change, 1 record set aside',
    );
  });

  it('adds the unreadable records that made their devices’ checks unknown, only when there are some', () => {
    expect(pollTallyText({ devices: 3, checks: 0, evaluations: 0, changes: 0, setAside: 2, unreadable: 1234 })).toBe(
      "3 devices, 0 checks, 0 evaluations, 0 changes, 2 records set aside, 1,234 unreadable records (their devices' checks are unknown)",
    );
  });

  it('says what a detections poll did', () => {
    expect(
      alertBatchText({ fetched: 1200, fresh: 1100, duplicates: 100, incidentsCreated: 3, alertsLinked: 0, logged: 40, unmatched: 1057, setAside: 2 }),
    ).toBe('1,200 alerts read, 1,100 new, 100 already seen, 3 incidents created, 40 logged, 1,057 matched no rule, 2 set aside');
  });
});
