// A small undici client the simulator's tests use to talk to it over loopback, as the app would.
import { request } from 'undici';

export interface WireResponse<T> {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed body; undefined when the body is empty or not JSON. */
  json: T;
}

export interface FalconError {
  code: number;
  message: string;
}

export interface FalconBody<T = unknown> {
  meta: { query_time: number; powered_by?: string; trace_id: string; pagination?: Record<string, unknown>; writes?: Record<string, unknown> };
  resources?: T[] | null;
  errors?: FalconError[] | null;
}

export interface S1Error {
  code: number;
  title: string;
  detail: string | null;
}

export interface S1Body<T = unknown> {
  data?: T;
  pagination?: { totalItems: number; nextCursor: string | null };
  errors?: S1Error[];
}

export interface CallInit {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Sent as-is (e.g. deliberately malformed JSON). */
  body?: string;
  signal?: AbortSignal;
}

export async function call<T = FalconBody>(url: string, init: CallInit = {}): Promise<WireResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  } else if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const method = (init.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET';
  const res = await request(url, { method, headers, body, ...(init.signal ? { signal: init.signal } : {}) });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: flat, text, json: json as T };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function apiToken(token: string): Record<string, string> {
  return { authorization: `ApiToken ${token}` };
}

/** Client-credentials token from a Falcon base URL; throws with the status when refused. */
export async function falconToken(base: string, client: { clientId: string; clientSecret: string }): Promise<string> {
  const res = await call<{ access_token?: string }>(`${base}/oauth2/token`, {
    form: { client_id: client.clientId, client_secret: client.clientSecret },
  });
  if (res.status !== 201 || !res.json.access_token) throw new Error(`token call answered ${res.status}: ${res.text}`);
  return res.json.access_token;
}
