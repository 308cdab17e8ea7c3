import { describe, expect, it } from 'vitest';
import { PostureRule, type PostureCheck } from '../../../src-shared/schemas/posture';
import { evaluateAll } from './evaluate';
import { falconHost, HOUR, NOW, s1Agent, snapshot } from './fixtures.testkit';
import { explainDevice, matchDevices, subjectsOf } from './match';

const DAY = 24 * HOUR;
const onlineCheck: PostureCheck = {
  id: 'on',
  name: 'Online',
  providerId: 'cs',
  enabled: true,
  rule: PostureRule.parse({ attribute: 'state', accepted: ['online'] }),
};
const cleanCheck: PostureCheck = {
  id: 'cl',
  name: 'Clean',
  providerId: 's1',
  enabled: true,
  rule: PostureRule.parse({ attribute: 'infected', expected: false }),
};

describe('matching by serial', () => {
  it('joins a Falcon host and an S1 agent whose serials differ only in case, spaces and dashes', () => {
    const match = matchDevices([snapshot('cs', [falconHost({ serial: ' c02xk1zzjg5j ' })]), snapshot('s1', [s1Agent({ serial: 'C02X-K1ZZ JG5J' })])]);
    expect(match.devices).toHaveLength(1);
    const device = match.devices[0];
    expect(device).toMatchObject({ key: 'sn:C02XK1ZZJG5J', serial: 'C02XK1ZZJG5J', serialStatus: 'valid', serialProblem: null });
    expect(device?.records.map((r) => [r.observation.providerId, r.role])).toEqual([
      ['cs', 'used'],
      ['s1', 'used'],
    ]);
    expect(match.deviceOf('s1', '1001')).toBe(device);
    expect(match.deviceOf('s1', 'no-such-agent')).toBeUndefined();
    expect(subjectsOf(match, 'cs').map((s) => s.deviceKey)).toEqual(['sn:C02XK1ZZJG5J']);
    expect(subjectsOf(match, 's1').map((s) => s.deviceKey)).toEqual(['sn:C02XK1ZZJG5J']);
    // Each provider's rows carry its serial as reported, and both the one match key.
    expect([...subjectsOf(match, 'cs'), ...subjectsOf(match, 's1')].map((s) => [s.serial, s.serialKey])).toEqual([
      [' c02xk1zzjg5j ', 'C02XK1ZZJG5J'],
      ['C02X-K1ZZ JG5J', 'C02XK1ZZJG5J'],
    ]);
  });

  it('explains which key matched and why a provider has no record', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost(), falconHost({ recordId: 'aid-2', hostname: 'WS-2', serial: 'PF3K9XQ2' })]),
      snapshot('s1', [s1Agent()]),
    ]);
    const lonely = match.byKey.get('sn:PF3K9XQ2');
    expect(lonely && explainDevice(lonely, match)).toEqual({
      deviceKey: 'sn:PF3K9XQ2',
      matchedBy: 'serial',
      summary: 'Matched on serial PF3K9XQ2 in 1 of 2 provider(s).',
      providers: [
        { providerId: 'cs', outcome: 'matched', recordIds: ['aid-2'], detail: 'CrowdStrike host WS-2 matched on serial PF3K9XQ2.' },
        { providerId: 's1', outcome: 'not_found', recordIds: [], detail: 'No SentinelOne agent reports serial PF3K9XQ2.' },
      ],
      choices: [],
    });
  });
});

describe('duplicate serials', () => {
  it('splits two Falcon hosts with one serial into devices of their own, and the S1 agent with it too', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ recordId: 'a', hostname: 'WS-1' }), falconHost({ recordId: 'b', hostname: 'WS-2' })]),
      snapshot('s1', [s1Agent()]),
    ]);
    expect(match.devices.map((d) => [d.key, d.serialStatus])).toEqual([
      ['rec:cs:a', 'duplicate'],
      ['rec:cs:b', 'duplicate'],
      ['rec:s1:1001', 'duplicate'],
    ]);
    const problem = 'Serial C02XK1ZZJG5J is shared by 2 CrowdStrike hosts (WS-1, WS-2).';
    expect(match.devices.every((d) => d.serialProblem === problem)).toBe(true);

    const batch = evaluateAll([...subjectsOf(match, 'cs'), ...subjectsOf(match, 's1')], [onlineCheck, cleanCheck], NOW);
    expect(batch.counts).toEqual({ pass: 0, fail: 0, unknown: 6 });
    expect(new Set(batch.rows.map((r) => r.reason))).toEqual(new Set([problem]));
    expect(explainDevice(match.byKey.get('rec:cs:a') ?? match.devices[0]!, match).providers[0]?.outcome).toBe('ambiguous');
  });

  it('flags a serial reported across providers by machines with different hostnames and no MAC in common', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ hostname: 'WS-1', macs: ['08-00-27-51-56-d8'] })]),
      snapshot('s1', [s1Agent({ hostname: 'LAB-7', macs: ['08:00:27:aa:bb:cc'] })]),
    ]);
    expect(match.devices.map((d) => d.serialStatus)).toEqual(['duplicate', 'duplicate']);
    expect(match.devices[0]?.serialProblem).toBe(
      'Serial C02XK1ZZJG5J is reported by CrowdStrike host WS-1 and SentinelOne agent LAB-7, which have different hostnames and no MAC address in common.',
    );
  });

  it('still joins records with different hostnames when they share a MAC (a renamed machine)', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ hostname: 'WS-1', macs: ['08-00-27-51-56-d8'] })]),
      snapshot('s1', [s1Agent({ hostname: 'WS-1-RENAMED', macs: ['08:00:27:51:56:D8'] })]),
    ]);
    expect(match.devices.map((d) => d.key)).toEqual(['sn:C02XK1ZZJG5J']);
  });

  it('treats one serial in two providers of the same kind (two Falcon tenants) as one device', () => {
    const match = matchDevices([snapshot('cs', [falconHost()]), snapshot('cs-eu', [falconHost({ providerId: 'cs-eu', recordId: 'x' })])]);
    expect(match.devices).toHaveLength(1);
    expect(match.devices[0]?.records).toHaveLength(2);
  });
});

