// Incidents as values and through the repository: numbering, the state machine, aggregate linking.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../src-shared/errors';
import { formatIncidentNumber, type IncidentState } from '../../../src-shared/schemas/incidents';
import { compileOrThrow } from './compiled-rules';
import type { IncidentRepository } from './operations';
import { routeAlert } from './poller';
import { seedRuleSet, testBackends, type TestDatabase } from './test-harness.testkit';

const rules = compileOrThrow(seedRuleSet, 'seed');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute)).toISOString();

function alert(n: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    composite_id: `cid:ind:aid${n}:${n}`,
    aggregate_id: `aggind:aid${n}:${n}`,
    created_timestamp: at(n % 60),
    severity: 85,
    tactic: 'Execution',
    display_name: `Detection ${n}`,
    device: { device_id: `${String(n).padStart(32, 'a')}`, hostname: `WS-${n}` },
    ...fields,
  };
}

let db: TestDatabase;
let createRepository: () => Promise<IncidentRepository>;

async function seeded(count = 1) {
  const repository = await createRepository();
  const alerts = Array.from({ length: count }, (_, i) => routeAlert(rules, alert(i + 1), Date.now()));
  await repository.commitPoll({ integrationId: 'i', at: at(0), hostEnrichment: false, alerts, cursor: null, horizonKey: null });
  return repository;
}

