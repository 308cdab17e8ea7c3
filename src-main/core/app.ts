// Composition root: builds the services from injected adapters and returns the handler table the
// transports bind, plus the event bus they forward. The only place core modules meet.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { EventPayload, Handlers } from '../../src-shared/contract';
import type { ForwardEvent } from '../../src-shared/schemas/forward';
import { UserQuery } from '../../src-shared/schemas/users';
import type { AppInfo } from '../../src-shared/schemas/app';
import { auditedHandlers } from './audit/audited-handlers';
import { createDescribers } from './audit/describers';
import { auditForwardEvent } from './audit/forward';
import { startAuditRetention } from './audit/retention';
import { createAuditTrail, type AuditTrail } from './audit/trail';
import { trailStore } from './audit/trail-store';
import { createConfigTransfer } from './config-transfer';
import { writeCoverageCsv } from './coverage/csv';
import { createCoverage, type Coverage } from './coverage/gaps';
import { Connections, type ProviderTester } from './connections/service';
import { EventBus } from './events';
import { createExportJobs, type ExportDestination, type ExportJobs } from './export/jobs';
import { createPartialJournal, type PartialJournal } from './export/partial-journal';
import { silentLogger, type Logger } from './log';
import { createCheckService } from './posture/checks';
import { createPollHistory } from './posture/history';
import { createInventory } from './posture/current-inventory';
import { createPostureRuntime, isPostureProvider } from './posture/runtime';
import type { PowerEvents, SchedulerTimers } from './posture/scheduler';
import { whatIf } from './posture/what-if';
import { validateCheck } from './posture/checks';
import { defaultRuleSet } from './incidents/default-rules';
import { createCancellableRuns } from './cancellable-runs';
import { createRuleHandlers } from './incidents/rule-handlers';
import { IncidentService } from './incidents/service';
import { storeRepository } from './incidents/store-repository';
import { createProviderClients } from './provider-clients';
import { testProvider } from './providers/diagnose';
import { createHttp, type HttpClient } from './providers/http';
import type { SettingsStore } from './settings/store';
import { startRetention } from './store/retention-timer';
import { storeWorkerFromSource } from './store-source';
import { lazyStore } from './store/lazy-store';
import { openStore, type CreateWorker, type Store } from './store/store';
import type { SecretCipher } from './vault/cipher';
import { Vault } from './vault/vault';
import { evaluateAfterPolls } from './users/poll-trigger';
import { riskStore } from './users/risk-store';
import { createUserRisk, type UserRisk } from './users/service';
import { createUserRiskWatcher, incidentCreatedEvent, incidentStateEvent } from './forward/core-events';
import { createSinkService, type SinkService } from './forward/sinks';

export interface AppDeps {
  host: AppInfo['host'];
  appVersion: string;
  dataDir: string;
  settings: SettingsStore;
  cipher: SecretCipher;
  /** Where CSV exports go: a save dialog (Electron) or the data directory (web host, CLI). */
  exportDestination: ExportDestination;
  /** Bundled builds pass electron-vite's `?nodeWorker` import; tests run the worker from source. */
  createStoreWorker?: CreateWorker;
  versions?: { electron: string | null; chromium: string | null };
  clock?: () => Date;
  logger?: Logger;
  demo?: boolean;
  /** Outgoing HTTP to the providers; tests inject one with a fake clock. */
  http?: HttpClient;
  power?: PowerEvents;
  timers?: SchedulerTimers;
  /** Forwarding retries wait at most this long (default 5 minutes); tests shorten it. */
  forwardMaxBackoffMs?: number;
  /** Start the polling timers (off for one-shot CLI commands). */
  schedule?: boolean;
}

