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

export async function startDemo(app: App, options: { devices?: number; seed?: number; faults?: string } = {}): Promise<Demo> {
  const faults = options.faults ?? process.env[DEMO_FAULTS_ENV] ?? '';
  const simulator = await startSimulator({ devices: options.devices ?? 500, seed: options.seed ?? 7, latencyMs: 15, faults });
  const intune = await startIntuneSimulator({ fleet: simulator.fleet, latencyMs: 15 });
  const { falcon, sentinelOne } = simulator.credentials;
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
  const intune = byKind.get('intune');
  const drafts = [
    zta && { name: 'ZTA overall score at least 70', providerId: zta, enabled: true, rule: { attribute: 'overall', operator: '>=', value: 70 } },
    zta && { name: 'Sensor seen within 24 hours', providerId: zta, enabled: true, rule: { attribute: 'last_seen', within: '24h' } },
    s1 && { name: 'Not infected', providerId: s1, enabled: true, rule: { attribute: 'infected', expected: false } },
    s1 && { name: 'Agent connected', providerId: s1, enabled: true, rule: { attribute: 'network_status', accepted: ['connected'] } },
    intune && { name: 'Intune compliant', providerId: intune, enabled: true, rule: { attribute: 'complianceState', accepted: ['compliant'] } },
    intune && { name: 'Disk encrypted', providerId: intune, enabled: true, rule: { attribute: 'isEncrypted', expected: true } },
  ];
  for (const draft of drafts) if (draft) await app.handlers['checks.save'](draft as never);
}
