// The custom posture source: POST batches of devices to the admin's own HTTPS endpoint and read the scores keyed by
// device id, following §2 of the contract (auth options, batch size, per-call timeout, retries and what each
// status means). A failed batch is reported, never a reason to drop the other batches' scores.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { isProviderError, ProviderError } from '../diagnosis';
import type { HttpClient, HttpResponse } from '../http';
import { describeIssue } from '../records';
import { retryAtFromHeaders } from '../retry';
import {
  CUSTOM_DEFAULT_BATCH,
  CUSTOM_DEFAULT_TIMEOUT_MS,
  CUSTOM_MAX_BODY_BYTES,
  CUSTOM_MAX_DEPTH,
  CustomEntry,
  CustomResponse,
  jsonDepth,
  type AttributeValue,
  type CustomDevice,
} from './wire';

export type CustomAuth = { mode: 'bearer'; token: string } | { mode: 'cloudflareAccess'; clientId: string; clientSecret: string } | { mode: 'none' };

export interface CustomClientOptions {
  url: string;
  /** Resolved at call time from the vault (never kept by the client). */
  getAuth: () => Promise<CustomAuth>;
  http: HttpClient;
  clock?: Clock;
  batchSize?: number;
  timeoutMs?: number;
  userAgent?: string;
}

export interface CustomScore {
  deviceId: string;
  score: number;
  externalId: string;
  reason: string | null;
  attributes: Record<string, AttributeValue>;
}

export interface InvalidEntry {
  deviceId: string;
  reason: string;
}

export interface BatchFailure {
  /** Device ids of the batch that got no answer. */
  deviceIds: string[];
  diagnosis: ProviderError['diagnosis'];
}

export interface ScoresRead {
  scores: CustomScore[];
  /** Entries whose score was not an integer 0-100 (or otherwise unreadable): logged with the reason. */
  invalid: InvalidEntry[];
  /** Device ids we sent and got no entry for. */
  unscored: string[];
  /** Entries for device ids we did not send: ignored, counted. */
  unknownIds: number;
  failedBatches: BatchFailure[];
  requests: number;
}

/** 408/429 waits when the endpoint gives no Retry-After (§2.4). */
const THROTTLE_WAITS_MS = [30_000, 60_000, 120_000];
/** 5xx, connection and timeout backoff (§2.4). */
const TRANSIENT_WAITS_MS = [1_000, 4_000, 16_000];
const MAX_TRIES = 3;