export interface App {
  handlers: Handlers;
  events: EventBus;
  vault: Vault;
  connections: Connections;
  store: Store;
  exports: ExportJobs;
  /** Export files being written, for exports that bypass `exports` (the CLI). */
  exportJournal: PartialJournal;
  logger: Logger;
  users: UserRisk;
  sinks: SinkService;
  /** Admin actions, appended by the handler table's wrapper; `audit.appended` is emitted for each. */
  audit: AuditTrail;
  /** Starts what the first screen reads (the posture-log worker) without waiting: once a window or page is on its way. */
  warmUp(): void;
  /** Coverage gaps between the posture sources (the CLI writes their CSV directly). */
  coverage: Coverage;
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const logger = deps.logger ?? silentLogger;
  const events = new EventBus();
  const clock = deps.clock ?? (() => new Date());
  const now = () => clock().getTime();
  const vault = new Vault({
    dataDir: deps.dataDir,
    cipher: deps.cipher,
    allowUnprotected: () => deps.settings.read().allowUnprotectedSecrets,
    now: clock,
  });
  const http = deps.http ?? createHttp({ logger });
  const tester: ProviderTester = (config, t) =>
    testProvider(config, { ...t, http, clock: http.clock, onRegionDiscovered: (_region, found) => t.onRegionDiscovered(found) });

  let onProvidersChanged = (): void => {};
  const connections = new Connections({
    settings: deps.settings,
    vault,
    clock,
    tester,
    onChanged: () => {
      events.emit('providers.changed', {});
      onProvidersChanged();
    },
    onTestStep: (progress) => events.emit('providers.testProgress', progress),
  });
  const clients = createProviderClients({ http, connections });

  const checks = createCheckService({
    persistence: {
      load: () => deps.settings.read().postureChecks,
      save: (postureChecks) => deps.settings.write({ ...deps.settings.read(), postureChecks }),
    },
    providers: () => deps.settings.read().providers,
    newId: randomUUID,
    onChanged: () => events.emit('checks.changed', {}),
  });

  // The worker starts with the first read or write of the log, not with the app (see lazy-store.ts).
  const store = lazyStore(() => openStore({ file: join(deps.dataDir, 'posture-log.sqlite'), createWorker: deps.createStoreWorker ?? storeWorkerFromSource }));
  const inventory = createInventory();
  const posture = createPostureRuntime({
    connections,
    clients,
    store,
    inventory,
    history: createPollHistory(join(deps.dataDir, 'poll-history.json')),
    checks: () => checks.list(),
    now,
    logger,
    power: deps.power,
    timers: deps.timers,
    onStatus: (status) => events.emit('poll.status', status),
    onAppended: (appended) => events.emit('postureLog.appended', appended),
  });
  const coverage = createCoverage({
    inventory,
    sources: () =>
      deps.settings
        .read()
        .providers.filter(isPostureProvider)
        .map((p) => ({ providerId: p.id, name: p.name, kind: p.kind })),
  });
  const exportJournal = createPartialJournal(join(deps.dataDir, 'exports-in-progress.json'));
  const swept = exportJournal.sweep();
  if (swept.length) logger.warn({ files: swept.length }, 'removed unfinished export files left by an earlier run');
  const exports = createExportJobs({
    store,
    journal: exportJournal,
    destination: deps.exportDestination,
    providerNames: () => Object.fromEntries(deps.settings.read().providers.map((p) => [p.id, p.name])),
    now: clock,
    logger,
    onProgress: (progress) => events.emit('export.progress', progress),
  });
  const ruleSet = () => deps.settings.read().ruleSet ?? defaultRuleSet();
  const incidents = new IncidentService({
    repository: storeRepository(store),
    integrations: () =>
      deps.settings.read().providers.filter((p): p is Extract<typeof p, { kind: 'crowdstrike-falcon-incidents' }> => p.kind === 'crowdstrike-falcon-incidents'),
    clientFor: (config) => clients.falcon(config),
    ruleSet,
    emit: (event, payload) => events.emit(event, payload as never),
    now: clock,
  });
  const ruleRuns = createCancellableRuns();
  const rules = createRuleHandlers({
    ruleSet,
    runs: ruleRuns,
    save: (next) => {
      deps.settings.write({ ...deps.settings.read(), ruleSet: next });
      events.emit('rules.changed', {});
    },
    incidents,
  });

