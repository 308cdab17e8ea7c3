// Forwarding sinks as a service: configuration in settings, tokens in the vault, the outbox fed from the core's
// events, one delivery loop per sink, the layered Test, status and dead letters.
import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../src-shared/errors';
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import type { TestStep } from '../../../src-shared/schemas/providers';
import {
  SinkConfig,
  sinkKindTakesToken,
  type DeadLetter,
  type SinkInput,
  type SinkStatus,
  type SinkTestProgress,
  type SinkTestReport,
  type SinkView,
} from '../../../src-shared/schemas/sinks';
import type { Logger } from '../log';
import type { SettingsStore } from '../settings/store';
import type { Store } from '../store/store';
import type { Vault } from '../vault/vault';
import { createDelivery, type DeliveryTimers } from './delivery';
import { outboxStore } from './outbox-store';
import { createTransport, transportFactories } from './registry';

export interface SinkServiceDeps {
  settings: SettingsStore;
  vault: Vault;
  store: Pick<Store, 'outbox'>;
  clock?: () => Date;
  logger?: Logger;
  newId?: () => string;
  factories?: typeof transportFactories;
  timers?: DeliveryTimers;
  random?: () => number;
  maxBackoffMs?: number;
  onChanged?(): void;
  onTestStep?(progress: SinkTestProgress): void;
}

const tokenRef = (id: string) => `sink:${id}:token`;

function fieldError(path: string, message: string, fix?: string): ContractError {
  return new ContractError({ code: 'invalid_input', message, fix, issues: [{ path, message }] });
}

const notFound = () => new ContractError({ code: 'sink.not_found', message: 'That sink no longer exists.', fix: 'Reload the sinks list.' });

/** Strips the write-only token, leaving what is stored in settings. */
function configOf(input: SinkInput, id: string): SinkConfig {
  const { token: _token, ...rest } = input as SinkInput & { token?: string };
  return SinkConfig.parse({ ...rest, id });
}

