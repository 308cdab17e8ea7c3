// A well-formed request for each contract channel, given the ids of real records. The fuzz suite mutates
// them into hostile ones; the custody suite drives every channel with them. A channel missing here is
// still fuzzed with schema-agnostic payloads (and the suites say so).

export interface SampleIds {
  providerId: string;
  integrationId: string;
  incidentNumber: string;
  iocId: string;
  deviceKey: string;
  checkId: string;
  exportId: string;
  userId: string;
  sinkId: string;
}

export const placeholderIds: SampleIds = {
  providerId: 'provider-1',
  integrationId: 'integration-1',
  incidentNumber: 'INC0000001',
  iocId: 'ioc-1',
  deviceKey: 'serial:ABC123',
  checkId: 'check-1',
  exportId: 'export-1',
  userId: 'user-1',
  sinkId: 'sink-1',
};

const ruleSet = {
  rules: [
    { id: 'r1', name: 'Critical', condition: "severity >= 80 OR tactic IN ('Execution', 'Impact')", action: 'create_incident', priority: 'P1' },
    { id: 'r2', name: 'Rest', condition: 'severity < 80', action: 'log_only' },
  ],
};

const iocInput = {
  type: 'sha256',
  value: 'b'.repeat(64),
  action: 'prevent',
  severity: 'high',
  platforms: ['windows'],
  description: 'sample',
  expiration_days: 30,
};

export function sampleRequests(ids: SampleIds = placeholderIds): Record<string, unknown> {
  return {
    'app.info': {},
    'settings.get': {},
    'settings.update': { theme: 'dark' },
    'preferences.get': {},
    'preferences.update': { retentionDays: 45 },
    'config.export': {},
    'config.import': { text: '{}' },
    'providers.list': {},
    'providers.save': { kind: 'sentinelone', name: 'S1 sample', apiUrl: 'http://127.0.0.1:9', apiToken: 'sample-token-0000' },
    'providers.remove': { id: ids.providerId },
    'providers.test': { id: ids.providerId },
    'checks.list': {},
    'checks.save': { name: 'Overall 70', providerId: ids.providerId, rule: { attribute: 'overall', operator: '>=', value: 70 } },
    'checks.remove': { id: ids.checkId },
    'checks.whatIf': { draft: { name: 'Draft', providerId: ids.providerId, rule: { attribute: 'overall', operator: '>=', value: 90 } } },
    'devices.list': { limit: 5 },
    'devices.get': { key: ids.deviceKey },
    'posture.status': {},
    'posture.pollNow': { providerId: ids.providerId },
    'posture.cancel': { providerId: ids.providerId },
    'posture.pause': {},
    'posture.resume': {},
    'postureLog.query': { view: 'latest', limit: 10 },
    'postureLog.count': { view: 'changes' },
    'postureLog.export': { filter: { view: 'latest' } },
    'postureLog.cancelExport': { exportId: ids.exportId },
    'dashboard.summary': {},
    'coverage.summary': {},
    'coverage.query': { filter: { presentIn: ids.providerId }, offset: 0, limit: 50 },
    'coverage.export': { filter: { presentIn: ids.providerId } },
    'rules.get': {},
    'rules.save': ruleSet,
    'rules.check': { condition: 'severity >= 80' },
    'rules.complete': { condition: 'sev', offset: 3 },
    'rules.fields': {},
    'rules.import': { text: JSON.stringify({ detection_rules: [{ condition: 'severity >= 50', action: 'log_only' }] }) },
    'rules.export': { ruleSet },
    'rules.dryRun': { integrationId: ids.integrationId, ruleSet, count: 5 },
    'rules.backTest': { ruleSet, from: '2026-11-01T00:00:00Z', to: '2026-11-30T00:00:00Z' },
    'rules.cancel': { runId: '8f14e45f-ceea-467f-a0e6-7e8b1c9d0a11' },
    'incidents.list': {},
    'incidents.get': { number: ids.incidentNumber },
    'incidents.changeState': { number: ids.incidentNumber, to: 'in_progress', actor: 'tester' },
    'incidents.addNote': { number: ids.incidentNumber, actor: 'tester', text: 'looked at it' },
    'incidents.containment': { number: ids.incidentNumber, action: 'contain', actor: 'tester', reason: 'sample' },
    'incidents.retryEnrichment': { number: ids.incidentNumber },
    'incidents.attachIoc': { number: ids.incidentNumber, actor: 'tester', input: { ...iocInput, value: 'c'.repeat(64) } },
    'incidents.exportCsv': {},
    'incidents.alertLog': { limit: 10 },
    'incidents.pollerStatus': {},
    'incidents.pollNow': { integrationId: ids.integrationId },
    'incidents.cancelPoll': { integrationId: ids.integrationId },
    'incidents.enrichment.get': {},
    'incidents.enrichment.set': { mapping: { hostname: 'device.hostname', platform: 'device.platform_name' } },
    'incidents.containmentSettings.get': {},
    'incidents.containmentSettings.set': { autoContainEnabled: false, actor: 'tester' },
    'iocs.list': {},
    'iocs.push': { integrationId: ids.integrationId, actor: 'tester', input: iocInput },
    'iocs.delete': { id: ids.iocId, actor: 'tester' },
    'users.list': {},
    'users.get': { userId: ids.userId },
    'users.reset': { userId: ids.userId, actor: 'tester', reason: 'false positive' },
    'users.behaviors.get': {},
    'users.behaviors.set': {
      behaviors: {
        s1_threat: { enabled: true, level: 'high' },
        falcon_alert: { enabled: true, level: 'medium', minSeverity: 70 },
        posture_check_failing: { enabled: false, level: 'low', checkId: null, minutes: 1440 },
        windowDays: 7,
      },
    },
    'users.exportCsv': {},
    'sinks.list': {},
    'sinks.save': { kind: 'syslog', name: 'Sample syslog', host: '127.0.0.1', port: 9, transport: 'tcp', events: ['audit'] },
    'sinks.remove': { id: ids.sinkId },
    'sinks.test': { id: ids.sinkId },
    'sinks.status': { id: ids.sinkId },
    'sinks.deadLetters': { id: ids.sinkId },
    'sinks.retryDeadLetters': { id: ids.sinkId },
    'sinks.discardDeadLetters': { id: ids.sinkId, eventIds: ['audit:1'] },
    'audit.query': { limit: 20, search: 'provider' },
    'audit.verify': {},
    'audit.export': { surface: 'web' },
  };
}
