import { describe, expect, it } from 'vitest';
import {
  PostureRule,
  type CompareOperator,
  type LastSeenBucket,
  type PostureCheck,
  type S1Posture,
  type VersionOperator,
  type ZtaPosture,
} from '../../../src-shared/schemas/posture';
import { compareVersions, evaluateAll, evaluateCheck, formatInterval, lastSeenBucketOf, parseVersion } from './evaluate';
import { HOUR, NOW, subject } from './fixtures.testkit';

const DAY = 24 * HOUR;

const zta = (fields: Partial<ZtaPosture> = {}): ZtaPosture => ({
  kind: 'crowdstrike-zta',
  assessment: { overall: 72, os: 80, sensorConfig: 64, version: '3.6.1' },
  state: 'online',
  lastSeenAt: NOW - 60_000,
  ...fields,
});
const scores = (fields: Partial<NonNullable<ZtaPosture['assessment']>>) =>
  zta({ assessment: { overall: 72, os: 80, sensorConfig: 64, version: '3.6.1', ...fields } });
const s1 = (fields: Partial<S1Posture> = {}): S1Posture => ({
  kind: 'sentinelone',
  infected: false,
  activeThreats: 0,
  isActive: true,
  networkStatus: 'connected',
  operationalState: 'na',
  ...fields,
});

const check = (rule: unknown, providerId = 'cs'): PostureCheck => ({
  id: 'chk',
  name: 'Check',
  providerId,
  enabled: true,
  rule: PostureRule.parse(rule),
});

const run = (rule: unknown, posture: ZtaPosture | S1Posture, now = NOW) => evaluateCheck(check(rule), subject(posture), now);

describe('ZTA scores', () => {
  const table: [CompareOperator, [boolean, boolean, boolean]][] = [
    ['<', [true, false, false]],
    ['<=', [true, true, false]],
    ['>', [false, false, true]],
    ['>=', [false, true, true]],
    ['==', [false, true, false]],
  ];
  const fields = { overall: 'overall', os: 'os', sensor_config: 'sensorConfig' } as const;

  for (const [attribute, field] of Object.entries(fields))
    for (const [operator, outcomes] of table)
      it.each([69, 70, 71].map((score, i) => [score, outcomes[i] ? 'pass' : 'fail'] as const))(`${attribute} ${operator} 70 with %i → %s`, (score, result) => {
        const evaluation = run({ attribute, operator, value: 70 }, scores({ [field]: score }));
        expect(evaluation).toMatchObject({
          result,
          code: result === 'pass' ? 'met' : 'not_met',
          expected: `${attribute} ${operator} 70`,
          received: `${attribute} = ${score}`,
        });
      });

  it('says what was expected and received in the log form', () => {
    expect(run({ attribute: 'overall', operator: '>=', value: 70 }, scores({ overall: 64 }))).toEqual({
      result: 'fail',
      code: 'not_met',
      reason: 'Does not meet overall >= 70.',
      expected: 'overall >= 70',
      received: 'overall = 64',
    });
  });

  it('handles the ends of the range (a score of 0 is below any threshold, 100 meets <= 100)', () => {
    expect(run({ attribute: 'overall', operator: '>=', value: 1 }, scores({ overall: 0 })).result).toBe('fail');
    expect(run({ attribute: 'os', operator: '<=', value: 100 }, scores({ os: 100 })).result).toBe('pass');
    expect(run({ attribute: 'os', operator: '==', value: 100 }, scores({ os: 100 })).result).toBe('pass');
  });

  it('is unknown, not failed, for a host without an assessment yet', () => {
    for (const attribute of ['overall', 'os', 'sensor_config'])
      expect(run({ attribute, operator: '>=', value: 1 }, zta({ assessment: null }))).toMatchObject({
        result: 'unknown',
        code: 'no_assessment',
        received: null,
        reason: 'CrowdStrike has no Zero Trust Assessment for this host yet.',
      });
  });

  it('is unknown when the assessment lacks that one score', () => {
    expect(run({ attribute: 'sensor_config', operator: '>', value: 50 }, scores({ sensorConfig: null }))).toMatchObject({
      result: 'unknown',
      code: 'missing_attribute',
      reason: 'The assessment has no sensor_config score.',
    });
    expect(run({ attribute: 'overall', operator: '>', value: 50 }, scores({ sensorConfig: null })).result).toBe('pass');
  });
});

