import { describe, expect, it } from 'vitest';
import { ContractError, issuesFromZod } from '../../../src-shared/errors';
import { PostureCheckInput, PostureRule, type PostureCheck } from '../../../src-shared/schemas/posture';
import { ProviderConfig } from '../../../src-shared/schemas/providers';
import { checkIssues, createCheckService, describeRule, validateCheck } from './checks';

const providers = [
  ProviderConfig.parse({
    id: 'cs',
    kind: 'crowdstrike-zta',
    name: 'Falcon prod',
    clientId: 'a'.repeat(32),
    customerId: 'B'.repeat(32),
    region: 'us-1',
  }),
  ProviderConfig.parse({ id: 's1', kind: 'sentinelone', name: 'S1 prod', apiUrl: 'https://example.sentinelone.net' }),
  ProviderConfig.parse({ id: 'inc', kind: 'crowdstrike-falcon-incidents', name: 'Detections', clientId: 'c'.repeat(32), region: 'us-2' }),
];

const issuesOf = (input: unknown) => {
  const parsed = PostureCheckInput.safeParse(input);
  return parsed.success ? [] : issuesFromZod(parsed.error);
};
const input = (rule: unknown, providerId = 'cs') => ({ name: 'Check', providerId, rule });

describe('rule schema: field-level messages an admin understands', () => {
  it.each([0, 101, 70.5, '70', null])('score %j', (value) => {
    expect(issuesOf(input({ attribute: 'overall', operator: '>=', value }))).toEqual([
      { path: 'rule.value', message: 'Score must be a whole number from 1 to 100.' },
    ]);
  });

  it('accepts scores 1 and 100', () => {
    expect(issuesOf(input({ attribute: 'os', operator: '>', value: 1 }))).toEqual([]);
    expect(issuesOf(input({ attribute: 'sensor_config', operator: '<=', value: 100 }))).toEqual([]);
  });

  it('names the operators a score takes', () => {
    expect(issuesOf(input({ attribute: 'overall', operator: '!=', value: 50 }))).toEqual([
      { path: 'rule.operator', message: 'Operator must be one of <, <=, >, >=, ==.' },
    ]);
  });

  it('gives the version its own operators and format', () => {
    expect(issuesOf(input({ attribute: 'version', operator: '!=', value: '2.1.0' }))).toEqual([]);
    expect(issuesOf(input({ attribute: 'version', operator: '>', value: '2.1.0' }))).toEqual([
      { path: 'rule.operator', message: 'Version operator must be one of ==, !=, >=, <=.' },
    ]);
    expect(issuesOf(input({ attribute: 'version', operator: '>=', value: '2.x' }))).toEqual([
      { path: 'rule.value', message: 'Version must be numbers separated by dots, such as 2.1.0.' },
    ]);
  });

  it('needs at least one accepted value, and only known ones', () => {
    expect(issuesOf(input({ attribute: 'state', accepted: [] }))).toEqual([{ path: 'rule.accepted', message: 'Choose at least one accepted state.' }]);
    expect(issuesOf(input({ attribute: 'network_status', accepted: ['online'] }, 's1'))).toEqual([
      { path: 'rule.accepted.0', message: 'Network status must be connected, disconnected, connecting or disconnecting.' },
    ]);
    expect(issuesOf(input({ attribute: 'operational_state', accepted: [] }, 's1'))[0]?.message).toBe('Choose at least one accepted operational state.');
  });

  it('keeps accepted values once, in a stable order', () => {
    expect(PostureRule.parse({ attribute: 'network_status', accepted: ['connecting', 'connected', 'connecting'] })).toEqual({
      attribute: 'network_status',
      accepted: ['connected', 'connecting'],
    });
  });

  it('checks last-seen buckets, booleans and threat counts', () => {
    expect(issuesOf(input({ attribute: 'last_seen', within: '2h' }))[0]?.message).toBe('Last seen must be one of 1h, 3h, 6h, 12h, 24h, 7d, 30d, >30d.');
    expect(issuesOf(input({ attribute: 'infected', expected: 'no' }, 's1'))[0]?.message).toBe(
      'Choose whether the device must be infected (true) or not (false).',
    );
    expect(issuesOf(input({ attribute: 'active_threats', operator: '<=', value: -1 }, 's1'))).toEqual([
      { path: 'rule.value', message: 'Threat count must be a whole number from 0 to 10000.' },
    ]);
  });

  it('lists the attributes when the attribute is unknown', () => {
    expect(issuesOf(input({ attribute: 'firewall', expected: true }))[0]).toMatchObject({ path: 'rule.attribute' });
    expect(issuesOf(input({ attribute: 'firewall', expected: true }))[0]?.message).toContain('infected, active_threats');
  });

  it('needs a name and a provider', () => {
    expect(issuesOf({ name: '  ', providerId: '', rule: { attribute: 'infected', expected: false } })).toEqual([
      { path: 'name', message: 'Enter a name for this check.' },
      { path: 'providerId', message: 'Choose the provider this check runs on.' },
    ]);
  });
});

