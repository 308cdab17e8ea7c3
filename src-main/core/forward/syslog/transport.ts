// The syslog sink: RFC 5424 messages in octet-counting frames over one long-lived TLS (RFC 5425) or TCP connection.
import { hostname } from 'node:os';
import type { Socket } from 'node:net';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { TestStep } from '../../../../src-shared/schemas/providers';
import type { SyslogSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { DeliveryOutcome, SinkError, SinkTransport } from '../transport';
import { expectedName, openTcp, resolveHost, startTls, SyslogConnectError, openSyslog } from './connect';
import { formatSyslog, frame, type SyslogOrigin } from './message';

/**
 * TCP has no application acknowledgement: bytes a receiver had not read when it went away are lost without an
 * error. So frames written shortly before a connection drops are written again first on the next connection;
 * receivers drop the duplicates by event id.
 */
const REPLAY_MS = 5_000;
const REPLAY_MAX_BYTES = 16 * 1024 * 1024;

export type SyslogDeps = { now?: () => number; hostname?: string; procId?: string };

export function createSyslogTransport(config: SyslogSinkConfig, deps: SyslogDeps = {}): SinkTransport {
  const now = deps.now ?? Date.now;
  const origin: SyslogOrigin = {
    facility: config.facility,
    appName: config.appName,
    hostname: deps.hostname ?? hostname(),
    procId: deps.procId ?? String(process.pid),
  };
  let socket: Socket | null = null;
  let recent: { at: number; bytes: Buffer }[] = [];
  let recentBytes = 0;
  let replay: Buffer[] = [];

  function remember(bytes: Buffer) {
    const t = now();
    recent.push({ at: t, bytes });
    recentBytes += bytes.length;
    while (recent.length > 0 && (recent[0]!.at < t - REPLAY_MS || recentBytes > REPLAY_MAX_BYTES)) recentBytes -= recent.shift()!.bytes.length;
  }

  /** The connection went away: what it may not have handed over is written again on the next one. */
  function lost(which: Socket) {
    if (socket !== which) return;
    socket = null;
    const t = now();
    replay = recent.filter((r) => r.at >= t - REPLAY_MS).map((r) => r.bytes);
    recent = [];
    recentBytes = 0;
    which.destroy();
  }

  async function connected(signal: AbortSignal): Promise<Socket> {
    if (socket && !socket.destroyed) return socket;
    const s = await openSyslog(config, signal);
    s.on('error', () => lost(s));
    s.on('end', () => lost(s));
    s.on('close', () => lost(s));
    // A receiver never speaks on this protocol; reading keeps 'end' coming when it closes.
    s.on('data', () => {});
    socket = s;
    return s;
  }

  function write(s: Socket, bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => s.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  return {
    settleMs: REPLAY_MS,

    async deliver(batch: readonly ForwardEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
      let s: Socket;
      try {
        s = await connected(signal);
      } catch (error) {
        return { kind: 'retry', error: asSinkError(error, config) };
      }
      // Stopping must not wait for a receiver that stopped reading.
      const onAbort = () => lost(s);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for (const bytes of replay) {
          await write(s, bytes);
          remember(bytes);
        }
        replay = [];
        const bytes = frame(batch.map((e) => formatSyslog(e, origin)));
        await write(s, bytes);
        remember(bytes);
        if (s.destroyed || socket !== s) throw new Error('connection closed');
        return { kind: 'delivered' };
      } catch (error) {
        lost(s);
        return {
          kind: 'retry',
          error: {
            code: 'syslog.connection_lost',
            message: `The connection to ${config.host}:${config.port} broke while sending (${(error as Error).message}).`,
            fix: 'The batch is sent again when the receiver is back; if this repeats, check the receiver log and its limits.',
          },
        };
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },

    async test(onStep: (step: TestStep) => void, signal: AbortSignal): Promise<TestStep[]> {
      const steps: TestStep[] = [];
      const record = (step: TestStep) => {
        steps.push(step);
        onStep(step);
      };
      const skipRest = (ids: [string, string][]) =>
        ids.forEach(([id, title]) => record({ id, title, status: 'skip', observed: 'Not run: an earlier step failed.' }));
      const failed = (id: string, title: string, started: number, error: unknown) => {
        const e = asSinkError(error, config);
        record({ id, title, status: 'fail', observed: e.message, cause: e.message, fix: e.fix, code: e.code, durationMs: now() - started });
      };
      const later: [string, string][] = [
        ['connect', 'TCP connection'],
        ['tls', 'TLS handshake'],
        ['message', 'Test message written'],
      ];

      let started = now();
      let address: string;
      try {
        address = await resolveHost(config);
        record({ id: 'resolve', title: 'Host name', status: 'pass', observed: `${config.host} is ${address}.`, durationMs: now() - started });
      } catch (error) {
        failed('resolve', 'Host name', started, error);
        skipRest(later);
        return steps;
      }
      started = now();
      let s: Socket;
      try {
        s = await openTcp(config, address, signal);
        record({ id: 'connect', title: 'TCP connection', status: 'pass', observed: `Connected to ${address}:${config.port}.`, durationMs: now() - started });
      } catch (error) {
        failed('connect', 'TCP connection', started, error);
        skipRest(later.slice(1));
        return steps;
      }
      started = now();
      if (config.transport === 'tls') {
        try {
          const t = await startTls(config, s, signal);
          const cert = t.getPeerCertificate();
          record({
            id: 'tls',
            title: 'TLS handshake',
            status: 'pass',
            observed: `${t.getProtocol()} with a certificate for ${expectedName(config)} issued by ${cert.issuer?.CN ?? 'an unnamed CA'}, valid until ${cert.valid_to}.`,
            durationMs: now() - started,
          });
          s = t;
        } catch (error) {
          failed('tls', 'TLS handshake', started, error);
          skipRest(later.slice(2));
          return steps;
        }
      } else {
        record({
          id: 'tls',
          title: 'TLS handshake',
          status: 'warn',
          observed: 'Plain TCP: events travel unencrypted.',
          fix: 'Use TLS outside a lab (port 6514).',
          code: 'syslog.plain_tcp',
        });
      }
      started = now();
      const probe: ForwardEvent = {
        id: `test:${now()}`,
        kind: 'audit',
        time: new Date(now()).toISOString(),
        summary: 'Posture Console sink test',
        body: { test: true },
      };
      try {
        await write(s, frame([formatSyslog(probe, origin)]));
        await new Promise<void>((resolve) => s.end(resolve));
        record({
          id: 'message',
          title: 'Test message written',
          status: 'pass',
          observed: `Wrote one RFC 5424 message (event id ${probe.id}, MSGID audit). Syslog has no receipt: look for it in the receiver.`,
          durationMs: now() - started,
        });
      } catch (error) {
        s.destroy();
        record({
          id: 'message',
          title: 'Test message written',
          status: 'fail',
          observed: `The receiver closed the connection (${(error as Error).message}).`,
          cause: 'The receiver accepted the connection but not the message.',
          fix: 'Check that the receiver expects octet-counted RFC 5424 frames on this port, and its log for the reason.',
          code: 'syslog.write_failed',
          durationMs: now() - started,
        });
      }
      return steps;
    },

    async close() {
      const s = socket;
      socket = null;
      if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(resolve));
      s?.destroy();
    },
  };
}

function asSinkError(error: unknown, config: SyslogSinkConfig): SinkError {
  if (error instanceof SyslogConnectError) return error.sinkError;
  return {
    code: 'syslog.failed',
    message: `Sending to ${config.host}:${config.port} failed: ${(error as Error).message}`,
    fix: 'Check the receiver and try again.',
  };
}