describe('ZTA score version', () => {
  const table: [VersionOperator, string, boolean][] = [
    ['==', '2.1.0', true],
    ['==', '2.1', true],
    ['==', '2.1.0.0', true],
    ['==', '2.1.1', false],
    ['!=', '2.1.0', false],
    ['!=', '2.0.9', true],
    ['>=', '2.0.9', false],
    ['>=', '2.1.0', true],
    ['>=', '2.1.1', true],
    ['>=', '10.0.0', true],
    ['>=', '2.10', true],
    ['<=', '2.0.9', true],
    ['<=', '2.1.0', true],
    ['<=', '2.1.1', false],
    ['<=', '10.0.0', false],
  ];
  it.each(table)('version %s 2.1.0 with %s → %s', (operator, received, passes) => {
    expect(run({ attribute: 'version', operator, value: '2.1.0' }, scores({ version: received }))).toMatchObject({
      result: passes ? 'pass' : 'fail',
      expected: `version ${operator} 2.1.0`,
      received: `version = ${received}`,
    });
  });

  it('compares numerically, component by component', () => {
    expect(compareVersions([3, 10], [3, 9, 9])).toBe(1);
    expect(compareVersions([3], [3, 0, 0])).toBe(0);
    expect(parseVersion(' 3.6.1 ')).toEqual([3, 6, 1]);
    expect(parseVersion('3.6-beta')).toBeNull();
  });

  it('is unknown for a version that is not dotted numbers, with what was received', () => {
    expect(run({ attribute: 'version', operator: '>=', value: '2.1.0' }, scores({ version: 'v3-beta' }))).toMatchObject({
      result: 'unknown',
      code: 'unparseable_value',
      received: 'version = v3-beta',
    });
  });

  it('is unknown without an assessment or without a version', () => {
    expect(run({ attribute: 'version', operator: '>=', value: '2' }, zta({ assessment: null })).code).toBe('no_assessment');
    expect(run({ attribute: 'version', operator: '>=', value: '2' }, scores({ version: null })).code).toBe('missing_attribute');
  });
});

describe('ZTA state', () => {
  it.each([
    [['online'], 'online', 'pass'],
    [['online'], 'offline', 'fail'],
    [['online'], 'unknown', 'fail'],
    [['online', 'unknown'], 'unknown', 'pass'],
    [['online', 'unknown'], 'offline', 'fail'],
    [['offline'], 'offline', 'pass'],
    [['online', 'offline', 'unknown'], 'offline', 'pass'],
  ] as const)('accepted %j with %s → %s', (accepted, state, result) => {
    expect(run({ attribute: 'state', accepted }, zta({ state }))).toMatchObject({ result, received: `state = ${state}` });
  });

  it('words one accepted state as =, several as in (…), in a stable order', () => {
    expect(run({ attribute: 'state', accepted: ['online'] }, zta()).expected).toBe('state = online');
    expect(run({ attribute: 'state', accepted: ['unknown', 'online', 'online'] }, zta()).expected).toBe('state in (online, unknown)');
  });

  it('does not need an assessment, but is unknown without an online state', () => {
    expect(run({ attribute: 'state', accepted: ['online'] }, zta({ assessment: null })).result).toBe('pass');
    expect(run({ attribute: 'state', accepted: ['online'] }, zta({ state: null }))).toMatchObject({
      result: 'unknown',
      code: 'missing_attribute',
    });
  });
});

describe('ZTA last seen', () => {
  const buckets: [LastSeenBucket, number][] = [
    ['1h', HOUR],
    ['3h', 3 * HOUR],
    ['6h', 6 * HOUR],
    ['12h', 12 * HOUR],
    ['24h', DAY],
    ['7d', 7 * DAY],
    ['30d', 30 * DAY],
  ];
  for (const [within, limit] of buckets)
    it.each([
      [limit - 1, 'pass'],
      [limit, 'fail'],
      [limit + 1, 'fail'],
    ] as const)(`seen within ${within}: %i ms ago → %s`, (ago, result) => {
      expect(run({ attribute: 'last_seen', within }, zta({ lastSeenAt: NOW - ago }))).toMatchObject({
        result,
        expected: `last_seen within ${within}`,
      });
    });

  it('accepts any known last-seen time for >30d', () => {
    expect(run({ attribute: 'last_seen', within: '>30d' }, zta({ lastSeenAt: NOW - 400 * DAY }))).toMatchObject({
      result: 'pass',
      expected: 'last_seen at any time',
      received: 'last_seen more than 30d ago',
    });
  });

  it('reports the bucket the device is in, not a timestamp (the log stores changes)', () => {
    expect(run({ attribute: 'last_seen', within: '24h' }, zta({ lastSeenAt: NOW - 2 * HOUR })).received).toBe('last_seen within 3h');
    expect(lastSeenBucketOf(0)).toBe('1h');
    expect(lastSeenBucketOf(HOUR)).toBe('3h');
    expect(lastSeenBucketOf(31 * DAY)).toBe('>30d');
  });

  it('treats a last-seen time slightly in the future as just now (clock skew)', () => {
    expect(run({ attribute: 'last_seen', within: '1h' }, zta({ lastSeenAt: NOW + 5_000 })).result).toBe('pass');
  });

  it('is unknown without a last-seen time', () => {
    expect(run({ attribute: 'last_seen', within: '7d' }, zta({ lastSeenAt: null })).code).toBe('missing_attribute');
  });
});

