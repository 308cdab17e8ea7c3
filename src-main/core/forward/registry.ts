// Which transport speaks each sink kind. Every kind meets the outbox through the same SinkTransport interface.
import type { SinkConfig, SinkKind } from '../../../src-shared/schemas/sinks';
import type { Logger } from '../log';
import { systemClock } from '../providers/clock';
import { createOtlpTransport } from './otlp/transport';
import { createHecTransport } from './splunk-hec/transport';
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

export const transportFactories: { [K in SinkKind]: TransportFactory<K> } = {
  syslog: (config, _token, deps) => createSyslogTransport(config, { now: deps.now }),
  // The sinks service refuses to build a HEC transport without its token (sinkKindTakesToken: required).
  'splunk-hec': (config, token, deps) => createHecTransport(config, token ?? '', { clock: clockOf(deps) }),
  'otlp-http': (config, token, deps) => createOtlpTransport(config, token ?? undefined, { clock: clockOf(deps) }),
};

/** The HTTP sinks wait (acknowledgement polls) on a clock; `now` alone comes from the service. */
function clockOf(deps: TransportDeps) {
  return deps.now ? { now: deps.now, sleep: systemClock.sleep } : systemClock;
}

export function createTransport(config: SinkConfig, token: string | null, deps: TransportDeps, factories = transportFactories): SinkTransport {
  return (factories[config.kind] as TransportFactory)(config, token, deps);
}
