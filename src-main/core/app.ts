// Composition root: builds the services from injected adapters and returns the handler table the
// transports bind, plus the event bus they forward. The only place core modules meet.
import type { Handlers } from '../../src-shared/contract';
import type { AppInfo } from '../../src-shared/schemas/app';
import { Connections, type ProviderTester } from './connections/service';
import { EventBus } from './events';
import { silentLogger, type Logger } from './log';
import { testProvider } from './providers/diagnose';
import { createHttp, type HttpClient } from './providers/http';
import type { SettingsStore } from './settings/store';
import type { SecretCipher } from './vault/cipher';
import { Vault } from './vault/vault';

export interface AppDeps {
  host: AppInfo['host'];
  appVersion: string;
  dataDir: string;
  settings: SettingsStore;
  cipher: SecretCipher;
  versions?: { electron: string | null; chromium: string | null };
  clock?: () => Date;
  logger?: Logger;
  demo?: boolean;
  /** Outgoing HTTP to the providers; tests inject one with a fake clock. */
  http?: HttpClient;
}

export interface App {
  handlers: Handlers;
  events: EventBus;
  vault: Vault;
  connections: Connections;
  logger: Logger;
  close(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const logger = deps.logger ?? silentLogger;
  const events = new EventBus();
  const clock = deps.clock ?? (() => new Date());
  const vault = new Vault({
    dataDir: deps.dataDir,
    cipher: deps.cipher,
    allowUnprotected: () => deps.settings.read().allowUnprotectedSecrets,
    now: clock,
  });
  const http = deps.http ?? createHttp({ logger });
  const tester: ProviderTester = (config, t) =>
    testProvider(config, { ...t, http, clock: http.clock, onRegionDiscovered: (region) => t.onRegionDiscovered(region) });
  const connections = new Connections({
    settings: deps.settings,
    vault,
    clock,
    tester,
    onChanged: () => events.emit('providers.changed', {}),
    onTestStep: (progress) => events.emit('providers.testProgress', progress),
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
    'providers.list': async () => connections.list(),
    'providers.save': (input) => connections.save(input),
    'providers.remove': async ({ id }) => ({ removed: connections.remove(id) }),
    'providers.test': ({ id }) => connections.test(id),
  };

  return {
    handlers,
    events,
    vault,
    connections,
    logger,
    async close() {
      if (!deps.http) await http.close();
    },
  };
}
