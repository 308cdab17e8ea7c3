// "Device is present in source X": a check on one provider that passes when another source reports the same machine
// by serial, fails when it does not, and is unknown when it cannot tell (no trustworthy serial, a MAC or hostname link
// only, that source without fresh data).
import { describe, expect, it } from 'vitest';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import type { ProviderConfig } from '../../../src-shared/schemas/providers';
import { checkIssues } from './checks';
import { contextOf, evaluateAll } from './evaluate';
import { falconHost, HOUR, NOW, s1Agent, snapshot } from './fixtures.testkit';
import { matchDevices, subjectsOf } from './match';
import { whatIf } from './what-if';

const check: PostureCheck = { id: 'c1', name: 'Has an S1 agent', providerId: 'cs', enabled: true, rule: { attribute: 'present_in', sourceId: 's1' } };
const names = (id: string) => ({ cs: 'Falcon', s1: 'SentinelOne' })[id];

function fleet(s1Fields: Parameters<typeof snapshot>[2] = {}) {
  return matchDevices([
    snapshot('cs', [
      falconHost({ recordId: 'a', serial: 'SERIAL-BOTH', hostname: 'both' }),
      falconHost({ recordId: 'b', serial: 'SERIAL-ONLY-CS', hostname: 'only-cs' }),
      falconHost({ recordId: 'c', serial: null, hostname: 'no-serial' }),
      falconHost({ recordId: 'd', serial: 'SERIAL-MAC', hostname: 'mac-link', macs: ['00:11:22:33:44:55'] }),
    ]),
    snapshot(
      's1',
      [
        s1Agent({ recordId: '1', serial: 'SERIAL-BOTH', hostname: 'both' }),
        // Same machine by MAC, but S1 reports no serial: a possible match only.
        s1Agent({ recordId: '2', serial: null, hostname: 'mac-link-s1', macs: ['00-11-22-33-44-55'] }),
      ],
      s1Fields,
    ),
  ]);
}

function results(match: ReturnType<typeof fleet>, now = NOW) {
  const batch = evaluateAll(subjectsOf(match, 'cs'), [check], now, contextOf(match.snapshots, names));
  return Object.fromEntries(batch.rows.map((r) => [r.deviceName, { result: r.result, received: r.received, reason: r.reason, expected: r.expected }]));
}

describe('the present_in check', () => {
  it('passes when the other source has the serial, fails when it does not, and is unknown without a trustworthy serial or with a MAC link only', () => {
    const r = results(fleet());
    expect(r['both']).toMatchObject({ result: 'pass', received: 'present in SentinelOne', expected: 'present in SentinelOne' });
    expect(r['only-cs']).toMatchObject({ result: 'fail', received: 'not in SentinelOne' });
    expect(r['no-serial']).toMatchObject({ result: 'unknown', reason: expect.stringContaining('no serial') });
    expect(r['mac-link']).toMatchObject({
      result: 'unknown',
      received: 'possible match in SentinelOne',
      reason: expect.stringContaining('MAC address (001122334455)'),
    });
  });

  it('is unknown when the other source has never been polled, or its data is stale', () => {
    const csOnly = matchDevices([snapshot('cs', [falconHost({ recordId: 'a', serial: 'SERIAL-ONLY-CS', hostname: 'only-cs' })])]);
    expect(results(csOnly)['only-cs']).toMatchObject({
      result: 'unknown',
      reason: 'SentinelOne has no successful poll yet, so whether it reports this device is not known.',
    });
    // S1 fetched 3 hours ago on an hourly interval: its absence is no evidence any more.
    const stale = fleet({ fetchedAt: NOW - 3 * HOUR });
    expect(results(stale)['only-cs']).toMatchObject({
      result: 'unknown',
      reason: expect.stringMatching(/^SentinelOne's data is older than twice its 1h polling interval/),
    });
    expect(results(stale)['both']!.result).toBe('unknown');
    // The source was removed after the check was saved: say so, with the fix.
    const gone = evaluateAll(
      subjectsOf(csOnly, 'cs'),
      [check],
      NOW,
      contextOf(csOnly.snapshots, (id) => (id === 'cs' ? 'Falcon' : undefined)),
    );
    expect(gone.rows[0]).toMatchObject({ result: 'unknown', reason: 'The source this check names no longer exists; edit the check to name another one.' });
  });

  it('what-if counts the draft on the same match', () => {
    const result = whatIf({ draft: check, saved: null, match: fleet(), now: NOW, sourceNames: names });
    expect(result.counts).toEqual({ pass: 1, fail: 1, unknown: 2 });
    expect(result.flips.find((f) => f.deviceName === 'only-cs')).toMatchObject({ after: 'fail', expected: 'present in SentinelOne' });
  });

  it('names another posture source: not its own provider, not a missing one, not an incidents connection', () => {
    const providers = [
      { id: 'cs', name: 'Falcon', kind: 'crowdstrike-zta' },
      { id: 's1', name: 'SentinelOne', kind: 'sentinelone' },
      { id: 'inc', name: 'Detections', kind: 'crowdstrike-falcon-incidents' },
    ] as ProviderConfig[];
    const issues = (sourceId: string) => checkIssues({ ...check, rule: { attribute: 'present_in', sourceId } }, providers);
    expect(issues('s1')).toEqual([]);
    expect(issues('cs')).toEqual([
      { path: 'rule.sourceId', message: expect.stringMatching(/^Every device of "Falcon" is present in "Falcon".*Choose one of: SentinelOne\.$/) },
    ]);
    expect(issues('gone')).toEqual([{ path: 'rule.sourceId', message: 'That source no longer exists. Choose one of: SentinelOne.' }]);
    expect(issues('inc')[0]?.message).toMatch(/^"Detections" reports no devices/);
    // Any posture provider can run it: the same rule on S1 naming Falcon is fine.
    expect(checkIssues({ ...check, providerId: 's1', rule: { attribute: 'present_in', sourceId: 'cs' } }, providers)).toEqual([]);
  });
});
