// The IOC push form (every type × valid/invalid value, the action/severity rules of reference §6) and
// pushing to the simulator: duplicate check, local record, deletion, a missing scope, push on resolve.
import { afterEach, describe, expect, it } from 'vitest';
import { IocInput, type IocInputDraft } from '../../../src-shared/schemas/incidents';
import { allIncidents, startHarness, type Harness } from './test-harness.testkit';

const SHA256 = '8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4';
const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const base = { action: 'detect', severity: 'medium', platforms: ['windows', 'mac', 'linux'] } as const;

function issues(input: Record<string, unknown>): Record<string, string> {
  const parsed = IocInput.safeParse({ ...base, ...input });
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
}

function normalized(input: Partial<IocInputDraft>): string {
  return IocInput.parse({ ...base, ...input }).value;
}

describe('value for its type', () => {
  it.each([
    ['ipv4', '192.168.1.100', '192.168.1.100'],
    ['ipv4', ' 0.0.0.0 ', '0.0.0.0'],
    ['ipv4', '255.255.255.255', '255.255.255.255'],
    ['ipv6', '2001:db8::1', '2001:db8::1'],
    ['ipv6', '::1', '::1'],
    ['ipv6', '::', '::'],
    ['ipv6', '2001:0DB8:0000:0000:0000:FF00:0042:8329', '2001:db8::ff00:42:8329'],
    ['ipv6', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['ipv6', '::ffff:192.0.2.128', '::ffff:c000:280'],
    ['ipv6', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['domain', 'update-check.example-bad.net', 'update-check.example-bad.net'],
    ['domain', 'C2.Example.ORG', 'c2.example.org'],
    ['domain', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['md5', MD5.toUpperCase(), MD5],
    ['sha256', SHA256, SHA256],
  ] as const)('accepts %s %j as %j', (type, value, expected) => {
    expect(issues({ type, value })).toEqual({});
    expect(normalized({ type, value })).toBe(expected);
  });

  it.each([
    ['ipv4', '192.168.1.300', 'is above 255'],
    ['ipv4', '192.168.1', 'four numbers'],
    ['ipv4', '1.2.3.4.5', 'four numbers'],
    ['ipv4', '192.168.01.1', 'leading zero'],
    ['ipv4', '10.0.0.x', '"x" is not a number'],
    ['ipv4', '192.168.1.1/24', 'not a number'],
    ['ipv4', '::1', 'four numbers'],
    ['ipv6', '2001:db8::1::2', ':: may appear only once'],
    ['ipv6', '2001:db8:1', 'it has 3 groups'],
    ['ipv6', '1:2:3:4:5:6:7:8:9', 'it has 9 groups'],
    ['ipv6', '12345::1', '"12345" is not a group'],
    ['ipv6', 'g::1', '"g" is not a group'],
    ['ipv6', 'fe80::1%eth0', 'zone index'],
    ['ipv6', '[::1]', 'brackets'],
    ['ipv6', '2001:db8::/32', 'prefix length'],
    ['ipv6', '::ffff:999.0.0.1', 'embedded IPv4'],
    ['ipv6', '1:2:3:4:5:6:7::8', 'too many groups'],
    ['ipv6', '192.168.1.1', 'choose the ipv4 type'],
    ['domain', 'localhost', 'at least two labels'],
    ['domain', 'http://example.com/path', 'without a scheme or path'],
    ['domain', '*.example.com', 'without wildcards'],
    ['domain', 'exa mple.com', 'only letters, digits and hyphens'],
    ['domain', 'under_score.example.com', 'only letters, digits and hyphens'],
    ['domain', '-bad.example.com', 'starts or ends with a hyphen'],
    ['domain', 'example.com.', 'trailing dot'],
    ['domain', 'bücher.example', 'punycode'],
    ['domain', '192.168.1.1', 'choose the ipv4 type'],
    ['domain', 'a..b.com', 'empty label'],
    ['domain', `${'x'.repeat(64)}.com`, 'longer than 63'],
    ['domain', `${'abcdefghi.'.repeat(20)}com`, 'at most 200 characters'],
    ['domain', 'example.123', 'must start with a letter'],
    ['md5', MD5.slice(1), 'this value has 31'],
    ['md5', `${MD5}0`, 'this value has 33'],
    ['md5', 'g'.repeat(32), 'other characters'],
    ['md5', SHA256, 'looks like a SHA-256 (choose sha256)'],
    ['md5', 'a'.repeat(40), 'SHA-1, which Falcon does not accept'],
    ['sha256', SHA256.slice(1), 'this value has 63'],
    ['sha256', MD5, 'looks like an MD5 (choose md5)'],
    ['sha256', `${SHA256.slice(1)}z`, 'other characters'],
  ] as const)('rejects %s %j on the value field (%s)', (type, value, message) => {
    expect(issues({ type, value }).value).toContain(message);
  });

  it('asks for a value when it is empty', () => {
    expect(issues({ type: 'ipv4', value: '   ' }).value).toBe('Enter the value.');
  });
});

describe('action and severity', () => {
  const cases: [IocInputDraft['type'], string, IocInputDraft['action'], IocInputDraft['severity'] | undefined, Record<string, string>][] = [
    ['domain', 'c2.example.net', 'detect', 'high', {}],
    ['ipv4', '203.0.113.7', 'detect', 'low', {}],
    ['domain', 'c2.example.net', 'detect', undefined, { severity: 'Severity is required when the action is detect.' }],
    ['sha256', SHA256, 'prevent', 'critical', {}],
    ['sha256', SHA256, 'prevent', undefined, { severity: 'Severity is required when the action is prevent.' }],
    ['ipv4', '203.0.113.7', 'prevent', 'critical', { action: 'prevent applies to file hashes (sha256, md5) only; for a ipv4 use detect or no_action.' }],
    ['domain', 'c2.example.net', 'prevent', 'high', { action: 'prevent applies to file hashes (sha256, md5) only; for a domain use detect or no_action.' }],
    ['md5', MD5, 'allow', undefined, {}],
    ['md5', MD5, 'allow', 'low', { severity: 'allow takes no severity; remove it.' }],
    ['ipv6', '2001:db8::1', 'allow', undefined, { action: 'allow applies to file hashes (sha256, md5) only; for a ipv6 use detect or no_action.' }],
    ['sha256', SHA256, 'prevent_no_ui', undefined, {}],
    ['sha256', SHA256, 'prevent_no_ui', 'high', {}],
    [
      'domain',
      'c2.example.net',
      'prevent_no_ui',
      undefined,
      { action: 'prevent_no_ui applies to file hashes (sha256, md5) only; for a domain use detect or no_action.' },
    ],
    ['domain', 'c2.example.net', 'no_action', undefined, {}],
    ['ipv6', '2001:db8::1', 'no_action', 'informational', {}],
  ];
  it.each(cases)('%s %s with %s and severity %s', (type, value, action, severity, expected) => {
    const parsed = IocInput.safeParse({ type, value, action, platforms: ['windows'], ...(severity ? { severity } : {}) });
    expect(parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]))).toEqual(expected);
  });

  it("rejects the StackFlow page's own sample (prevent on an IPv4): Falcon applies prevent to hashes only", () => {
    const sample = {
      type: 'ipv4',
      value: '192.168.1.100',
      action: 'prevent',
      severity: 'critical',
      description: 'C2 server identified in INC0001234',
      source_incident: 'INC0001234',
      platforms: ['windows', 'linux', 'mac'],
      expiration_days: 30,
    };
    expect(issues(sample)).toEqual({ action: expect.stringContaining('file hashes') });
    expect(issues({ ...sample, action: 'detect' })).toEqual({});
  });
});