describe('S1 reinstall duplicates', () => {
  const old = s1Agent({ recordId: 'old', retired: true, lastActivityAt: NOW - 90 * DAY });
  const current = s1Agent({ recordId: 'new', lastActivityAt: NOW - HOUR });

  it('keeps the non-decommissioned agent and records the choice', () => {
    const match = matchDevices([snapshot('cs', [falconHost()]), snapshot('s1', [old, current])]);
    expect(match.devices).toHaveLength(1);
    const device = match.devices[0]!;
    expect(device.records.map((r) => [r.observation.recordId, r.role])).toEqual([
      ['aid-1', 'used'],
      ['new', 'used'],
      ['old', 'superseded'],
    ]);
    expect(device.records[2]?.note).toBe(
      'Reinstall leftover set aside (decommissioned or uninstalled, last active 2026-08-27); SentinelOne agent new is kept.',
    );
    const explanation = explainDevice(device, match);
    expect(explanation.choices).toEqual([
      'Kept SentinelOne agent new (last active 2026-11-25) over 1 older record(s) with the same serial: the non-decommissioned, most recently active record wins.',
    ]);
    expect(explanation.providers[1]).toMatchObject({ outcome: 'matched', recordIds: ['new', 'old'] });
    expect(explanation.providers[1]?.detail).toContain('1 reinstall leftover(s) set aside');
    expect(subjectsOf(match, 's1')).toHaveLength(1);
    expect(match.deviceOf('s1', 'old')).toBe(device);
    // By position in the snapshot too: the superseded record [0] and the one kept [1].
    expect([match.deviceAt('s1', 0), match.deviceAt('s1', 1), match.deviceAt('s1', 2), match.deviceAt('cs', 0)]).toEqual([device, device, undefined, device]);
  });

  it('prefers the live agent even when a decommissioned one was active more recently', () => {
    const retiredButRecent = s1Agent({ recordId: 'r', retired: true, lastActivityAt: NOW });
    const liveButOlder = s1Agent({ recordId: 'l', lastActivityAt: NOW - 5 * DAY });
    const device = matchDevices([snapshot('s1', [retiredButRecent, liveButOlder])]).devices[0];
    expect(device?.records.find((r) => r.role === 'used')?.observation.recordId).toBe('l');
  });

  it('prefers the most recently active of several live agents on the same hostname', () => {
    const a = s1Agent({ recordId: 'a', hostname: 'ws-1.corp.example', lastActivityAt: NOW - 3 * DAY });
    const b = s1Agent({ recordId: 'b', hostname: 'WS-1', lastActivityAt: NOW - HOUR });
    const device = matchDevices([snapshot('s1', [a, b])]).devices[0];
    expect(device?.records.map((r) => [r.observation.recordId, r.role])).toEqual([
      ['b', 'used'],
      ['a', 'superseded'],
    ]);
  });

  it('resolves a leftover on another hostname when only one agent is still live', () => {
    const renamedLeftover = s1Agent({ recordId: 'x', hostname: 'OLD-NAME', retired: true, lastActivityAt: NOW - 40 * DAY });
    const match = matchDevices([snapshot('s1', [renamedLeftover, current])]);
    expect(match.devices.map((d) => [d.key, d.serialStatus])).toEqual([['sn:C02XK1ZZJG5J', 'valid']]);
  });

  it('calls two live agents on different hostnames a duplicate, not a reinstall', () => {
    const match = matchDevices([snapshot('s1', [s1Agent({ recordId: 'a', hostname: 'WS-1' }), s1Agent({ recordId: 'b', hostname: 'WS-2' })])]);
    expect(match.devices.map((d) => d.serialStatus)).toEqual(['duplicate', 'duplicate']);
    expect(match.devices[0]?.serialProblem).toBe('Serial C02XK1ZZJG5J is shared by 2 SentinelOne agents (WS-1, WS-2).');
  });

  it('lists at most three names in a duplicate reason', () => {
    const agents = ['A', 'B', 'C', 'D', 'E'].map((h) => s1Agent({ recordId: h, hostname: h }));
    expect(matchDevices([snapshot('s1', agents)]).devices[0]?.serialProblem).toBe(
      'Serial C02XK1ZZJG5J is shared by 5 SentinelOne agents (A, B, C and 2 more).',
    );
  });
});

