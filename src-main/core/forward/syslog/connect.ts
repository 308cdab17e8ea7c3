// Opening a syslog connection layer by layer (name → TCP → TLS), each failure named in the admin's terms.
import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { SyslogSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { SinkError } from '../transport';

export type Layer = 'dns' | 'tcp' | 'tls';

export class SyslogConnectError extends Error {
  readonly layer: Layer;
  readonly sinkError: SinkError;

  constructor(layer: Layer, sinkError: SinkError) {
    super(sinkError.message);
    this.layer = layer;
    this.sinkError = sinkError;
  }
}

const CONNECT_TIMEOUT_MS = 10_000;

type Endpoint = Pick<SyslogSinkConfig, 'host' | 'port' | 'transport' | 'caCertificate' | 'serverName'>;

function where(c: Endpoint) {
  return `${c.host}:${c.port}`;
}

export async function resolveHost(c: Endpoint): Promise<string> {
  if (isIP(c.host.replace(/^\[|\]$/g, ''))) return c.host.replace(/^\[|\]$/g, '');
  try {
    return (await lookup(c.host)).address;
  } catch {
    throw new SyslogConnectError('dns', {
      code: 'syslog.dns_not_found',
      message: `The host name ${c.host} does not resolve.`,
      fix: 'Check the spelling of the host, or enter its IP address; on a corporate network check the DNS server this machine uses.',
    });
  }
}

export function openTcp(c: Endpoint, address: string, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port: c.port, timeout: CONNECT_TIMEOUT_MS });
    const fail = (error: SinkError) => {
      socket.destroy();
      reject(new SyslogConnectError('tcp', error));
    };
    const onAbort = () => fail({ code: 'syslog.cancelled', message: 'Cancelled.', fix: 'Try again.' });
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal?.removeEventListener('abort', onAbort);
      socket.setTimeout(0);
      socket.setKeepAlive(true, 30_000);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('timeout', () =>
      fail({
        code: 'syslog.connect_timeout',
        message: `No answer from ${where(c)} within ${CONNECT_TIMEOUT_MS / 1000} s.`,
        fix: 'Check that a firewall lets this machine reach the receiver on that port, and that the host is right.',
      }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ECONNREFUSED'
          ? {
              code: 'syslog.connect_refused',
              message: `${where(c)} refused the connection: nothing listens on that port.`,
              fix: `Check that the syslog receiver runs and listens for ${c.transport === 'tls' ? 'TLS (often 6514)' : 'TCP (often 514 or 601)'} on port ${c.port}.`,
            }
          : {
              code: 'syslog.connect_failed',
              message: `Could not connect to ${where(c)} (${error.code ?? error.message}).`,
              fix: 'Check the host, the port and the network path to the receiver.',
            },
      ),
    );
  });
}

function certNames(cert: PeerCertificate | undefined): string {
  if (!cert) return 'none';
  const alt = cert.subjectaltname?.replace(/(DNS|IP Address):/g, '').trim();
  const cn = cert.subject?.CN;
  return alt || (Array.isArray(cn) ? cn.join(', ') : cn) || 'none';
}

/** The name the certificate must carry: the configured server name, else the host as entered. */
export function expectedName(c: Endpoint): string {
  return c.serverName ?? c.host.replace(/^\[|\]$/g, '');
}

export async function startTls(c: Endpoint, socket: Socket, signal?: AbortSignal): Promise<TLSSocket> {
  const name = expectedName(c);
  // Loaded with the first TLS sink connection: node:tls (OpenSSL's context) costs a console without one ~15 ms and ~6 MB at start.
  const { checkServerIdentity, connect: tlsConnect } = await import('node:tls');
  return new Promise((resolve, reject) => {
    let peer: PeerCertificate | undefined;
    const tlsSocket = tlsConnect({
      socket,
      ca: c.caCertificate ? [c.caCertificate] : undefined,
      // SNI takes a DNS name only.
      servername: isIP(name) ? undefined : name,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      checkServerIdentity: (_host, cert) => {
        peer = cert;
        return checkServerIdentity(name, cert);
      },
    });
    const fail = (error: SinkError) => {
      tlsSocket.destroy();
      reject(new SyslogConnectError('tls', error));
    };
    const onAbort = () => fail({ code: 'syslog.cancelled', message: 'Cancelled.', fix: 'Try again.' });
    signal?.addEventListener('abort', onAbort, { once: true });
    tlsSocket.once('secureConnect', () => {
      signal?.removeEventListener('abort', onAbort);
      tlsSocket.removeAllListeners('error');
      resolve(tlsSocket);
    });
    tlsSocket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return fail({
          code: 'syslog.tls_name_mismatch',
          message: `The receiver's certificate is for ${certNames(peer)}, not ${name}.`,
          fix: `Connect by a name the certificate carries, or set Server name to one of: ${certNames(peer)}.`,
        });
      if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code))
        return fail({
          code: 'syslog.tls_untrusted',
          message: `The receiver's certificate is not signed by a CA this console trusts (${code}).`,
          fix: c.caCertificate
            ? 'The CA certificate you pasted did not sign the receiver certificate: paste the CA that issued it (PEM).'
            : 'Paste the CA certificate (PEM) that issued the receiver certificate in CA certificate.',
        });
      if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
        return fail({
          code: 'syslog.tls_expired',
          message: `The receiver's certificate is not valid now (${code}).`,
          fix: 'Renew the receiver certificate, and check this machine clock.',
        });
      fail({
        code: 'syslog.tls_handshake',
        message: `The TLS handshake with ${where(c)} failed (${code || error.message}).`,
        fix: 'Check that the port speaks syslog over TLS (not plain TCP) and accepts TLS 1.2 or later; for plain TCP choose transport TCP.',
      });
    });
  });
}

/** A connected socket ready for frames: TCP, or TLS over it. */
export async function openSyslog(c: Endpoint, signal?: AbortSignal): Promise<Socket> {
  const address = await resolveHost(c);
  const socket = await openTcp(c, address, signal);
  return c.transport === 'tls' ? startTls(c, socket, signal) : socket;
}