export function createSinkService(deps: SinkServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const now = () => clock().getTime();
  const newId = deps.newId ?? randomUUID;
  const factories = deps.factories ?? transportFactories;
  const outbox = outboxStore(deps.store);
  const sinks = () => deps.settings.read().sinks;

  async function tokenFor(config: SinkConfig): Promise<string | null> {
    if (sinkKindTakesToken[config.kind] === 'none') return null;
    const ref = tokenRef(config.id);
    if (!deps.vault.status(ref).configured) return null;
    return deps.vault.reveal(ref);
  }

  const delivery = createDelivery({
    outbox,
    now,
    random: deps.random,
    timers: deps.timers,
    maxBackoffMs: deps.maxBackoffMs,
    logger: deps.logger,
    async transportFor(config) {
      let token: string | null;
      try {
        token = await tokenFor(config);
      } catch (error) {
        const e = error as ContractError;
        return { error: { code: e.code ?? 'vault.failed', message: e.message, fix: e.fix ?? 'Edit the sink and enter its token again.' } };
      }
      if (token === null && sinkKindTakesToken[config.kind] === 'required')
        return { error: { code: 'sink.token_missing', message: 'No token is stored for this sink.', fix: 'Edit the sink and enter its token.' } };
      return createTransport(config, token, { now, logger: deps.logger }, factories);
    },
  });

  const get = (id: string) => {
    const config = sinks().find((s) => s.id === id);
    if (!config) throw notFound();
    return config;
  };

  async function view(config: SinkConfig): Promise<SinkView> {
    const token = sinkKindTakesToken[config.kind] === 'none' ? null : deps.vault.status(tokenRef(config.id));
    return { config, token, status: await delivery.status(config.id) };
  }

  const running = new Map<string, Promise<SinkTestReport>>();

  async function runTest(config: SinkConfig): Promise<SinkTestReport> {
    const runId = newId();
    const startedAt = clock().toISOString();
    const sinkId = config.id;
    const report = (steps: TestStep[]): SinkTestReport => ({
      sinkId,
      runId,
      startedAt,
      finishedAt: clock().toISOString(),
      ok: steps.every((s) => s.status === 'pass' || s.status === 'warn' || s.status === 'skip') && steps.some((s) => s.status === 'pass'),
      steps,
    });
    const onStep = (step: TestStep) => deps.onTestStep?.({ sinkId, runId, step });
    let token: string | null = null;
    if (sinkKindTakesToken[config.kind] !== 'none') {
      try {
        token = await tokenFor(config);
      } catch (error) {
        const e = error as ContractError;
        const step: TestStep = { id: 'token', title: 'Token', status: 'fail', observed: e.message, cause: e.message, fix: e.fix, code: e.code };
        onStep(step);
        return report([step]);
      }
      if (token === null && sinkKindTakesToken[config.kind] === 'required') {
        const step: TestStep = {
          id: 'token',
          title: 'Token',
          status: 'fail',
          observed: 'No token is stored for this sink.',
          fix: 'Edit the sink and enter its token.',
          code: 'sink.token_missing',
        };
        onStep(step);
        return report([step]);
      }
    }
    const transport = createTransport(config, token, { now, logger: deps.logger }, factories);
    try {
      const controller = new AbortController();
      return report(await transport.test(onStep, controller.signal));
    } finally {
      await transport.close().catch(() => {});
    }
  }

  return {
    async start(): Promise<void> {
      // No sinks: leave the store unopened (it starts lazily); a sink added later syncs the outbox then.
      if (sinks().length === 0) return;
      await delivery.configure(sinks());
    },

    async list(): Promise<SinkView[]> {
      return Promise.all(sinks().map(view));
    },

    async save(input: SinkInput): Promise<SinkView> {
      const all = sinks();
      const existing = input.id ? all.find((s) => s.id === input.id) : undefined;
      if (input.id && !existing) throw fieldError('id', 'That sink no longer exists.', 'Reload the sinks list.');
      if (existing && existing.kind !== input.kind) throw fieldError('kind', 'A sink cannot change kind.', 'Add a new sink of the other kind instead.');
      const clash = all.find((s) => s.id !== input.id && s.name.toLocaleLowerCase() === input.name.toLocaleLowerCase());
      if (clash) throw fieldError('name', `A sink named '${clash.name}' already exists.`, 'Choose another name.');
      const id = existing?.id ?? newId();
      const token = 'token' in input ? input.token : undefined;
      if (!token && sinkKindTakesToken[input.kind] === 'required' && !deps.vault.status(tokenRef(id)).configured)
        throw fieldError('token', 'Enter the HEC token.', 'Copy it from Splunk: Settings > Data inputs > HTTP Event Collector.');
      // Token first: a config without its token would be a sink that cannot work.
      if (token) await deps.vault.store(tokenRef(id), token);
      const config = configOf(input, id);
      const settings = deps.settings.read();
      deps.settings.write({ ...settings, sinks: existing ? settings.sinks.map((s) => (s.id === id ? config : s)) : [...settings.sinks, config] });
      await delivery.configure(sinks());
      // A new token is picked up by a fresh transport even when the configuration stayed the same.
      if (token && existing) await delivery.restart(config);
      deps.onChanged?.();
      return view(config);
    },

    async remove(id: string): Promise<boolean> {
      const settings = deps.settings.read();
      if (!settings.sinks.some((s) => s.id === id)) return false;
      deps.settings.write({ ...settings, sinks: settings.sinks.filter((s) => s.id !== id) });
      deps.vault.remove(tokenRef(id));
      await delivery.configure(sinks());
      deps.onChanged?.();
      return true;
    },

    /** The saved sink's layered Test; one run at a time per sink. */
    test(id: string): Promise<SinkTestReport> {
      const config = get(id);
      const current = running.get(id);
      if (current) return current;
      const run = runTest(config).finally(() => running.delete(id));
      running.set(id, run);
      return run;
    },

    async status(id: string): Promise<SinkStatus> {
      get(id);
      return delivery.status(id);
    },

    async deadLetters(id: string, limit = 500): Promise<DeadLetter[]> {
      get(id);
      const rows = await outbox.deadLetters(id, limit);
      return rows.map((r) => ({
        sinkId: r.sinkId,
        eventId: r.event.id,
        kind: r.event.kind,
        time: r.event.time,
        summary: r.event.summary,
        reason: r.reason,
        deadAt: new Date(r.deadAt).toISOString(),
      }));
    },

    async retryDeadLetters(id: string, eventIds: string[] | null): Promise<number> {
      get(id);
      const n = await outbox.retryDead(id, eventIds);
      delivery.notify();
      return n;
    },

    async discardDeadLetters(id: string, eventIds: string[] | null): Promise<number> {
      get(id);
      return outbox.discardDead(id, eventIds);
    },

    /** Appends events produced outside a poll (incidents, user risk, audit) and wakes the loops. */
    async forward(events: ForwardEvent[]): Promise<void> {
      if (events.length === 0 || sinks().length === 0) return;
      await outbox.append(events);
      delivery.notify();
    },

    /** Posture changes were appended by the poll's own transaction: only wake the loops. */
    notifyAppended(): void {
      delivery.notify();
    },

    /** Settings were replaced behind this service's back (configuration import). */
    async reload(): Promise<void> {
      await delivery.configure(sinks());
    },

    stop: () => delivery.stop(),
  };
}

export type SinkService = ReturnType<typeof createSinkService>;
