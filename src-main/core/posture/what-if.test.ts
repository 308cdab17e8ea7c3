import { describe, expect, it } from 'vitest';
import { PostureCheckInput, WhatIfResult, type PostureCheck } from '../../../src-shared/schemas/posture';
import { falconHost, HOUR, NOW, snapshot } from './fixtures.testkit';
import { matchDevices } from './match';
import { whatIf } from './what-if';

const fleet = matchDevices([
  snapshot('cs', [
    falconHost({ recordId: 'a', hostname: 'A', serial: 'SER-A', posture: { assessment: { overall: 65, os: 70, sensorConfig: 60, version: '3.6.1' } } }),
    falconHost({ recordId: 'b', hostname: 'B', serial: 'SER-B', posture: { assessment: { overall: 75, os: 70, sensorConfig: 60, version: '3.6.1' } } }),
    falconHost({ recordId: 'c', hostname: 'C', serial: 'SER-C', posture: { assessment: { overall: 90, os: 70, sensorConfig: 60, version: '3.6.1' } } }),
    falconHost({ recordId: 'd', hostname: 'D', serial: 'SER-D', posture: { assessment: null } }),
    falconHost({ recordId: 'e', hostname: 'E', serial: '0' }),
  ]),
]);

const draft = (value: number, id?: string) =>
  PostureCheckInput.parse({ id, name: 'ZTA', providerId: 'cs', rule: { attribute: 'overall', operator: '>=', value } });
const saved: PostureCheck = { ...draft(60), id: 'zta', enabled: true };

describe('what-if', () => {
  it('counts the draft and lists only the devices whose result would change, worst news first', () => {
    const result = whatIf({ draft: draft(80, 'zta'), saved, match: fleet, now: NOW });
    expect(result).toMatchObject({
      providerId: 'cs',
      devices: 5,
      counts: { pass: 1, fail: 2, unknown: 2 },
      savedCounts: { pass: 3, fail: 0, unknown: 2 },
      flipsTotal: 2,
    });
    expect(WhatIfResult.parse(result)).toEqual(result);
    expect(result.flips).toEqual([
      {
        deviceKey: 'sn:SERA',
        deviceName: 'A',
        // As the provider reported it; the device key holds the match key.
        serial: 'SER-A',
        before: 'pass',
        after: 'fail',
        expected: 'overall >= 80',
        received: 'overall = 65',
        reason: 'Does not meet overall >= 80.',
      },
      expect.objectContaining({ deviceKey: 'sn:SERB', before: 'pass', after: 'fail' }),
    ]);
  });

  it('compares a new check with nothing: every device is listed, failures and unknowns first', () => {
    const result = whatIf({ draft: draft(70), saved: null, match: fleet, now: NOW });
    expect(result.savedCounts).toBeNull();
    expect(result.flipsTotal).toBe(5);
    expect(result.flips.map((f) => [f.deviceName, f.before, f.after])).toEqual([
      ['A', null, 'fail'],
      ['D', null, 'unknown'],
      ['E', null, 'unknown'],
      ['B', null, 'pass'],
      ['C', null, 'pass'],
    ]);
  });

  it('caps the list but not the total', () => {
    const result = whatIf({ draft: draft(70), saved: null, match: fleet, now: NOW, limit: 2 });
    expect(result.flips.map((f) => f.deviceName)).toEqual(['A', 'D']);
    expect(result.flipsTotal).toBe(5);
  });

  it('evaluates a draft even when the saved check is disabled', () => {
    const result = whatIf({ draft: { ...draft(80, 'zta'), enabled: false }, saved: { ...saved, enabled: false }, match: fleet, now: NOW });
    expect(result.counts.pass).toBe(1);
  });

  it('judges the data as of the poll that fetched it, not as of the moment of asking', () => {
    // Asked hours after the poll: the devices are not stale to it, and it says which poll's data it used.
    const result = whatIf({ draft: draft(70), saved: null, match: fleet, now: NOW + 3 * HOUR });
    expect(result.evaluatedAt).toBe(NOW);
    expect(result.counts).toEqual({ pass: 2, fail: 1, unknown: 2 });
  });

  it('measures last-seen from the poll time', () => {
    const seen = matchDevices([
      snapshot('cs', [falconHost({ recordId: 'a', hostname: 'A', serial: 'SER-A', posture: { lastSeenAt: NOW - 30 * 60_000 } })], { evaluatedAt: NOW }),
    ]);
    const lastSeen = PostureCheckInput.parse({ name: 'Seen', providerId: 'cs', rule: { attribute: 'last_seen', within: '1h' } });
    expect(whatIf({ draft: lastSeen, saved: null, match: seen, now: NOW + 2 * HOUR }).counts).toEqual({ pass: 1, fail: 0, unknown: 0 });
  });

  it('has nothing to say about a provider that has not been polled yet', () => {
    const result = whatIf({ draft: { ...draft(70), providerId: 's1' }, saved: null, match: fleet, now: NOW });
    expect(result).toMatchObject({ devices: 0, counts: { pass: 0, fail: 0, unknown: 0 }, flips: [], flipsTotal: 0 });
  });
});