describe('SentinelOne booleans', () => {
  it.each([
    ['infected', 'infected', false, false, 'pass'],
    ['infected', 'infected', false, true, 'fail'],
    ['infected', 'infected', true, true, 'pass'],
    ['infected', 'infected', true, false, 'fail'],
    ['is_active', 'isActive', true, true, 'pass'],
    ['is_active', 'isActive', true, false, 'fail'],
    ['is_active', 'isActive', false, false, 'pass'],
    ['is_active', 'isActive', false, true, 'fail'],
  ] as const)('%s expected %s… received %s → %s', (attribute, field, expected, received, result) => {
    expect(run({ attribute, expected }, s1({ [field]: received }))).toMatchObject({
      result,
      expected: `${attribute} = ${expected}`,
      received: `${attribute} = ${received}`,
    });
  });

  it.each([
    ['infected', 'infected'],
    ['is_active', 'isActive'],
  ] as const)('%s is unknown when not reported', (attribute, field) => {
    expect(run({ attribute, expected: false }, s1({ [field]: null }))).toMatchObject({ result: 'unknown', code: 'missing_attribute' });
  });
});

describe('SentinelOne active threats', () => {
  const table: [CompareOperator, [boolean, boolean, boolean]][] = [
    ['<', [true, false, false]],
    ['<=', [true, true, false]],
    ['>', [false, false, true]],
    ['>=', [false, true, true]],
    ['==', [false, true, false]],
  ];
  for (const [operator, outcomes] of table)
    it.each([0, 1, 2].map((count, i) => [count, outcomes[i] ? 'pass' : 'fail'] as const))(`active_threats ${operator} 1 with %i → %s`, (count, result) => {
      expect(run({ attribute: 'active_threats', operator, value: 1 }, s1({ activeThreats: count }))).toMatchObject({
        result,
        expected: `active_threats ${operator} 1`,
        received: `active_threats = ${count}`,
      });
    });

  it('"no active threats" is active_threats == 0 (or <= 0)', () => {
    expect(run({ attribute: 'active_threats', operator: '==', value: 0 }, s1({ activeThreats: 0 })).result).toBe('pass');
    expect(run({ attribute: 'active_threats', operator: '<=', value: 0 }, s1({ activeThreats: 3 })).result).toBe('fail');
    expect(run({ attribute: 'active_threats', operator: '<=', value: 0 }, s1({ activeThreats: null })).code).toBe('missing_attribute');
  });
});

describe('SentinelOne accepted sets', () => {
  it.each([
    [['connected'], 'connected', 'pass'],
    [['connected'], 'disconnected', 'fail'],
    [['connected'], 'connecting', 'fail'],
    [['connected'], 'disconnecting', 'fail'],
    [['connected', 'connecting'], 'connecting', 'pass'],
    [['disconnected', 'disconnecting'], 'disconnecting', 'pass'],
    [['connected'], 'quarantined', 'fail'],
  ] as const)('network_status accepted %j with %s → %s', (accepted, networkStatus, result) => {
    expect(run({ attribute: 'network_status', accepted }, s1({ networkStatus }))).toMatchObject({
      result,
      received: `network_status = ${networkStatus}`,
    });
  });

  const states = ['na', 'partially_disabled', 'auto_partially_disabled', 'fully_disabled', 'auto_fully_disabled', 'disabled_error', 'db_corruption'] as const;
  it.each(states)('operational_state accepted (na) with %s', (operationalState) => {
    expect(run({ attribute: 'operational_state', accepted: ['na'] }, s1({ operationalState })).result).toBe(operationalState === 'na' ? 'pass' : 'fail');
  });
  it.each(states)('operational_state accepting everything but na, with %s', (operationalState) => {
    const accepted = states.filter((s) => s !== 'na');
    expect(run({ attribute: 'operational_state', accepted }, s1({ operationalState })).result).toBe(operationalState === 'na' ? 'fail' : 'pass');
  });

  it('is unknown when the agent reports no value', () => {
    expect(run({ attribute: 'network_status', accepted: ['connected'] }, s1({ networkStatus: null })).code).toBe('missing_attribute');
    expect(run({ attribute: 'operational_state', accepted: ['na'] }, s1({ operationalState: null })).code).toBe('missing_attribute');
  });
});