export function createCustomClient(options: CustomClientOptions) {
  const clock = options.clock ?? options.http.clock;
  const batchSize = options.batchSize ?? CUSTOM_DEFAULT_BATCH;
  const timeoutMs = options.timeoutMs ?? CUSTOM_DEFAULT_TIMEOUT_MS;
  const host = new URL(options.url).host;

  async function post(devices: CustomDevice[], signal?: AbortSignal): Promise<{ res: HttpResponse; requests: number }> {
    const auth = await options.getAuth();
    const headers: Record<string, string> = { 'x-request-id': randomUUID(), ...(options.userAgent ? { 'user-agent': options.userAgent } : {}) };
    const secrets: string[] = [];
    if (auth.mode === 'bearer') {
      headers.authorization = `Bearer ${auth.token}`;
      secrets.push(auth.token);
    } else if (auth.mode === 'cloudflareAccess') {
      headers['cf-access-client-id'] = auth.clientId;
      headers['cf-access-client-secret'] = auth.clientSecret;
      secrets.push(auth.clientSecret);
    }
    let requests = 0;
    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let res: HttpResponse | undefined;
      let failure: ProviderError | undefined;
      requests++;
      try {
        res = await options.http.request({ method: 'POST', url: options.url, json: { devices }, headers, secrets, signal: combined, maxAttempts: 1 });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (!isProviderError(error)) throw error;
        failure = timeout.aborted
          ? new ProviderError({
              code: 'custom.unavailable',
              message: `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
              fix: `The endpoint should answer in under 15 s per 1000 devices: speed it up, or lower the batch size (now ${batchSize}) or raise the timeout.`,
              observed: `no answer after ${timeoutMs} ms`,
            })
          : error;
      }
      const status = res?.status ?? failure?.diagnosis.status;
      const throttled = status === 408 || status === 429;
      const code = failure?.diagnosis.code;
      const transient =
        !throttled &&
        (code?.startsWith('net.') || code === 'http.server_error' || code === 'custom.unavailable' || (!failure && status !== undefined && status >= 500));
      if ((throttled || transient) && attempt < MAX_TRIES) {
        // retryAt is in the HTTP client's time frame: measure it there, sleep on ours.
        const httpNow = options.http.clock.now();
        const hinted = res ? retryAtFromHeaders(res.headers, httpNow) : failure?.diagnosis.retryAt;
        const throttleWait = hinted !== undefined ? Math.max(0, hinted - httpNow) : (THROTTLE_WAITS_MS[attempt - 1] ?? 120_000);
        const wait = throttled ? throttleWait : (TRANSIENT_WAITS_MS[attempt - 1] ?? 16_000);
        await clock.sleep(wait, signal);
        continue;
      }
      if (failure) throw classifyFailure(failure, host);
      if (res) return { res, requests };
    }
  }

  /** Scores for `devices`, in batches sent one after another. */
  async function scores(devices: readonly CustomDevice[], signal?: AbortSignal, onBatch?: (done: number) => void): Promise<ScoresRead> {
    const out: ScoresRead = { scores: [], invalid: [], unscored: [], unknownIds: 0, failedBatches: [], requests: 0 };
    for (let start = 0; start < devices.length || (start === 0 && devices.length === 0); start += batchSize) {
      const batch = devices.slice(start, start + batchSize);
      try {
        const { res, requests } = await post(batch, signal);
        out.requests += requests;
        readAnswer(res, batch, batchSize, host, out);
      } catch (error) {
        if (!isProviderError(error) || error.diagnosis.code === 'net.aborted') throw error;
        // Auth and URL problems stop the poll (§2.4); anything else fails this batch only.
        if (
          error.diagnosis.code === 'custom.auth_failed' ||
          error.diagnosis.code === 'custom.bad_url_or_method' ||
          error.diagnosis.code === 'custom.access_redirect'
        )
          throw error;
        out.failedBatches.push({ deviceIds: batch.map((d) => d.device_id), diagnosis: error.diagnosis });
      }
      onBatch?.(Math.min(devices.length, start + batchSize));
      if (devices.length === 0) break;
    }
    return out;
  }

  return { url: options.url, batchSize, scores, probe: (signal?: AbortSignal) => scores([], signal) };
}

export type CustomClient = ReturnType<typeof createCustomClient>;

const ACCESS_PAGE = /cloudflare access|cf-access|cloudflareaccess\.com/i;

/** Reads one batch's answer into `out`, or throws the whole batch's diagnosis. */
export function readAnswer(res: HttpResponse, batch: readonly CustomDevice[], batchSize: number, host: string, out: ScoresRead): void {
  const html = res.body === undefined && /^\s*</.test(res.text);
  if (html && ACCESS_PAGE.test(res.text))
    throw new ProviderError({
      code: 'custom.access_redirect',
      status: res.status,
      message: `${host} answered with the Cloudflare Access sign-in page (HTTP ${res.status}): the service token was not accepted.`,
      fix: 'In Cloudflare Zero Trust > Access > Applications, give the endpoint’s application a policy with action Service Auth that includes this service token, and check the client ID and secret here.',
      observed: 'an HTML page titled Cloudflare Access',
    });
  if (res.status === 401 || res.status === 403)
    throw new ProviderError({
      code: 'custom.auth_failed',
      status: res.status,
      message: `${host} refused the credentials (HTTP ${res.status}): the token is wrong, or the Access policy is not Service Auth.`,
      fix: 'Check the bearer token (or the Access service token’s client ID and secret) configured on the endpoint, and paste the current one here.',
      observed: `HTTP ${res.status}`,
    });
  if (res.status === 404 || res.status === 405)
    throw new ProviderError({
      code: 'custom.bad_url_or_method',
      status: res.status,
      message: `${host} answered HTTP ${res.status}: nothing accepts POST at ${new URL(res.url).pathname}.`,
      fix: 'Enter the full URL of the endpoint that takes POST {"devices":[…]} (e.g. https://posture.example.com/posture).',
      observed: `HTTP ${res.status}`,
    });
  const malformed = (why: string) =>
    new ProviderError({
      code: 'custom.malformed_response',
      status: res.status,
      message: `${host} answered with ${why}; the batch’s earlier scores are kept.`,
      fix: 'The endpoint must answer 200 with {"result": {"<device_id>": {"score": 0-100, "s2s_id": "…"}}}: see the contract, §2.3.',
      observed: res.redact(res.text.replace(/\s+/g, ' ').slice(0, 120)),
    });
  if (res.status !== 200) throw malformed(`HTTP ${res.status}`);
  if (res.text.length > CUSTOM_MAX_BODY_BYTES) throw malformed('a body over 10 MB');
  if (res.body === undefined) throw malformed(html ? 'an HTML page instead of JSON' : 'a body that is not JSON');
  const envelope = CustomResponse.safeParse(res.body);
  if (!envelope.success) throw malformed(`JSON without a result object (${describeIssue(envelope.error)})`);
  // Depth counted from each entry: root and result add two levels.
  if (jsonDepth(res.body) > CUSTOM_MAX_DEPTH + 2) throw malformed(`entries nested deeper than ${CUSTOM_MAX_DEPTH} levels`);
  const entries = Object.entries(envelope.data.result);
  if (entries.length > batchSize) throw malformed(`${entries.length} entries for a batch of at most ${batchSize}`);
  const sent = new Set(batch.map((d) => d.device_id));
  const answered = new Set<string>();
  for (const [id, raw] of entries) {
    if (!sent.has(id)) {
      out.unknownIds++;
      continue;
    }
    answered.add(id);
    const entry = CustomEntry.safeParse(raw);
    if (!entry.success) {
      out.invalid.push({ deviceId: id, reason: `The endpoint sent an invalid entry: ${describeIssue(entry.error)}` });
      continue;
    }
    out.scores.push({
      deviceId: id,
      score: entry.data.score,
      externalId: entry.data.s2s_id ?? '',
      reason: entry.data.x_posture_console?.reason ?? null,
      attributes: entry.data.x_posture_console?.attributes ?? {},
    });
  }
  for (const d of batch) if (!answered.has(d.device_id)) out.unscored.push(d.device_id);
}

function classifyFailure(error: ProviderError, host: string): ProviderError {
  const d = error.diagnosis;
  if (d.code === 'http.malformed')
    return new ProviderError({
      ...d,
      code: 'custom.malformed_response',
      message: `${host} answered with a body that is not valid JSON; the batch’s earlier scores are kept.`,
      fix: 'The endpoint must answer 200 with {"result": {"<device_id>": {"score": 0-100, "s2s_id": "…"}}}: see the contract, §2.3.',
    });
  if (d.code === 'http.rate_limited')
    return new ProviderError({
      ...d,
      code: 'custom.throttled',
      message: `${host} kept answering “too many requests” (HTTP ${d.status ?? 429}) after ${MAX_TRIES} tries.`,
      fix: 'Poll less often or send smaller batches; or raise the endpoint’s own rate limit for this app.',
    });
  if (d.code.startsWith('net.') || d.code === 'http.server_error' || d.code === 'custom.unavailable')
    return new ProviderError({
      ...d,
      code: d.code === 'custom.unavailable' ? d.code : d.code.startsWith('net.') ? d.code : 'custom.unavailable',
      message: `${d.message} (${MAX_TRIES} tries)`,
    });
  return error;
}
