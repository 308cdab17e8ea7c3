// When to try again: exponential backoff with full jitter, overridden by the server's own retry hints.

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Tries for a timed-out request: a hung server rarely answers the third time. */
  maxTimeoutAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking us to wait longer than this is reported instead of waited for. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  maxTimeoutAttempts: 2,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 65_000,
};

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * The epoch ms (local clock) at which the server allows us back, from `X-RateLimit-RetryAfter`
 * (Falcon: a Unix epoch, in seconds per the SDKs or ms per the spec, so >1e12 means ms) or
 * `Retry-After` (seconds or an HTTP date). Measured against the server's `Date` when present so a
 * skewed local clock does not turn a one-second wait into an hour.
 */
export function retryAtFromHeaders(headers: Record<string, string>, localNow: number): number | undefined {
  const serverNow = parseHttpDate(headers['date']) ?? localNow;
  const falcon = Number(headers['x-ratelimit-retryafter']);
  if (headers['x-ratelimit-retryafter'] && Number.isFinite(falcon) && falcon > 0) {
    const epochMs = falcon > 1e12 ? falcon : falcon * 1000;
    return localNow + Math.max(0, epochMs - serverNow);
  }
  const retryAfter = headers['retry-after']?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return localNow + Number(retryAfter) * 1000;
  const date = parseHttpDate(retryAfter);
  return date === undefined ? undefined : localNow + Math.max(0, date - serverNow);
}

export function parseHttpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
