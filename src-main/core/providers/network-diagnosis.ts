// Turns a transport failure (DNS, TCP, TLS, timeout, reset) into a diagnosis in the admin's terms.
import { scrub, type Diagnosis } from './diagnosis';

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Error codes along the cause chain (undici wraps the socket error). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What happened and what to do; `retryable` says whether trying again may help. */
export function diagnoseNetworkError(error: unknown, host: string, secrets: readonly string[]): { diagnosis: Diagnosis; retryable: boolean; timeout: boolean } {
  const codes = errorCodes(error);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const observed = scrub([codes[0], errorText(error)].filter(Boolean).join(': '), secrets);
  const d = (code: Diagnosis['code'], message: string, fix: string): Diagnosis => ({ code, message, fix, observed });

  if (has('ENOTFOUND', 'EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL'))
    return {
      diagnosis: d(
        'net.dns',
        `The name ${host} could not be resolved (DNS).`,
        'Check the region or API URL for typos, and that this computer can resolve internet names (DNS, VPN or proxy settings).',
      ),
      retryable: has('EAI_AGAIN'),
      timeout: false,
    };
  if (codes.some((c) => TLS_UNTRUSTED.has(c)))
    return {
      diagnosis: d(
        'net.tls',
        `The TLS certificate presented for ${host} is not trusted. A proxy or security appliance on this network is probably intercepting TLS.`,
        'Exempt the provider API host from TLS inspection on the proxy, or add the proxy’s root certificate to the trusted certificates.',
      ),
      retryable: false,
      timeout: false,
    };
  if (codes.some((c) => TLS_DATES.has(c)))
    return {
      diagnosis: d(
        'net.tls',
        `The TLS certificate for ${host} is expired or not yet valid — or this computer’s clock is wrong.`,
        'Set this computer’s date and time automatically; if the clock is right, the network is presenting a stale certificate.',
      ),
      retryable: false,
      timeout: false,
    };
  if (codes.some((c) => c === 'ERR_TLS_CERT_ALTNAME_INVALID' || c.startsWith('ERR_SSL') || c === 'EPROTO'))
    return {
      diagnosis: d(
        'net.tls',
        `The secure (TLS) connection to ${host} failed: the certificate does not match the host or the server does not speak TLS.`,
        'Check the API URL (https:// and the host exactly as shown in the provider console) and any TLS-inspecting proxy.',
      ),
      retryable: false,
      timeout: false,
    };
  if (has('ECONNREFUSED'))
    return {
      diagnosis: d(
        'net.refused',
        `${host} refused the connection.`,
        'Check the API URL and port, and that a firewall or proxy lets this computer reach it on HTTPS (443).',
      ),
      retryable: true,
      timeout: false,
    };
  if (has('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'))
    return {
      diagnosis: d(
        'net.timeout',
        `${host} did not answer in time.`,
        'Check that a firewall or proxy is not silently dropping traffic to the provider; if the provider is degraded, try again later.',
      ),
      retryable: true,
      timeout: true,
    };
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'))
    return {
      diagnosis: d('net.unreachable', `There is no network route to ${host}.`, 'Check this computer’s network connection, VPN and proxy settings.'),
      retryable: true,
      timeout: false,
    };
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'))
    return {
      diagnosis: d(
        'net.reset',
        `The connection to ${host} was closed before the answer was complete.`,
        'Usually transient; if it persists, a proxy may be cutting long responses — exempt the provider API host.',
      ),
      retryable: true,
      timeout: false,
    };
  return {
    diagnosis: d('net.unreachable', `The request to ${host} failed.`, 'Check the network connection and the API URL.'),
    retryable: false,
    timeout: false,
  };
}
