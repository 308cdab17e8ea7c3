// Containment against the simulator: a rule's auto_contain_host only acts with the safety switch on;
// manual contain and lift; every outcome, refusals included, on the timeline.
import { afterEach, describe, expect, it } from 'vitest';
import { allIncidents, ruleSetOf, startHarness, type Harness } from './test-harness.testkit';

const containRules = ruleSetOf({
  detection_rules: [
    {
      condition: 'severity >= 80',
      action: 'create_incident',
      priority: 'P1',
      assignment_group: 'Security Operations',
      category: 'security',
      auto_contain_host: true,
    },
    { condition: 'severity >= 1', action: 'create_incident', priority: 'P3' },
  ],
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

const hostStatus = (h: Harness, deviceId: string | null) => h.sim.fleet.device(deviceId ?? '')?.status;

describe('automatic containment', () => {
  it('is skipped while the safety switch is off (the default), and the timeline says why', async () => {
    const h = await start();
    const service = h.service({ ruleSet: () => containRules });
    expect(await service.getContainmentSettings()).toEqual({ autoContainEnabled: false, changedBy: null, changedAt: null });
    h.sim.addAlerts(1, { severity: 95 });
    await service.pollNow(h.config.id);
    const detail = await service.getIncident('INC0000001');
    expect(detail).toMatchObject({ autoContain: true, containment: 'skipped' });
    expect(detail.timeline.find((e) => e.kind === 'containment_skipped')?.message).toMatch(
      /skipped: rule 1 "Rule 1" asks for it, but the containment safety switch is off/,
    );
    expect(hostStatus(h, detail.hostDeviceId)).toBe('normal');
    expect(h.sim.stats().byRoute['POST /devices/entities/devices-actions/v2']).toBeUndefined();
  });

  it('contains the host once the switch is on, recording Falcon’s 202 and the pending state', async () => {
    const h = await start();
    const service = h.service({ ruleSet: () => containRules });
    expect(await service.setContainmentSettings({ autoContainEnabled: true, actor: 'alice' })).toMatchObject({ autoContainEnabled: true, changedBy: 'alice' });
    h.sim.addAlerts(1, { severity: 95 });
    h.sim.addAlerts(1, { severity: 40 });
    await service.pollNow(h.config.id);
    const [contained, other] = await Promise.all(['INC0000001', 'INC0000002'].map((n) => service.getIncident(n)));
    const auto = [contained, other].find((i) => i?.autoContain);
    const plain = [contained, other].find((i) => !i?.autoContain);
    expect(auto).toMatchObject({ containment: 'requested' });
    expect(auto?.timeline.find((e) => e.kind === 'containment_requested')).toMatchObject({
      actor: 'system',
      message: expect.stringContaining('Falcon accepted it (HTTP 202); containment_pending until the sensor confirms'),
      data: { result: 'accepted', hostStatus: 'containment_pending' },
    });
    expect(auto?.host?.fields.containment_status).toBe('containment_pending');
    expect(['containment_pending', 'contained']).toContain(hostStatus(h, auto?.hostDeviceId ?? null));
    expect(plain).toMatchObject({ autoContain: false, containment: 'none' });
  });

  it('is decided once: a later poll does not contain again', async () => {
    const h = await start();
    const service = h.service({ ruleSet: () => containRules });
    await service.setContainmentSettings({ autoContainEnabled: true, actor: 'alice' });
    h.sim.addAlerts(1, { severity: 95 });
    await service.pollNow(h.config.id);
    await service.pollNow(h.config.id);
    expect(h.sim.stats().byRoute['POST /devices/entities/devices-actions/v2']).toBe(1);
  });
});

describe('manual containment', () => {
  it('contains and lifts from the incident, each on the timeline with who and why', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    const [incident] = await allIncidents(h.repository);
    const number = incident?.number ?? '';
    expect(await service.containment({ number, action: 'contain', actor: 'alice', reason: 'Ransomware spreading' })).toMatchObject({
      containment: 'requested',
    });
    expect(['containment_pending', 'contained']).toContain(hostStatus(h, incident?.hostDeviceId ?? null));
    expect(await service.containment({ number, action: 'lift', actor: 'bob' })).toMatchObject({ containment: 'lift_requested' });
    expect(['lift_containment_pending', 'normal']).toContain(hostStatus(h, incident?.hostDeviceId ?? null));
    const timeline = (await service.getIncident(number)).timeline.filter((e) => e.kind.startsWith('containment'));
    expect(timeline.map((e) => [e.kind, e.actor])).toEqual([
      ['containment_requested', 'alice'],
      ['containment_lifted', 'bob'],
    ]);
    expect(timeline[0]?.message).toContain('(manual: Ransomware spreading)');
  });

  it('records a refusal (no Hosts: Write scope) with the diagnosis instead of failing', async () => {
    const h = await start();
    const limited = h.limitedClient(['alerts:read', 'devices:read']);
    const service = h.service({ clientId: limited.clientId, clientSecret: limited.clientSecret });
    h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    const updated = await service.containment({ number: 'INC0000001', action: 'contain', actor: 'alice' });
    expect(updated.containment).toBe('refused');
    const refused = (await service.getIncident('INC0000001')).timeline.at(-1);
    expect(refused).toMatchObject({ kind: 'containment_refused', actor: 'alice', data: { code: 'falcon.scope_missing' } });
    expect(refused?.message).toContain('Hosts: Write');
  });
});