  // User risk from EDR signals: evaluated after each successful posture or alerts poll (listening before polls start).
  const users = createUserRisk({
    store: riskStore(store),
    inventory,
    checks: () => checks.list(),
    providers: () => deps.settings.read().providers,
    alertLog: (query) => incidents.alertLog(query),
    now,
    logger,
    onChanged: (change) => events.emit('users.changed', change),
  });
  events.listen(evaluateAfterPolls(() => void users.requestEvaluation()));

  // Forwarding: posture changes enter the outbox in their poll's transaction; the rest right after the event.
  const sinks = createSinkService({
    settings: deps.settings,
    vault,
    store,
    clock,
    logger,
    onChanged: () => events.emit('sinks.changed', {}),
    onTestStep: (progress) => events.emit('sinks.testProgress', progress),
    maxBackoffMs: deps.forwardMaxBackoffMs,
  });
  const forward = (produced: ForwardEvent[]) =>
    void sinks.forward(produced).catch((error: Error) => logger.warn({ error: error.message }, 'could not queue events for forwarding'));
  const userRiskWatcher = createUserRiskWatcher();
  const watchUserRisk = async () => {
    if (deps.settings.read().sinks.length === 0) return;
    const page = await users.list(UserQuery.parse({ limit: 1000 }));
    forward(userRiskWatcher.changes(page.items, clock()));
  };
  events.listen((event, payload) => {
    if (event === 'postureLog.appended') sinks.notifyAppended();
    else if (event === 'incident.created') forward([incidentCreatedEvent(payload as EventPayload<'incident.created'>)]);
    else if (event === 'incident.updated') {
      const changed = incidentStateEvent(payload as EventPayload<'incident.updated'>);
      if (changed) forward([changed]);
    } else if (event === 'users.changed') void watchUserRisk().catch(() => {});
    else if (event === 'audit.appended') forward([auditForwardEvent(payload as EventPayload<'audit.appended'>)]);
  });
  await sinks.start();
  void watchUserRisk().catch(() => {});

  onProvidersChanged = () => {
    posture.syncProviders();
    incidents.syncIntegrations();
  };
  // Without scheduling (one-shot CLI commands, tests) the timers stay paused; Poll now still works.
  if (deps.schedule === false) posture.pause();
  posture.start();
  incidents.syncIntegrations();
  if (deps.schedule !== false) incidents.start();

  const config = createConfigTransfer({
    settings: deps.settings,
    connections,
    enrichment: { get: () => incidents.getEnrichmentMapping(), set: (m) => incidents.setEnrichmentMapping(m) },
    now: clock,
  });
  const preferences = () => {
    const s = deps.settings.read();
    return {
      retentionDays: s.retentionDays,
      notifications: s.notifications,
      defaultPollInterval: s.defaultPollInterval,
      allowUnprotectedSecrets: s.allowUnprotectedSecrets,
    };
  };
  const stopRetention = deps.schedule === false ? () => {} : startRetention({ store, days: () => deps.settings.read().retentionDays, logger });

  const audit = createAuditTrail({
    store: trailStore(store),
    vault,
    now: clock,
    newId: randomUUID,
    osUser: currentUser(),
    surface: deps.host === 'electron' ? 'desktop' : deps.host,
    onAppended: (entry) => events.emit('audit.appended', entry),
    logger,
  });
  // The chain key is made (or read) before any other vault write, so no process rewrites the vault without it.
  await audit.ready();
  const stopAuditRetention = deps.schedule === false ? () => {} : startAuditRetention({ audit, days: () => deps.settings.read().retentionDays, logger });
  const providerConfig = (id: string) => deps.settings.read().providers.find((p) => p.id === id) ?? null;
  const describers = createDescribers({
    provider: providerConfig,
    check: (id) => checks.get(id) ?? null,
    ui: () => deps.settings.read().ui,
    preferences,
    configuration: () => {
      const s = deps.settings.read();
      return {
        providers: Object.fromEntries(s.providers.map((p) => [p.id, p])),
        checks: Object.fromEntries(s.postureChecks.map((c) => [c.id, c])),
        ruleSet: s.ruleSet,
        retentionDays: s.retentionDays,
      };
    },
    ruleSet,
    incident: (number) => incidents.getIncident(number),
    enrichment: () => incidents.getEnrichmentMapping(),
    containmentSettings: () => incidents.getContainmentSettings(),
    pushedIoc: async (id) => (await incidents.listPushedIocs({ includeDeleted: true })).find((i) => i.id === id) ?? null,
    behaviors: () => users.behaviors(),
    userName: async (userId) => (await users.get(userId).catch(() => null))?.user.displayName ?? null,
    sink: (id) => deps.settings.read().sinks.find((s) => s.id === id) ?? null,
  });