describe('a check fits its provider', () => {
  it('rejects a ZTA attribute on a SentinelOne provider, naming the field', () => {
    expect(checkIssues(PostureCheckInput.parse(input({ attribute: 'overall', operator: '>=', value: 70 }, 's1')), providers)).toEqual([
      {
        path: 'rule.attribute',
        message:
          'Overall score is a CrowdStrike Falcon ZTA (device posture) attribute, but "S1 prod" is a SentinelOne (device posture) provider. Choose one of: Infected, Active threats, Is active, Network status, Operational state, Present in another source.',
      },
    ]);
  });

  it('rejects a SentinelOne attribute on a ZTA provider', () => {
    const issues = checkIssues(PostureCheckInput.parse(input({ attribute: 'infected', expected: false }, 'cs')), providers);
    expect(issues[0]?.path).toBe('rule.attribute');
    expect(issues[0]?.message).toContain(
      'Choose one of: Overall score, OS score, Sensor config score, ZTA score version, State, Last seen, Present in another source.',
    );
  });

  it('rejects the detections connection and a provider that is gone', () => {
    const rule = { attribute: 'infected', expected: false };
    expect(checkIssues(PostureCheckInput.parse(input(rule, 'inc')), providers)[0]).toMatchObject({ path: 'providerId' });
    expect(checkIssues(PostureCheckInput.parse(input(rule, 'gone')), providers)).toEqual([
      { path: 'providerId', message: 'This provider no longer exists; choose another one.' },
    ]);
  });

  it('throws one ContractError with every field issue', () => {
    try {
      validateCheck({ name: 'x', providerId: 's1', rule: { attribute: 'overall', operator: '>=', value: 500 } }, providers);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).issues).toEqual([{ path: 'rule.value', message: 'Score must be a whole number from 1 to 100.' }]);
    }
    expect(() => validateCheck(input({ attribute: 'os', operator: '>=', value: 50 }, 's1'), providers)).toThrow(/rule\.attribute/);
  });
});

describe('describeRule', () => {
  it.each([
    [{ attribute: 'overall', operator: '>=', value: 70 }, 'overall >= 70'],
    [{ attribute: 'version', operator: '!=', value: '2.1.0' }, 'version != 2.1.0'],
    [{ attribute: 'state', accepted: ['online'] }, 'state = online'],
    [{ attribute: 'last_seen', within: '24h' }, 'last_seen within 24h'],
    [{ attribute: 'last_seen', within: '>30d' }, 'last_seen at any time'],
    [{ attribute: 'infected', expected: false }, 'infected = false'],
    [{ attribute: 'active_threats', operator: '==', value: 0 }, 'active_threats == 0'],
    [{ attribute: 'is_active', expected: true }, 'is_active = true'],
    [{ attribute: 'operational_state', accepted: ['na', 'partially_disabled'] }, 'operational_state in (na, partially_disabled)'],
  ])('%j → %s', (rule, text) => {
    expect(describeRule(PostureRule.parse(rule))).toBe(text);
  });
});

describe('check service', () => {
  function service() {
    let saved: PostureCheck[] = [];
    const changes: number[] = [];
    let next = 0;
    const checks = createCheckService({
      persistence: { load: () => saved, save: (list) => (saved = list) },
      providers: () => providers,
      newId: () => `chk-${++next}`,
      onChanged: (list) => changes.push(list.length),
    });
    return { checks, changes };
  }

  it('creates, updates, lists per provider and removes', () => {
    const { checks, changes } = service();
    const a = checks.save(input({ attribute: 'overall', operator: '>=', value: 70 }));
    const b = checks.save({ ...input({ attribute: 'infected', expected: false }, 's1'), enabled: false });
    expect(a).toMatchObject({ id: 'chk-1', enabled: true });
    expect(checks.list('s1')).toEqual([b]);
    expect(checks.enabledFor('s1')).toEqual([]);
    checks.save({ ...b, enabled: true });
    expect(checks.enabledFor('s1').map((c) => c.id)).toEqual(['chk-2']);
    expect(checks.remove('chk-1')).toBe(true);
    expect(checks.remove('chk-1')).toBe(false);
    expect(checks.list().map((c) => c.id)).toEqual(['chk-2']);
    expect(changes).toEqual([1, 2, 2, 1]);
  });

  it('refuses a second check of the same name on one provider, and an update of a check that is gone', () => {
    const { checks } = service();
    checks.save(input({ attribute: 'overall', operator: '>=', value: 70 }));
    expect(() => checks.save({ ...input({ attribute: 'os', operator: '>=', value: 70 }), name: 'CHECK' })).toThrow(
      'A check named "CHECK" already exists on "Falcon prod".',
    );
    expect(() => checks.save({ ...input({ attribute: 'os', operator: '>=', value: 70 }), name: 'Other', id: 'nope' })).toThrow(
      'No posture check with id nope.',
    );
  });
});
