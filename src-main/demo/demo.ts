// Demo mode: the simulator in-process and one provider of each kind pointing at it, so the console
// can be explored without any credentials. Used by `serve --demo` and `npm run demo`.
import { startSimulator, type Simulator } from '../../sim';
import { startIntuneSimulator, type IntuneSimulator } from '../../sim/intune/server';
import type { App } from '../core/app';

export interface Demo {
  simulator: Simulator;
  /** Intune's sign-in and Graph over the same fleet (a share of it not enrolled, a few Intune-only devices). */
  intune: IntuneSimulator;
  close(): Promise<void>;
}

/** Simulator faults for the demo, e.g. `variance:*:20` for records shaped like a real fleet (sim/README.md). */
export const DEMO_FAULTS_ENV = 'POSTURE_CONSOLE_DEMO_FAULTS';

/** The demo's simulated fleet: the same every time, so specs can name the devices it leaves out of a source. */
export const DEMO_FLEET = { devices: 500, seed: 7 } as const;

export async function startDemo(app: App, options: { devices?: number; seed?: number; faults?: string } = {}): Promise<Demo> {
  const faults = options.faults ?? process.env[DEMO_FAULTS_ENV] ?? '';
  const simulator = await startSimulator({ devices: options.devices ?? DEMO_FLEET.devices, seed: options.seed ?? DEMO_FLEET.seed, latencyMs: 15, faults });
  const { falcon, sentinelOne, jamf, kandji, custom } = simulator.credentials;
  const intune = await startIntuneSimulator({ fleet: simulator.fleet, latencyMs: 15 });
  const existing = new Set(app.connections.list().map((p) => p.config.name));
  const seeds = [
    {
      kind: 'crowdstrike-zta' as const,
      name: 'Falcon ZTA (simulator)',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom' as const,
      baseUrl: simulator.url,
      pollInterval: '5m' as const,
    },
    { kind: 'sentinelone' as const, name: 'SentinelOne (simulator)', apiUrl: simulator.url, apiToken: sentinelOne.apiToken, pollInterval: '5m' as const },
    {
      kind: 'intune' as const,
      name: 'Intune (simulator)',
      tenantId: intune.credentials.tenantId,
      clientId: intune.credentials.clientId,
      clientSecret: intune.credentials.clientSecret,
      cloud: 'custom' as const,
      loginUrl: intune.url,
      graphUrl: intune.url,
      pollInterval: '5m' as const,
    },
    {
      kind: 'crowdstrike-falcon-incidents' as const,
      name: 'Falcon detections (simulator)',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      region: 'custom' as const,
      baseUrl: simulator.url,
      pollInterval: '5m' as const,
      hostEnrichment: true,
      iocPushOnResolve: false,
    },
    // The MDMs manage most of the simulated Macs, with deliberate gaps (sim/mdm-members.ts); the custom endpoint
    // scores the devices the other sources report.
    {
      kind: 'jamf' as const,
      name: 'Jamf Pro (simulator)',
      serverUrl: simulator.jamfUrl,
      clientId: jamf.clientId,
      clientSecret: jamf.clientSecret,
      pollInterval: '5m' as const,
    },
    { kind: 'kandji' as const, name: 'Kandji (simulator)', apiUrl: simulator.kandjiUrl(), apiToken: kandji.apiToken, pollInterval: '5m' as const },
    {
      kind: 'custom' as const,
      name: 'Custom endpoint (simulator)',
      url: simulator.customUrl,
      auth: 'bearer' as const,
      secret: custom.bearerToken,
      batchSize: 500,
      timeoutMs: 15_000,
      failClosed: true,
      pollInterval: '5m' as const,
    },
  ];
  for (const seed of seeds) {
    const current = app.connections.list().find((p) => p.config.name === seed.name);
    // A reused data directory keeps its providers; only their endpoint follows the new simulator port.
    if (existing.has(seed.name) && current) await app.connections.save({ ...seed, id: current.config.id });
    else await app.connections.save(seed);
  }
  await addDemoChecks(app);
  // Detections keep arriving, so the incidents poller has something new on every poll.
  simulator.addAlerts(12);
  const feed = setInterval(() => simulator.addAlerts(3), 60_000);
  feed.unref();
  return {
    simulator,
    intune,
    close: async () => {
      clearInterval(feed);
      await intune.close();
      return simulator.close();
    },
  };
}

/** A few checks like the ones an admin starts with, unless the data directory already has checks. */
async function addDemoChecks(app: App): Promise<void> {
  if ((await app.handlers['checks.list']({})).length > 0) return;
  const byKind = new Map(app.connections.list().map((p) => [p.config.kind, p.config.id]));
  const zta = byKind.get('crowdstrike-zta');
  const s1 = byKind.get('sentinelone');
  const jamf = byKind.get('jamf');
  const kandji = byKind.get('kandji');
  const custom = byKind.get('custom');
  const intune = byKind.get('intune');
  const drafts = [
    zta && { name: 'ZTA overall score at least 70', providerId: zta, enabled: true, rule: { attribute: 'overall', operator: '>=', value: 70 } },
    zta && { name: 'Sensor seen within 24 hours', providerId: zta, enabled: true, rule: { attribute: 'last_seen', within: '24h' } },
    s1 && { name: 'Not infected', providerId: s1, enabled: true, rule: { attribute: 'infected', expected: false } },
    s1 && { name: 'Agent connected', providerId: s1, enabled: true, rule: { attribute: 'network_status', accepted: ['connected'] } },
    jamf && { name: 'FileVault fully encrypted', providerId: jamf, enabled: true, rule: { attribute: 'fileVault2Status', accepted: ['ALL_ENCRYPTED'] } },
    jamf && { name: 'Inventory updated within 7 days', providerId: jamf, enabled: true, rule: { attribute: 'reportDate', within: '7d' } },
    kandji && { name: 'Kandji agent installed', providerId: kandji, enabled: true, rule: { attribute: 'agent_installed', expected: true } },
    custom && { name: 'Custom score at least 60', providerId: custom, enabled: true, rule: { attribute: 'score', operator: '>=', value: 60 } },
    intune && { name: 'Intune compliant', providerId: intune, enabled: true, rule: { attribute: 'complianceState', accepted: ['compliant'] } },
    intune && { name: 'Disk encrypted', providerId: intune, enabled: true, rule: { attribute: 'isEncrypted', expected: true } },
    // A policy that needs both: the Falcon sensor's machine must also be enrolled in the MDM.
    zta && intune && { name: 'Enrolled in Intune', providerId: zta, enabled: true, rule: { attribute: 'present_in', sourceId: intune } },
  ];
  for (const draft of drafts) if (draft) await app.handlers['checks.save'](draft as never);
}