  const handlers: Handlers = {
    'app.info': async () => ({
      appVersion: deps.appVersion,
      host: deps.host,
      versions: {
        node: process.versions.node,
        electron: deps.versions?.electron ?? null,
        chromium: deps.versions?.chromium ?? null,
      },
      dataDir: deps.dataDir,
      user: currentUser(),
      secretStorage: await vault.info(),
      demo: deps.demo ?? false,
    }),
    'settings.get': async () => deps.settings.read().ui,
    'settings.update': async (patch) => {
      const current = deps.settings.read();
      const ui = { ...current.ui, ...patch };
      deps.settings.write({ ...current, ui });
      events.emit('settings.changed', ui);
      return ui;
    },
    'preferences.get': async () => preferences(),
    'preferences.update': async (patch) => {
      deps.settings.write({ ...deps.settings.read(), ...patch });
      return preferences();
    },
    'config.export': async () => ({ text: await config.exportText() }),
    'config.import': ({ text }) => config.importText(text),

    'providers.list': async () => connections.list(),
    'providers.save': (input) => connections.save(input),
    'providers.remove': async ({ id }) => {
      const removed = connections.remove(id);
      if (removed) {
        clients.forget(id);
        for (const check of checks.list(id)) checks.remove(check.id);
      }
      return { removed };
    },
    'providers.test': ({ id }) => connections.test(id),

    'checks.list': async ({ providerId }) => checks.list(providerId),
    'checks.save': async (input) => checks.save(input),
    'checks.remove': async ({ id }) => ({ removed: checks.remove(id) }),
    'checks.whatIf': async ({ draft, limit }) => {
      const valid = validateCheck(draft, deps.settings.read().providers, checks.list());
      const names = new Map(deps.settings.read().providers.map((p) => [p.id, p.name]));
      return whatIf({
        draft: valid,
        saved: valid.id ? (checks.get(valid.id) ?? null) : null,
        match: inventory.match(),
        now: now(),
        limit,
        sourceNames: (id) => names.get(id),
      });
    },

    'devices.list': async (query) => posture.devices(query),
    'devices.get': async ({ key }) => posture.device(key),

    'posture.status': async () => posture.statuses(),
    'posture.pollNow': async ({ providerId }) => {
      connections.get(providerId);
      return posture.pollNow(providerId);
    },
    'posture.cancel': async ({ providerId }) => ({ cancelled: posture.cancel(providerId) }),
    'posture.pause': async ({ providerId }) => {
      posture.pause(providerId);
      return posture.statuses();
    },
    'posture.resume': async ({ providerId }) => {
      posture.resume(providerId);
      return posture.statuses();
    },

    'postureLog.query': (query) => store.queryLog(query),
    'postureLog.count': async (filter) => ({ count: await store.countLog(filter) }),
    'postureLog.export': (request) => exports.start(request),
    'postureLog.cancelExport': async ({ exportId }) => ({ cancelled: exports.cancel(exportId) }),

    'coverage.summary': async () => coverage.summary(),
    'coverage.query': async (query) => coverage.query(query),
    'coverage.export': async ({ filter }) => {
      const selection = coverage.select(filter);
      const sourceNames = Object.fromEntries(deps.settings.read().providers.map((p) => [p.id, p.name]));
      return exports.startWriting('coverage', (target) =>
        writeCoverageCsv({
          coverage,
          selection,
          sourceNames,
          sink: target.file,
          fileMode: target.fileMode,
          signal: target.signal,
          onProgress: target.onProgress,
        }),
      );
    },

    'dashboard.summary': async () => ({ ...(await posture.dashboard()), usersByRisk: await users.counts() }),

    ...rules,

    'incidents.list': (q) => incidents.listIncidents(q),
    'incidents.get': ({ number }) => incidents.getIncident(number),
    'incidents.changeState': (c) => incidents.changeState(c),
    'incidents.addNote': (n) => incidents.addNote(n),
    'incidents.containment': (c) => incidents.containment(c),
    'incidents.retryEnrichment': ({ number }) => incidents.retryEnrichment(number),
    'incidents.attachIoc': (r) => incidents.attachIoc(r),
    'incidents.exportCsv': async (filter) => ({ csv: await incidents.exportCsv(filter) }),
    'incidents.alertLog': (q) => incidents.alertLog(q),
    'incidents.pollerStatus': () => incidents.pollerStatus(),
    'incidents.pollNow': ({ integrationId }) => {
      connections.get(integrationId);
      return incidents.pollNow(integrationId);
    },
    'incidents.cancelPoll': async ({ integrationId }) => {
      connections.get(integrationId);
      return { cancelled: incidents.cancelPoll(integrationId) };
    },
    'incidents.enrichment.get': () => incidents.getEnrichmentMapping(),
    'incidents.enrichment.set': ({ mapping }) => incidents.setEnrichmentMapping(mapping),
    'incidents.containmentSettings.get': () => incidents.getContainmentSettings(),
    'incidents.containmentSettings.set': (s) => incidents.setContainmentSettings(s),

    'iocs.list': (q) => incidents.listPushedIocs(q),
    'iocs.push': (r) => incidents.pushIoc(r),
    'iocs.delete': (r) => incidents.deleteIoc(r),

    'users.list': (query) => users.list(query),
    'users.get': ({ userId }) => users.get(userId),
    'users.reset': (request) => users.reset(request),
    'users.behaviors.get': () => users.behaviors(),
    'users.behaviors.set': ({ behaviors }) => users.setBehaviors(behaviors),
    'users.exportCsv': async (filter) => ({ csv: await users.exportCsv(filter) }),

    'sinks.list': () => sinks.list(),
    'sinks.save': (input) => sinks.save(input),
    'sinks.remove': async ({ id }) => ({ removed: await sinks.remove(id) }),
    'sinks.test': ({ id }) => sinks.test(id),
    'sinks.status': ({ id }) => sinks.status(id),
    'sinks.deadLetters': ({ id, limit }) => sinks.deadLetters(id, limit),
    'sinks.retryDeadLetters': async ({ id, eventIds }) => ({ count: await sinks.retryDeadLetters(id, eventIds ?? null) }),
    'sinks.discardDeadLetters': async ({ id, eventIds }) => ({ count: await sinks.discardDeadLetters(id, eventIds ?? null) }),
    'audit.query': (q) => audit.query(q),
    'audit.verify': () => audit.verify(),
    'audit.export': async (filter) => ({ csv: await audit.exportCsv(filter) }),
  };

  return {
    handlers: auditedHandlers(handlers, describers, audit, logger),
    events,
    vault,
    connections,
    store,
    exports,
    exportJournal,
    logger,
    users,
    sinks,
    audit,
    warmUp: () => store.start(),
    coverage,
    async close() {
      stopRetention();
      stopAuditRetention();
      exports.close();
      ruleRuns.cancelAll();
      // Finish (or roll back) the running poll before the store closes under it.
      await posture.stop();
      await incidents.close();
      await users.settled();
      await sinks.stop();
      await store.close();
      if (!deps.http) await http.close();
    },
  };
}

function currentUser(): string {
  try {
    return userInfo().username || 'admin';
  } catch {
    return 'admin';
  }
}
