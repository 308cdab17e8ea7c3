// The service facade: listing and filtering, notes and events, dry-run over recent Falcon alerts, back-test
// over stored alerts, CSV export, and unknown integrations.
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalTimestamp } from './alert-time';
import { createMemoryRepository } from './memory-repository.testkit';
import { compileOrThrow } from './compiled-rules';
import { INCIDENT_CSV_COLUMNS } from './incident-csv';
import { routeAlert } from './poller';
import { allIncidents, ruleSetOf, seedRuleSet, startHarness, type Harness } from './test-harness.testkit';
import { IncidentService } from './service';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

describe('incident list', () => {
  it('filters by state, priority and text, pages newest first', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(4, { severity: 90 });
    h.sim.addAlerts(3, { severity: 55 });
    await service.pollNow(h.config.id);
    const all = await allIncidents(h.repository);
    const p2 = all.filter((i) => i.priority === 'P2');
    await service.changeState({ number: all[0]?.number ?? '', to: 'in_progress', actor: 'alice' });

    const page = await service.listIncidents({ limit: 3 });
    expect(page.total).toBe(all.length);
    expect(page.items.map((i) => i.number)).toEqual(
      all
        .map((i) => i.number)
        .reverse()
        .slice(0, 3),
    );
    expect((await service.listIncidents({ limit: 3, offset: 3 })).items[0]?.number).toBe(all.at(-4)?.number);
    expect((await service.listIncidents({ state: ['in_progress'] })).items.map((i) => i.number)).toEqual([all[0]?.number]);
    expect((await service.listIncidents({ priority: ['P2'] })).total).toBe(p2.length);
    const host = all[1]?.hostname ?? '';
    const byHost = await service.listIncidents({ text: host.toUpperCase() });
    expect(byHost.items.every((i) => i.hostname === host)).toBe(true);
    expect((await service.listIncidents({ text: 'INC0000002' })).items.map((i) => i.number)).toEqual(['INC0000002']);
    await expect(service.listIncidents({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: 'limit' }] });
  });

  it('adds notes to the timeline and emits incident.updated', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(1, { severity: 90 });
    await service.pollNow(h.config.id);
    h.events.length = 0;
    await service.addNote({ number: 'INC0000001', actor: 'alice', text: 'Called the user; laptop is at home.' });
    expect((await service.getIncident('INC0000001')).timeline.at(-1)).toMatchObject({
      kind: 'note',
      actor: 'alice',
      message: 'Called the user; laptop is at home.',
    });
    expect(h.events.map((e) => e.event)).toEqual(['incident.updated']);
    await expect(service.addNote({ number: 'INC0000001', actor: 'alice', text: ' ' })).rejects.toThrow('Write the note.');
  });

  it('names an unknown integration', async () => {
    const h = await start();
    const service = h.service();
    await expect(service.pollNow('nope')).rejects.toMatchObject({ code: 'integration.not_found' });
    await expect(service.pushIoc({ integrationId: 'nope', input: {}, actor: 'a' })).rejects.toMatchObject({ code: 'integration.not_found' });
  });
});

describe('dry run (Pull Recent Detections)', () => {
  it('shows which rule matched each of the newest alerts and why, and creates nothing', async () => {
    const h = await start();
    const service = h.service();
    const older = h.sim.addAlerts(5, { createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString() });
    const newer = h.sim.addAlerts(12);
    const result = await service.dryRun({ integrationId: h.config.id, ruleSet: seedRuleSet });
    expect(result.rows).toHaveLength(10);
    const newest = new Set(newer.map((a) => a.composite_id));
    expect(result.rows.every((r) => newest.has(r.alert.compositeId))).toBe(true);
    const stamps = result.rows.map((r) => canonicalTimestamp(r.alert.createdTimestamp) ?? '');
    expect([...stamps].sort().reverse()).toEqual(stamps);
    for (const row of result.rows) {
      expect(row.explanation.match).toEqual(row.match);
      expect(row.explanation.tried.at(-1)?.explanation.matched).toBe(row.match !== null);
      const severity = row.alert.severity ?? 0;
      if (severity < 50 && row.match) expect(['rule-1', 'rule-3']).toContain(row.match.ruleId);
    }
    expect(older).toHaveLength(5);
    expect((await service.listIncidents()).total).toBe(0);
    expect((await service.alertLog()).total).toBe(0);
    expect(h.events).toEqual([]);
  });

  it('says when fewer alerts exist than were asked for', async () => {
    const h = await start();
    h.sim.addAlerts(3);
    const result = await h.service().dryRun({ integrationId: h.config.id, ruleSet: seedRuleSet, count: 10 });
    expect(result.rows).toHaveLength(3);
    expect(result.note).toBe('Falcon returned 3 alerts from the last 30 days.');
  });

  it('rejects a draft that does not compile, with the rule and position', async () => {
    const h = await start();
    const draft = { rules: [{ id: 'a', name: 'a', condition: "severity >= 80 OR tactik = 'x'", action: 'create_incident' as const, priority: 'P1' as const }] };
    const error = await h
      .service()
      .dryRun({ integrationId: h.config.id, ruleSet: draft })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rules.invalid', issues: [{ path: 'rules[0].condition' }] });
  });
});

