// Which transport speaks each sink kind. Every kind meets the outbox through the same SinkTransport interface.
import type { SinkConfig, SinkKind } from '../../../src-shared/schemas/sinks';
import type { Logger } from '../log';
import { createSyslogTransport } from './syslog/transport';
import type { SinkTransport } from './transport';

export interface TransportDeps {
  now?: () => number;
  logger?: Logger;
}

/** Builds a transport for one sink; `token` is the vault's secret for kinds that take one, else null. */
export type TransportFactory<K extends SinkKind = SinkKind> = (
  config: Extract<SinkConfig, { kind: K }>,
  token: string | null,
  deps: TransportDeps,
) => SinkTransport;

/** A kind whose transport is not part of this build: it refuses to run, saying so, instead of losing events. */
function unavailable(kind: SinkKind): TransportFactory {
  const error = {
    code: 'sink.kind_unavailable',
    message: `This build has no ${kind} transport yet.`,
    fix: 'Update Posture Console, or forward through a syslog sink.',
  };
  return () => ({
    deliver: async () => ({ kind: 'retry', error, afterMs: 60_000 }),
    test: async (onStep) => {
      const step = {
        id: 'transport',
        title: 'Transport',
        status: 'fail' as const,
        observed: error.message,
        cause: error.message,
        fix: error.fix,
        code: error.code,
      };
      onStep(step);
      return [step];
    },
    close: async () => {},
  });
}

export const transportFactories: { [K in SinkKind]: TransportFactory<K> } = {
  syslog: (config, _token, deps) => createSyslogTransport(config, { now: deps.now }),
  'splunk-hec': unavailable('splunk-hec'),
  'otlp-http': unavailable('otlp-http'),
};

export function createTransport(config: SinkConfig, token: string | null, deps: TransportDeps, factories = transportFactories): SinkTransport {
  return (factories[config.kind] as TransportFactory)(config, token, deps);
}