describe('fallback matches (possible match, never trusted)', () => {
  it('links an agent without a serial to the Falcon host with its MAC, and its checks stay unknown', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ macs: ['08-00-27-51-56-d8'] })]),
      snapshot('s1', [s1Agent({ serial: '', hostname: 'other-name', macs: ['08:00:27:51:56:D8'] })]),
    ]);
    const agent = match.byKey.get('rec:s1:1001');
    const host = match.byKey.get('sn:C02XK1ZZJG5J');
    expect(agent).toMatchObject({ serialStatus: 'missing', serial: null });
    expect(agent?.possibleMatches).toEqual([{ deviceKey: 'sn:C02XK1ZZJG5J', providerId: 'cs', recordId: 'aid-1', via: 'mac', value: '0800275156d8' }]);
    expect(host?.possibleMatches).toEqual([{ deviceKey: 'rec:s1:1001', providerId: 's1', recordId: '1001', via: 'mac', value: '0800275156d8' }]);

    const rows = evaluateAll(subjectsOf(match, 's1'), [cleanCheck], NOW).rows;
    // The serial as the agent reported it (empty), and no match key.
    expect(rows).toMatchObject([{ deviceKey: 'rec:s1:1001', result: 'unknown', serial: '', serialKey: null }]);
    expect(evaluateAll(subjectsOf(match, 'cs'), [onlineCheck], NOW).rows).toMatchObject([{ result: 'pass' }]);

    const explanation = explainDevice(agent!, match);
    expect(explanation.matchedBy).toBe('none');
    expect(explanation.providers[0]).toEqual({
      providerId: 'cs',
      outcome: 'possible_match',
      recordIds: ['aid-1'],
      detail:
        'Possible match only: CrowdStrike host WS-1 (aid-1) has the same MAC address (0800275156d8) but serial C02XK1ZZJG5J. Posture checks do not trust a MAC match.',
    });
    expect(explainDevice(host!, match).providers[1]).toMatchObject({ outcome: 'possible_match' });
  });

  it('falls back to the hostname when no MAC matches, and says the serial was junk', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ serial: 'To Be Filled By O.E.M.', hostname: 'ws-9.corp.example' })]),
      snapshot('s1', [s1Agent({ serial: 'PF3K9XQ2', hostname: 'WS-9' })]),
    ]);
    const host = match.byKey.get('rec:cs:aid-1');
    expect(host).toMatchObject({
      serialStatus: 'junk',
      serial: 'To Be Filled By O.E.M.',
      serialProblem: 'Serial "To Be Filled By O.E.M." is a firmware placeholder, not a real serial number.',
    });
    expect(host?.possibleMatches).toEqual([{ deviceKey: 'sn:PF3K9XQ2', providerId: 's1', recordId: '1001', via: 'hostname', value: 'ws-9' }]);
    expect(explainDevice(host!, match).summary).toBe(
      'Serial "To Be Filled By O.E.M." is a firmware placeholder, not a real serial number. Checks on this device report unknown.',
    );
    expect(explainDevice(match.byKey.get('sn:PF3K9XQ2')!, match).providers[0]?.detail).toBe(
      'Possible match only: CrowdStrike host ws-9.corp.example (aid-1) has the same hostname (ws-9) but Serial "To Be Filled By O.E.M." is a firmware placeholder, not a real serial number. Posture checks do not trust a hostname match.',
    );
  });

  it('ignores a hostname or MAC that is not unique within the other provider', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ serial: null, hostname: 'ubuntu' })]),
      snapshot('s1', [s1Agent({ recordId: '1', serial: 'AAA111', hostname: 'ubuntu' }), s1Agent({ recordId: '2', serial: 'BBB222', hostname: 'ubuntu' })]),
    ]);
    expect(match.byKey.get('rec:cs:aid-1')?.possibleMatches).toEqual([]);
    expect(explainDevice(match.byKey.get('rec:cs:aid-1')!, match).providers[1]?.outcome).toBe('not_found');
  });

  it('never links records of the same provider', () => {
    const match = matchDevices([
      snapshot('cs', [falconHost({ serial: null, macs: ['08-00-27-51-56-d8'] }), falconHost({ recordId: 'b', macs: ['08-00-27-51-56-d8'] })]),
    ]);
    expect(match.devices.flatMap((d) => d.possibleMatches)).toEqual([]);
  });
});