describe('unknown, never a silent pass or fail', () => {
  const passing = check({ attribute: 'overall', operator: '>=', value: 70 });
  const failing = check({ attribute: 'overall', operator: '>=', value: 90 });

  it('when the provider data is older than twice the polling interval', () => {
    for (const c of [passing, failing]) {
      expect(evaluateCheck(c, subject(zta(), { fetchedAt: NOW - 2 * HOUR }), NOW).result).not.toBe('unknown');
      expect(evaluateCheck(c, subject(zta(), { fetchedAt: NOW - 2 * HOUR - 1 }), NOW)).toMatchObject({
        result: 'unknown',
        code: 'stale_data',
        reason: "The provider's data is older than twice its 1h polling interval; the last poll may have failed.",
      });
    }
  });

  it.each([
    ['missing', 'missing_serial', 'The device reports no serial number, so it cannot be matched to a user device.'],
    ['junk', 'junk_serial', 'Serial "To Be Filled By O.E.M." is a firmware placeholder, not a real serial number.'],
    ['duplicate', 'duplicate_serial', 'Serial ABC is shared by 2 CrowdStrike hosts (WS-1, WS-2).'],
  ] as const)('when the serial is %s', (serialStatus, code, serialProblem) => {
    for (const c of [passing, failing, check({ attribute: 'infected', expected: false }, 's1')]) {
      const posture = c.providerId === 's1' ? s1() : zta();
      expect(evaluateCheck(c, subject(posture, { serialStatus, serialProblem }), NOW)).toMatchObject({
        result: 'unknown',
        code,
        reason: serialProblem,
      });
    }
  });

  it('names staleness before serial problems, and serial problems before missing data', () => {
    const stale = subject(zta({ assessment: null }), { fetchedAt: NOW - 3 * HOUR, serialStatus: 'missing' });
    expect(evaluateCheck(passing, stale, NOW).code).toBe('stale_data');
    expect(evaluateCheck(passing, { ...stale, fetchedAt: NOW }, NOW).code).toBe('missing_serial');
  });

  it('when the rule asks a provider for an attribute it does not report', () => {
    expect(run({ attribute: 'infected', expected: false }, zta()).code).toBe('missing_attribute');
    expect(run({ attribute: 'overall', operator: '>=', value: 1 }, s1()).code).toBe('missing_attribute');
  });
});

describe('evaluateAll', () => {
  it('gives one log row per device and check, with counts by result and unknown reason', () => {
    const subjects = [
      subject(scores({ overall: 80 }), { deviceKey: 'sn:A', deviceName: 'A', serial: 'a-1', serialKey: 'A1' }),
      subject(scores({ overall: 60 }), { deviceKey: 'sn:B', deviceName: 'B', serial: 'b-1', serialKey: 'B1' }),
      subject(zta({ assessment: null }), { deviceKey: 'sn:C', deviceName: 'C', serial: 'c-1', serialKey: 'C1' }),
    ];
    const checks = [
      check({ attribute: 'overall', operator: '>=', value: 70 }),
      { ...check({ attribute: 'state', accepted: ['online'] }), id: 'st', name: 'Online' },
    ];
    const batch = evaluateAll(subjects, checks, NOW);
    expect(batch.counts).toEqual({ pass: 4, fail: 1, unknown: 1 });
    expect(batch.unknownBy).toEqual({ no_assessment: 1 });
    expect(batch.rows[1]).toEqual({
      deviceKey: 'sn:A',
      deviceName: 'A',
      serial: 'a-1',
      serialKey: 'A1',
      platform: 'Mac',
      checkId: 'st',
      checkName: 'Online',
      result: 'pass',
      expected: 'state = online',
      received: 'state = online',
      reason: 'Meets state = online.',
    });
  });

  it('formats polling intervals the way admins pick them', () => {
    expect([5 * 60_000, HOUR, 3 * HOUR, DAY, 90_000].map(formatInterval)).toEqual(['5m', '1h', '3h', '1d', '90s']);
  });
});
