// The web host's transport: JSON over POST for calls, server-sent events for pushes. The access
// token arrives in the URL fragment once and is exchanged for an HttpOnly session cookie.
import type { Envelope } from '../../src-shared/contract';
import type { Transport } from './bridge';

let session: Promise<void> | undefined;

function ensureSession(): Promise<void> {
  session ??= (async () => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (!token) return;
    // Drop the token from the address bar and history before anything else runs.
    history.replaceState(null, '', window.location.pathname + '#/');
    await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
    });
  })();
  return session;
}

/**
 * One call's HTTP request. Self-contained (the build copies its source into the boot script, which sends a cold
 * start's first calls with it before the entry has loaded).
 */
export function sendCall(channel: string, body: string): Promise<Response> {
  return fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    credentials: 'same-origin',
  });
}

declare global {
  interface Window {
    /** The boot script's requests, by channel and body: each answers one call, once. */
    postureConsoleAhead?: Record<string, Record<string, Promise<Response>>>;
  }
}

/** How long after the page began an answer sent ahead may be taken: the start's calls come well within it, a later one asks afresh. */
const SENT_AHEAD_MS = 10_000;

/** The boot script's request for exactly this call, if it sent one and it has not been used (nor failed). */
function sentAhead(channel: string, body: string): Promise<Response> | undefined {
  if (window.postureConsoleAhead && performance.now() > SENT_AHEAD_MS) delete window.postureConsoleAhead;
  const sent = window.postureConsoleAhead?.[channel];
  const response = sent?.[body];
  if (!response) return undefined;
  delete sent[body];
  return response.catch(() => sendCall(channel, body));
}

async function invoke(channel: string, req: unknown): Promise<Envelope<unknown>> {
  await ensureSession();
  const body = JSON.stringify(req ?? {});
  const response = await (sentAhead(channel, body) ?? sendCall(channel, body));
  try {
    return (await response.json()) as Envelope<unknown>;
  } catch {
    return { ok: false, error: { code: 'transport', message: `The console server answered ${response.status} without a readable body.` } };
  }
}

type Listener = (message: { event: string; payload: unknown }) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;

/** One EventSource for the whole page, shared by every subscriber: browsers allow ~6 connections per host. */
function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!source)
    void ensureSession().then(() => {
      if (source || listeners.size === 0) return;
      source = new EventSource('/api/events');
      source.addEventListener('message', (e) => {
        const message = JSON.parse((e as MessageEvent<string>).data) as { event: string; payload: unknown };
        for (const l of listeners) l(message);
      });
    });
  return () => {
    listeners.delete(listener);
  };
}

export function webTransport(): Transport {
  return { invoke, subscribe };
}