describe('other fields', () => {
  it.each([
    [{ platforms: [] }, 'platforms', 'Choose at least one platform.'],
    [{ platforms: ['windows', 'windows'] }, 'platforms', 'A platform is listed twice.'],
    [{ platforms: ['solaris'] }, 'platforms.0', 'Platforms are windows, mac, linux, ios and android.'],
    [{ expiration_days: 0 }, 'expiration_days', 'Expiration is at least 1 day.'],
    [{ expiration_days: 1.5 }, 'expiration_days', 'Expiration is a whole number of days.'],
    [{ expiration_days: 3651 }, 'expiration_days', 'Expiration is at most 3650 days.'],
    [{ description: 'd'.repeat(201) }, 'description', 'Keep the description to 200 characters.'],
    [{ source_incident: 'INC12' }, 'source_incident', 'An incident number looks like INC0000001.'],
    [{ type: 'sha1' }, 'type', 'Type must be ipv4, ipv6, domain, md5 or sha256.'],
    [{ action: 'block' }, 'action', 'Action must be no_action, allow, prevent_no_ui, prevent or detect.'],
    [{ severity: 'severe' }, 'severity', 'Severity must be informational, low, medium, high or critical.'],
  ] as [Partial<IocInputDraft>, string, string][])('%j → %s: %s', (input, path, message) => {
    expect(issues({ type: 'domain', value: 'c2.example.net', ...input })[path]).toBe(message);
  });
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function withIncident(options: { iocPushOnResolve?: boolean; clientId?: string; clientSecret?: string } = {}) {
  harness = await startHarness();
  const h = harness;
  const { iocPushOnResolve = false, ...client } = options;
  const service = h.service({ config: { iocPushOnResolve }, ...client });
  h.sim.addAlerts(1, { severity: 90 });
  await service.pollNow(h.config.id);
  const [incident] = await allIncidents(h.repository);
  if (!incident) throw new Error('no incident');
  return { h, service, incident };
}

describe('pushing to Falcon (simulator)', () => {
  it('creates once, then finds the live duplicate (type + value, deleted:false) and creates nothing', async () => {
    const { h, service, incident } = await withIncident();
    const form = {
      type: 'sha256',
      value: SHA256.toUpperCase(),
      action: 'prevent',
      severity: 'high',
      platforms: ['windows'],
      source_incident: incident.number,
      expiration_days: 30,
    };
    const first = await service.pushIoc({ integrationId: h.config.id, input: form, actor: 'alice' });
    expect(first).toMatchObject({
      status: 'created',
      ioc: { type: 'sha256', value: SHA256, pushedBy: 'alice', sourceIncident: incident.number, deletedAt: null },
    });
    const second = await service.pushIoc({ integrationId: h.config.id, input: { ...form, value: SHA256 }, actor: 'bob' });
    expect(second).toEqual({ status: 'duplicate', existingId: first.status === 'created' ? first.ioc.id : '', type: 'sha256', value: SHA256 });
    expect(h.sim.iocs()).toHaveLength(1);
    expect(h.sim.iocs()[0]).toMatchObject({
      value: SHA256,
      action: 'prevent',
      severity: 'high',
      applied_globally: true,
      source: 'Posture Console',
      tags: [incident.number],
    });
    const timeline = (await service.getIncident(incident.number)).timeline.filter((e) => e.kind === 'ioc_pushed');
    expect(timeline.map((e) => e.actor)).toEqual(['alice', 'bob']);
    expect(timeline[1]?.message).toContain('already in Falcon');
  });

  it('refuses an invalid form with field-level issues and sends nothing', async () => {
    const { h, service } = await withIncident();
    const before = h.sim.stats().requests;
    const error = await service
      .pushIoc({ integrationId: h.config.id, input: { type: 'ipv4', value: '10.0.0.256', action: 'detect', platforms: [] }, actor: 'a' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['platforms', 'severity', 'value']);
    expect(h.sim.stats().requests).toBe(before);
  });

  it('lists what was pushed with who, when and which incident, and deletes it from Falcon', async () => {
    const { h, service, incident } = await withIncident();
    const pushed = await service.pushIoc({
      integrationId: h.config.id,
      input: {
        type: 'domain',
        value: 'c2.example-bad.net',
        action: 'detect',
        severity: 'medium',
        platforms: ['windows', 'mac'],
        source_incident: incident.number,
        description: 'C2 seen in the incident',
      },
      actor: 'alice',
    });
    if (pushed.status !== 'created') throw new Error('expected a create');
    expect(await service.listPushedIocs()).toEqual([pushed.ioc]);
    const deleted = await service.deleteIoc({ id: pushed.ioc.id, actor: 'bob' });
    expect(deleted).toMatchObject({ deletedBy: 'bob', deletedAt: expect.any(String) });
    expect(h.sim.iocs()).toHaveLength(0);
    expect(await service.listPushedIocs()).toEqual([]);
    expect(await service.listPushedIocs({ includeDeleted: true })).toEqual([deleted]);
    await expect(service.deleteIoc({ id: pushed.ioc.id, actor: 'bob' })).rejects.toMatchObject({ code: 'ioc.not_found' });
    const last = (await service.getIncident(incident.number)).timeline.at(-1);
    expect(last).toMatchObject({ actor: 'bob', message: expect.stringContaining('deleted from Falcon') });
  });

  it('without IOC Management: Write says so in the StackFlow words and on the incident', async () => {
    harness = await startHarness();
    const limited = harness.limitedClient(['alerts:read', 'devices:read', 'ioc:read']);
    harness.sim.addAlerts(1, { severity: 90 });
    const service = harness.service({ clientId: limited.clientId, clientSecret: limited.clientSecret });
    await service.pollNow(harness.config.id);
    const input = { type: 'md5', value: MD5, action: 'no_action', platforms: ['linux'], source_incident: 'INC0000001' };
    await expect(service.pushIoc({ integrationId: harness.config.id, input, actor: 'alice' })).rejects.toMatchObject({
      code: 'falcon.scope_missing',
      message: 'IOC push 403: IOC Management scope missing.',
      fix: 'Add IOC Management:Write scope to the Falcon API client',
    });
    expect((await service.getIncident('INC0000001')).timeline.at(-1)).toMatchObject({ kind: 'ioc_push_failed', actor: 'alice' });
    expect(await service.listPushedIocs()).toEqual([]);
  });
});

describe('push on resolve', () => {
  async function resolve(service: Harness['service'] extends (...a: never[]) => infer S ? S : never, number: string) {
    await service.changeState({ number, to: 'in_progress', actor: 'alice' });
    return service.changeState({ number, to: 'resolved', actor: 'alice', reason: 'Host reimaged' });
  }

  it('pushes the alert hashes and manually added IOCs when the integration asks for it', async () => {
    const { h, service, incident } = await withIncident({ iocPushOnResolve: true });
    await service.attachIoc({
      number: incident.number,
      input: { type: 'domain', value: 'drop.example-bad.net', action: 'detect', severity: 'high', platforms: ['windows'] },
      actor: 'alice',
    });
    await resolve(service, incident.number);
    const detail = await service.getIncident(incident.number);
    const alert = detail.alerts[0];
    expect(new Set(h.sim.iocs().map((i) => `${i.type}:${i.value}:${i.action}`))).toEqual(
      new Set([`sha256:${alert?.sha256}:prevent`, `md5:${alert?.md5}:prevent`, 'domain:drop.example-bad.net:detect']),
    );
    expect(h.sim.iocs().find((i) => i.type === 'sha256')).toMatchObject({ severity: 'critical', platforms: [alert?.platform?.toLowerCase()] });
    expect(detail.iocs.every((i) => i.pushedId)).toBe(true);
    expect(detail.timeline.filter((e) => e.kind === 'ioc_pushed')).toHaveLength(3);
    const pushed = await service.listPushedIocs({ sourceIncident: incident.number });
    expect(pushed.every((i) => i.pushedBy === 'alice')).toBe(true);
  });

  it('pushes nothing when iocPushOnResolve is off (the default)', async () => {
    const { h, service, incident } = await withIncident();
    await resolve(service, incident.number);
    expect(h.sim.iocs()).toEqual([]);
    expect((await service.getIncident(incident.number)).iocs.every((i) => i.pushedId === null)).toBe(true);
  });
});
