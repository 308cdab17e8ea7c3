// The product's real flows against a loopback simulator that records every answer: Test of each provider,
// posture polls (Falcon ZTA, SentinelOne, Jamf Pro, Kandji and the custom endpoint), a detections poll, IOC push,
// list and delete, and containment of an incident's host. The recorded endpoints are the list the spec-generated
// tests walk; the recorded answers are what the simulator-conformance test checks against the spec.
import { startSimulator, type SimExchange, type Simulator, type SimulatorOptions } from '../../../sim';
import { startIntuneSimulator, type IntuneSimulator } from '../../../sim/intune/server';
import { call, startApp } from '../harness';

export interface RecordedFlows {
  exchanges: SimExchange[];
  /** `provider METHOD /path` of every endpoint the product called, with the statuses it got. */
  endpoints: Map<string, { provider: SimExchange['provider']; method: string; apiPath: string; statuses: Set<number> }>;
}

export const endpointKey = (e: Pick<SimExchange, 'provider' | 'method' | 'apiPath'>) => `${e.provider} ${e.method} ${e.apiPath}`;

/** Runs the flows; `simOptions` lets a caller add faults (the real-world variance one, say). */
export async function recordProductFlows(simOptions: SimulatorOptions = {}): Promise<RecordedFlows> {
  const exchanges: SimExchange[] = [];
  const sim = await startSimulator({ devices: 60, seed: 11, ...simOptions, onExchange: (e) => exchanges.push(e) });
  // Intune's Graph over the same fleet, recorded the same way.
  const intune = await startIntuneSimulator({ fleet: sim.fleet, pageSize: 25, onExchange: (e) => exchanges.push(e) });
  const { app, close } = await startApp();
  try {
    await runFlows(sim, app);
    await runIntuneFlows(intune, app);
  } finally {
    await close();
    await intune.close();
    await sim.close();
  }
  const endpoints: RecordedFlows['endpoints'] = new Map();
  for (const e of exchanges) {
    const key = endpointKey(e);
    const entry = endpoints.get(key) ?? { provider: e.provider, method: e.method, apiPath: e.apiPath, statuses: new Set<number>() };
    entry.statuses.add(e.status);
    endpoints.set(key, entry);
  }
  return { exchanges, endpoints };
}

type App = Awaited<ReturnType<typeof startApp>>['app'];

/** Test, a check and a poll of an Intune source (paged: the simulator answers 25 devices a page here). */
async function runIntuneFlows(sim: IntuneSimulator, app: App): Promise<void> {
  const { tenantId, clientId, clientSecret } = sim.credentials;
  const saved = await call(app, 'providers.save', {
    kind: 'intune',
    name: 'Intune',
    tenantId,
    clientId,
    clientSecret,
    cloud: 'custom',
    loginUrl: sim.url,
    graphUrl: sim.url,
  });
  await call(app, 'providers.test', { id: saved.config.id });
  await call(app, 'checks.save', { name: 'Compliant', providerId: saved.config.id, rule: { attribute: 'complianceState', accepted: ['compliant'] } });
  await call(app, 'posture.pollNow', { providerId: saved.config.id });
}

async function runFlows(sim: Simulator, app: App): Promise<void> {
  const { falcon, sentinelOne } = sim.credentials;
  const zta = await call(app, 'providers.save', {
    kind: 'crowdstrike-zta',
    name: 'ZTA',
    clientId: falcon.clientId,
    clientSecret: falcon.clientSecret,
    customerId: falcon.customerId,
    region: 'custom',
    baseUrl: sim.url,
  });
  const s1 = await call(app, 'providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: sentinelOne.apiToken });
  const detections = await call(app, 'providers.save', {
    kind: 'crowdstrike-falcon-incidents',
    name: 'Detections',
    clientId: falcon.clientId,
    clientSecret: falcon.clientSecret,
    region: 'custom',
    baseUrl: sim.url,
    hostEnrichment: true,
  });
  const [ztaId, s1Id, integrationId] = [zta.config.id, s1.config.id, detections.config.id];
  const { jamf, kandji } = sim.credentials;
  const jamfSource = await call(app, 'providers.save', {
    kind: 'jamf',
    name: 'Jamf',
    serverUrl: sim.jamfUrl,
    clientId: jamf.clientId,
    clientSecret: jamf.clientSecret,
  });
  const kandjiSource = await call(app, 'providers.save', { kind: 'kandji', name: 'Kandji', apiUrl: sim.kandjiUrl(), apiToken: kandji.apiToken });
  for (const id of [jamfSource.config.id, kandjiSource.config.id]) await call(app, 'providers.test', { id });
  await call(app, 'checks.save', { name: 'FileVault', providerId: jamfSource.config.id, rule: { attribute: 'fileVault2Status', accepted: ['ALL_ENCRYPTED'] } });
  await call(app, 'checks.save', { name: 'Agent', providerId: kandjiSource.config.id, rule: { attribute: 'agent_installed', expected: true } });
  for (const providerId of [jamfSource.config.id, kandjiSource.config.id]) await call(app, 'posture.pollNow', { providerId });

  for (const id of [ztaId, s1Id, integrationId]) await call(app, 'providers.test', { id });
  await call(app, 'checks.save', { name: 'ZTA 60', providerId: ztaId, rule: { attribute: 'overall', operator: '>=', value: 60 } });
  await call(app, 'checks.save', { name: 'Online', providerId: ztaId, rule: { attribute: 'state', accepted: ['online'] } });
  await call(app, 'checks.save', { name: 'Clean', providerId: s1Id, rule: { attribute: 'infected', expected: false } });
  for (const providerId of [ztaId, s1Id]) await call(app, 'posture.pollNow', { providerId });

  // The custom endpoint scores the devices the polls above reported: its Test (an empty batch) and a poll.
  const custom = await call(app, 'providers.save', {
    kind: 'custom',
    name: 'Custom',
    url: sim.customUrl,
    auth: 'bearer',
    secret: sim.credentials.custom.bearerToken,
  });
  await call(app, 'providers.test', { id: custom.config.id });
  await call(app, 'checks.save', { name: 'Score 60', providerId: custom.config.id, rule: { attribute: 'score', operator: '>=', value: 60 } });
  await call(app, 'posture.pollNow', { providerId: custom.config.id });

  sim.addAlerts(4, { severity: 95 });
  await call(app, 'incidents.pollNow', { integrationId });
  await call(app, 'rules.dryRun', { integrationId, ruleSet: await call(app, 'rules.get', {}), count: 5 });

  const pushed = await call(app, 'iocs.push', {
    integrationId,
    actor: 'tester',
    input: { type: 'domain', value: 'flows.example', action: 'detect', severity: 'high', platforms: ['windows'] },
  });
  await call(app, 'iocs.list', {});
  if (pushed.status === 'created') await call(app, 'iocs.delete', { id: pushed.ioc.id, actor: 'tester' });

  const incident = (await call(app, 'incidents.list', {})).items[0];
  if (incident) {
    await call(app, 'incidents.containment', { number: incident.number, action: 'contain', actor: 'tester', reason: 'flows' });
    await call(app, 'incidents.containment', { number: incident.number, action: 'lift', actor: 'tester', reason: 'flows' });
  }
}