describe('back-test', () => {
  it('compares incidents per rule and priority of a draft with the saved set over stored alerts', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(20);
    await service.pollNow(h.config.id);
    const stored = await service.alertLog({ limit: 100 });
    const draft = ruleSetOf({
      detection_rules: [
        { id: 'crit', condition: 'severity >= 80', action: 'create_incident', priority: 'P1' },
        { id: 'rest', condition: 'severity >= 50', action: 'create_incident', priority: 'P3' },
      ],
    });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const result = await service.backTest({ ruleSet: draft, from, to });

    expect(result.alerts).toBe(20);
    const incidents = await allIncidents(h.repository);
    expect(result.saved.incidents).toBe(incidents.length);
    expect(result.saved.byPriority.P1).toBe(incidents.filter((i) => i.priority === 'P1').length);
    expect(result.saved.logged).toBe(stored.items.filter((e) => e.outcome === 'log_only').length);
    const severities = stored.items.map((e) => e.alert.severity ?? 0);
    expect(result.draft.rules.map((r) => [r.ruleId, r.alerts])).toEqual([
      ['crit', severities.filter((s) => s >= 80).length],
      ['rest', severities.filter((s) => s >= 50 && s < 80).length],
    ]);
    expect(result.draft.unmatched).toBe(severities.filter((s) => s < 50).length);
    expect(result.draft.byPriority).toEqual({
      P1: severities.filter((s) => s >= 80).length,
      P2: 0,
      P3: severities.filter((s) => s >= 50 && s < 80).length,
      P4: 0,
    });
    expect(result.changed).toBe(result.changes.length);
    for (const change of result.changes) expect(change.draft?.outcome).not.toEqual(change.saved?.outcome);
    // Nothing was created by the back-test.
    expect((await allIncidents(h.repository)).length).toBe(incidents.length);
  });

  it('counts nothing outside the window', async () => {
    const h = await start();
    const service = h.service();
    h.sim.addAlerts(5);
    await service.pollNow(h.config.id);
    const result = await service.backTest({ ruleSet: seedRuleSet, from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
    expect(result).toMatchObject({ alerts: 0, changed: 0, draft: { incidents: 0 } });
    await expect(service.backTest({ ruleSet: seedRuleSet, from: '2020-01-02T00:00:00Z', to: '2020-01-01T00:00:00Z' })).rejects.toThrow('after its start');
  });
});

describe('CSV export', () => {
  it('exports the filtered list with formula injection neutralized', async () => {
    const repository = createMemoryRepository();
    const rules = compileOrThrow(seedRuleSet, 'seed');
    const hostile = {
      composite_id: 'c:1',
      created_timestamp: '2026-11-25T12:00:00Z',
      severity: 90,
      display_name: '=HYPERLINK("http://evil.example","click")',
      device: { device_id: 'a'.repeat(32), hostname: '+cmd|calc' },
    };
    const plain = {
      composite_id: 'c:2',
      created_timestamp: '2026-11-25T12:01:00Z',
      severity: 55,
      display_name: 'Line one\nline "two"',
      device: { hostname: 'WS-2' },
    };
    await repository.commitPoll({
      integrationId: 'i',
      at: '2026-11-25T12:05:00.000Z',
      hostEnrichment: false,
      alerts: [routeAlert(rules, hostile, 0), routeAlert(rules, plain, 0)],
      cursor: null,
      horizonKey: null,
    });
    const service = new IncidentService({
      repository,
      integrations: () => [],
      clientFor: () => {
        throw new Error('no network');
      },
      ruleSet: () => seedRuleSet,
      emit: () => undefined,
    });

    const csv = await service.exportCsv();
    const [header, ...lines] = csv.slice(1).split('\r\n');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(header).toBe(INCIDENT_CSV_COLUMNS.join(','));
    // Newest first; a quoted cell keeps its line break and doubled quotes; formulas start with a quote.
    expect(lines[0]).toMatch(/^INC0000002,New,P2,"Line one\nline ""two"" on WS-2",WS-2,/);
    expect(lines[1]).toMatch(/^INC0000001,New,P1,"'=HYPERLINK\(""http:\/\/evil.example"",""click""\) on \+cmd\|calc",'\+cmd\|calc,a{32},/);
    expect(lines.at(-1)).toBe('');
    const p1Only = (await service.exportCsv({ priority: ['P1'] })).split('\r\n').filter(Boolean);
    expect(p1Only).toHaveLength(2);
  });
});