async function rejection(promise: Promise<unknown>): Promise<ContractError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe.each(testBackends)('$name', (backend) => {
  beforeEach(() => {
    db = backend.create();
    createRepository = () => db.open();
  });
  afterEach(() => db.dispose());

  describe('numbers', () => {
    it('are INC and seven digits, growing past seven when they must', () => {
      expect(formatIncidentNumber(1)).toBe('INC0000001');
      expect(formatIncidentNumber(1234)).toBe('INC0001234');
      expect(formatIncidentNumber(12_345_678)).toBe('INC12345678');
    });

    it('are never handed out again, even after an operation that failed half-way', async () => {
      const repository = await seeded(2);
      const bad = routeAlert(rules, alert(3), Date.now());
      // An incident change for a number that does not exist fails the whole operation.
      await expect(
        repository.amendIncidents({
          at: at(1),
          changes: [
            { number: 'INC0000001', timeline: [] },
            { number: 'INC0000099', timeline: [] },
          ],
        }),
      ).rejects.toMatchObject({
        code: 'incident.not_found',
      });
      await repository.commitPoll({ integrationId: 'i', at: at(2), hostEnrichment: false, alerts: [bad], cursor: null, horizonKey: null });
      const page = await repository.listIncidents({ limit: 10, offset: 0 });
      expect(page.items.map((i) => i.number)).toEqual(['INC0000003', 'INC0000002', 'INC0000001']);
    });
  });

  describe('state machine', () => {
    it('moves New → In Progress → Resolved → Closed, stamping each step and recording who and why', async () => {
      const repository = await seeded();
      const step = (to: IncidentState, minute: number, reason?: string) =>
        repository.changeState({ number: 'INC0000001', to, actor: 'alice', reason, at: at(minute) });
      expect(await step('in_progress', 5)).toMatchObject({ state: 'in_progress', inProgressAt: at(5), resolvedAt: null });
      expect(await step('resolved', 6, 'Reimaged the host')).toMatchObject({ state: 'resolved', resolvedAt: at(6) });
      expect(await step('closed', 7)).toMatchObject({ state: 'closed', closedAt: at(7), inProgressAt: at(5), resolvedAt: at(6) });
      const { timeline } = await repository.incidentDetail('INC0000001');
      expect(timeline.filter((e) => e.kind === 'state_changed').map((e) => [e.actor, e.message, e.at])).toEqual([
        ['alice', 'New → In Progress', at(5)],
        ['alice', 'In Progress → Resolved: Reimaged the host', at(6)],
        ['alice', 'Resolved → Closed', at(7)],
      ]);
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    });

    it.each([
      ['new', 'resolved', 'INC0000001 is New; it can move to In Progress, not Resolved.'],
      ['new', 'closed', 'INC0000001 is New; it can move to In Progress, not Closed.'],
      ['new', 'new', 'INC0000001 is already New.'],
    ] as const)('rejects %s → %s with a clear error and changes nothing', async (_from, to, message) => {
      const repository = await seeded();
      const error = await rejection(repository.changeState({ number: 'INC0000001', to, actor: 'alice', reason: 'x', at: at(1) }));
      expect(error).toMatchObject({ code: 'incident.illegal_transition', message });
      expect(error.fix).toBeTruthy();
      const detail = await repository.incidentDetail('INC0000001');
      expect(detail.state).toBe('new');
      expect(detail.timeline.some((e) => e.kind === 'state_changed')).toBe(false);
    });

    it('treats Closed as final', async () => {
      const repository = await seeded();
      for (const [to, reason] of [['in_progress'], ['resolved', 'done'], ['closed']] as const)
        await repository.changeState({ number: 'INC0000001', to, actor: 'a', reason, at: at(1) });
      for (const to of ['new', 'in_progress', 'resolved'] as const)
        expect(await rejection(repository.changeState({ number: 'INC0000001', to, actor: 'a', reason: 'again', at: at(2) }))).toMatchObject({
          code: 'incident.illegal_transition',
          message: expect.stringContaining('which is final'),
        });
    });

    it('needs a reason to resolve or reopen, and reopening clears the resolution', async () => {
      const repository = await seeded();
      await repository.changeState({ number: 'INC0000001', to: 'in_progress', actor: 'a', at: at(1) });
      const missing = await rejection(repository.changeState({ number: 'INC0000001', to: 'resolved', actor: 'a', reason: '  ', at: at(2) }));
      expect(missing).toMatchObject({ code: 'incident.reason_required', issues: [{ path: 'reason' }] });
      await repository.changeState({ number: 'INC0000001', to: 'resolved', actor: 'a', reason: 'Blocked the hash', at: at(2) });
      expect(await rejection(repository.changeState({ number: 'INC0000001', to: 'in_progress', actor: 'b', at: at(3) }))).toMatchObject({
        code: 'incident.reason_required',
      });
      const reopened = await repository.changeState({ number: 'INC0000001', to: 'in_progress', actor: 'b', reason: 'Beacon seen again', at: at(3) });
      expect(reopened).toMatchObject({ state: 'in_progress', resolvedAt: null, inProgressAt: at(1) });
      const { timeline } = await repository.incidentDetail('INC0000001');
      expect(timeline.at(-1)).toMatchObject({ actor: 'b', message: 'Reopened: Beacon seen again' });
    });

    it('names a missing incident', async () => {
      const repository = await seeded();
      expect(await rejection(repository.changeState({ number: 'INC0000042', to: 'in_progress', actor: 'a', at: at(1) }))).toMatchObject({
        code: 'incident.not_found',
      });
    });
  });

  describe('alerts of one Falcon detection', () => {
    it('join the open incident of their aggregate, raising its priority when a later alert is more urgent', async () => {
      const repository = await createRepository();
      const first = routeAlert(rules, alert(1, { severity: 55, tactic: 'Discovery' }), Date.now());
      const second = routeAlert(rules, alert(2, { aggregate_id: 'aggind:aid1:1', severity: 90 }), Date.now());
      const result = await repository.commitPoll({
        integrationId: 'i',
        at: at(0),
        hostEnrichment: false,
        alerts: [first, second],
        cursor: null,
        horizonKey: null,
      });
      expect(result.batch).toMatchObject({ incidentsCreated: 1, alertsLinked: 1 });
      const detail = await repository.incidentDetail('INC0000001');
      expect(detail).toMatchObject({ priority: 'P1', severity: 90, alertIds: ['cid:ind:aid1:1', 'cid:ind:aid2:2'] });
      expect(detail.timeline.map((e) => e.kind)).toEqual(['created', 'alert_linked', 'priority_raised']);
      expect(detail.alerts).toHaveLength(2);
    });

    it('open a new incident once the earlier one is resolved', async () => {
      const repository = await seeded();
      await repository.changeState({ number: 'INC0000001', to: 'in_progress', actor: 'a', at: at(1) });
      await repository.changeState({ number: 'INC0000001', to: 'resolved', actor: 'a', reason: 'ok', at: at(2) });
      const again = routeAlert(rules, alert(9, { aggregate_id: 'aggind:aid1:1' }), Date.now());
      await repository.commitPoll({ integrationId: 'i', at: at(3), hostEnrichment: false, alerts: [again], cursor: null, horizonKey: null });
      expect((await repository.incident('INC0000002')).alertIds).toEqual(['cid:ind:aid9:9']);
    });

    it('attach their file hashes as the incident IOCs', async () => {
      const repository = await createRepository();
      const withHashes = routeAlert(rules, alert(1, { sha256: 'A'.repeat(64), md5: 'b'.repeat(32) }), Date.now());
      await repository.commitPoll({ integrationId: 'i', at: at(0), hostEnrichment: false, alerts: [withHashes], cursor: null, horizonKey: null });
      expect((await repository.incidentIocs('INC0000001')).map((i) => [i.type, i.value, i.origin])).toEqual([
        ['sha256', 'a'.repeat(64), 'alert'],
        ['md5', 'b'.repeat(32), 'alert'],
      ]);
    });
  });

  it('keeps numbering across a restart over the same database', async () => {
    const repository = await seeded(2);
    await repository.changeState({ number: 'INC0000002', to: 'in_progress', actor: 'a', at: at(1) });
    const reopened = await db.reopen();
    await reopened.commitPoll({
      integrationId: 'i',
      at: at(2),
      hostEnrichment: false,
      alerts: [routeAlert(rules, alert(7), Date.now())],
      cursor: null,
      horizonKey: null,
    });
    expect((await reopened.listIncidents({ limit: 10, offset: 0 })).items.map((i) => [i.number, i.state])).toEqual([
      ['INC0000003', 'new'],
      ['INC0000002', 'in_progress'],
      ['INC0000001', 'new'],
    ]);
  });
});
