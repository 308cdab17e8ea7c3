// For tests and the bench only: the StackFlow seed's rule set, and an incident service wired to the
// simulator over loopback with an in-memory (or given) repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type FalconScope, type Simulator, type SimulatorOptions } from '../../../sim/index';
import type { Incident } from '../../../src-shared/schemas/incidents';
import type { RuleSet } from '../../../src-shared/schemas/rules';
import { createFalconClient } from '../providers/crowdstrike/client';
import { createHttp, type HttpClient } from '../providers/http';
import { createMemoryRepository } from './memory-repository.testkit';
import type { IncidentRepository } from './operations';
import type { FalconIncidentsConfig } from './poller';
import { importDetectionRules } from './rules';
import { seedDetectionRulesJson } from './default-rules';
import { storeRepository } from './store-repository';
import { storeWorkerFromSource } from '../store-source';
import { openStore, type Store } from '../store/store';
import { IncidentService, type IncidentEvents, type IncidentServiceDeps } from './service';

/** The StackFlow page's detection_rules, verbatim (the installation default). */
export const seedDetectionRules = seedDetectionRulesJson;

export function ruleSetOf(document: unknown): RuleSet {
  const imported = importDetectionRules(document);
  if (!imported.ok) throw new Error(`fixture rules do not import: ${JSON.stringify(imported.issues)}`);
  return imported.ruleSet;
}

export const seedRuleSet: RuleSet = ruleSetOf(seedDetectionRules);

export type RecordedEvent = { [E in keyof IncidentEvents]: { event: E; payload: IncidentEvents[E] } }[keyof IncidentEvents];

export interface Harness {
  sim: Simulator;
  http: HttpClient;
  config: FalconIncidentsConfig;
  /** A service over the given (default: the harness's) repository; each call is a fresh instance, like a restart. */
  service(overrides?: Partial<IncidentServiceDeps> & { config?: Partial<FalconIncidentsConfig>; clientId?: string; clientSecret?: string }): IncidentService;
  repository: IncidentRepository;
  events: RecordedEvent[];
  /** Adds a Falcon API client to the simulator holding only these scopes. */
  limitedClient(scopes: FalconScope[]): { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

let limitedClients = 0;

export async function startHarness(options: SimulatorOptions & { repository?: IncidentRepository; httpTimeoutMs?: number } = {}): Promise<Harness> {
  const { repository: given, httpTimeoutMs = 1_000, ...simOptions } = options;
  const sim = await startSimulator({ devices: 60, alerts: 0, ...simOptions });
  // Short timeouts and backoff: the retries are real, the waits small.
  const http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 5_000 }, headersTimeoutMs: httpTimeoutMs, bodyTimeoutMs: httpTimeoutMs });
  const repository = given ?? createMemoryRepository();
  const events: RecordedEvent[] = [];
  const config: FalconIncidentsConfig = {
    id: 'falcon-incidents-1',
    kind: 'crowdstrike-falcon-incidents',
    name: 'Falcon (simulator)',
    clientId: sim.credentials.falcon.clientId,
    pollInterval: '5m',
    hostEnrichment: true,
    iocPushOnResolve: false,
    region: 'custom',
    baseUrl: sim.url,
  };
  const services: IncidentService[] = [];
  return {
    sim,
    http,
    config,
    repository,
    events,
    service(overrides = {}) {
      const { config: configOverrides, clientId, clientSecret, ...deps } = overrides;
      const integration = { ...config, ...configOverrides, ...(clientId ? { clientId } : {}) };
      const service = new IncidentService({
        repository,
        integrations: () => [integration],
        clientFor: (c) =>
          createFalconClient({ baseUrl: c.baseUrl, clientId: c.clientId, getSecret: async () => clientSecret ?? sim.credentials.falcon.clientSecret, http }),
        ruleSet: () => seedRuleSet,
        emit: (event, payload) => events.push({ event, payload } as RecordedEvent),
        ...deps,
      });
      services.push(service);
      return service;
    },
    limitedClient(scopes) {
      limitedClients++;
      const client = { clientId: limitedClients.toString(16).padStart(32, 'c'), clientSecret: `limited-secret-${limitedClients}` };
      sim.addFalconClient({ ...client, scopes });
      return client;
    },
    async close() {
      await Promise.all(services.map((s) => s.close()));
      await http.close();
      await sim.close();
    },
  };
}

/** Every incident in the repository, oldest first. */
export async function allIncidents(repository: IncidentRepository): Promise<Incident[]> {
  const page = await repository.listIncidents({ limit: 1000, offset: 0 });
  return [...page.items].reverse();
}

/** A database that can be closed and opened again, as across a restart. */
export interface TestDatabase {
  open(): Promise<IncidentRepository>;
  /** Closes what `open` returned and opens the same data again (in memory the data simply lives on). */
  reopen(): Promise<IncidentRepository>;
  dispose(): Promise<void>;
}

/** Both backends, for tests that must hold for each. */
export const testBackends: readonly { name: string; create(): TestDatabase }[] = [
  {
    name: 'memory',
    create() {
      const repository = createMemoryRepository();
      return { open: async () => repository, reopen: async () => repository, dispose: async () => undefined };
    },
  },
  {
    name: 'sqlite store',
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'incidents-'));
      const file = join(dir, 'posture.db');
      let store: Store | undefined;
      let repository: IncidentRepository | undefined;
      const open = async () => {
        store ??= await openStore({ file, createWorker: storeWorkerFromSource });
        repository ??= storeRepository(store);
        return repository;
      };
      return {
        open,
        async reopen() {
          await store?.close();
          store = undefined;
          repository = undefined;
          return open();
        },
        async dispose() {
          await store?.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
