import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/app';
import { createTestApp } from '../core/test-app.testkit';
import { startWebHost, type WebHost } from './server';

let app: App;
let host: WebHost;
let staticDir: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-web-'));
  staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Posture Console</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'index-CTcRFZtV.js'), 'export {};');
  writeFileSync(join(staticDir, 'assets', 'notes.txt'), 'not hashed');
  writeFileSync(join(dir, 'outside.txt'), 'do not serve');
  app = (await createTestApp({ dataDir: dir, host: 'web' })).app;
  host = await startWebHost({ app, staticDir });
});

afterAll(async () => {
  await host.close();
  await app.close();
});

const invoke = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const bearer = () => ({ authorization: `Bearer ${host.token}` });

describe('web host start', () => {
  it('starts the log worker when a page is requested, not for API calls', async () => {
    let warmed = 0;
    const warmUp = app.warmUp;
    app.warmUp = () => {
      warmed++;
      warmUp();
    };
    try {
      await invoke('app.info', {}, bearer());
      expect(warmed).toBe(0);
      const page = await fetch(`${host.url}/`);
      expect(page.status).toBe(200);
      expect(warmed).toBe(1);
    } finally {
      app.warmUp = warmUp;
    }
  });
});

describe('web host access control', () => {
  it('binds to loopback on a free port and carries the token in the fragment only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.openUrl).toBe(`${host.url}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
  });

  it('refuses calls without the token (401)', async () => {
    const res = await invoke('app.info', {});
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('refuses a wrong token (401)', async () => {
    expect((await invoke('app.info', {}, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('answers with the token (200)', async () => {
    const res = await invoke('app.info', {}, bearer());
    expect(res.status).toBe(200);
    expect((await res.json()).value.host).toBe('web');
  });

  it('refuses a foreign Host header even with the token (DNS rebinding, 403)', async () => {
    const { request } = await import('undici');
    const res = await request(`${host.url}/api/invoke/app.info`, {
      method: 'POST',
      headers: { host: 'attacker.example', ...bearer(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.statusCode).toBe(403);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('forbidden_host');
  });

  it('refuses a foreign Origin even with the token (403)', async () => {
    const res = await invoke('app.info', {}, { ...bearer(), origin: 'https://attacker.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden_origin');
  });

  it('exchanges the token for an HttpOnly SameSite=Strict session cookie', async () => {
    const bad = await fetch(`${host.url}/api/session`, {
      method: 'POST',
      body: JSON.stringify({ token: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(401);
    const res = await fetch(`${host.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url },
      body: JSON.stringify({ token: host.token }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(host.token);
    const withCookie = await invoke('settings.get', {}, { cookie: cookie.split(';')[0]!, origin: host.url });
    expect(withCookie.status).toBe(200);
  });
});

describe('web host contract binding', () => {
  it('rejects an unknown channel (404)', async () => {
    const res = await invoke('providers.steal', {}, bearer());
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('unknown_channel');
  });

  it('rejects a bad payload with the zod message (400) and changes nothing', async () => {
    const res = await invoke('settings.update', { theme: 'neon' }, bearer());
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.issues[0].path).toBe('theme');
    expect((await (await invoke('settings.get', {}, bearer())).json()).value.theme).toBe('system');
  });

  it('rejects a body that is not JSON (400)', async () => {
    expect((await invoke('settings.get', '{not json', bearer())).status).toBe(400);
  });

  it('rejects an oversized body (413)', async () => {
    // Its own connection: the server answers before the body is sent and closes the socket.
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent();
    const res = await request(`${host.url}/api/invoke/settings.update`, {
      method: 'POST',
      dispatcher,
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ theme: 'x'.repeat(2 * 1024 * 1024) }),
    }).catch((error: unknown) => error);
    if ('statusCode' in (res as object)) expect((res as { statusCode: number }).statusCode).toBe(413);
    else expect(String(res)).toMatch(/closed|reset|EPIPE/i);
    await dispatcher.close().catch(() => {});
  });

  it('delivers push events over server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.url}/api/events`, { headers: bearer(), signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value);
    await invoke('settings.update', { theme: 'dark' }, bearer());
    while (!text.includes('settings.changed')) text += decoder.decode((await reader.read()).value);
    const line = text.split('\n').find((l) => l.startsWith('data: {"event":"settings.changed"'))!;
    expect(JSON.parse(line.slice(6))).toEqual({ event: 'settings.changed', payload: { theme: 'dark', density: 'compact' } });
    controller.abort();
  });

  it('refuses the event stream without the token', async () => {
    expect((await fetch(`${host.url}/api/events`)).status).toBe(401);
  });
});

describe('web host posture log', () => {
  const value = async (res: Response) => {
    const body = await res.json();
    expect(body, JSON.stringify(body)).toMatchObject({ ok: true });
    return body.value;
  };

  it('answers a provider or check filter with no rows yet with an empty page in every view, and exports only the header', async () => {
    const provider = await value(
      await invoke('providers.save', { kind: 'sentinelone', name: 'Not polled yet', apiUrl: 'http://127.0.0.1:9', apiToken: 'x'.repeat(80) }, bearer()),
    );
    const filters = [{ providerIds: [provider.config.id] }, { checkIds: ['no-such-check'] }];
    for (const filter of filters)
      for (const view of ['latest', 'changes', 'evaluations'] as const) {
        for (const by of view === 'evaluations' ? (['time'] as const) : (['time', 'device', 'result'] as const)) {
          const res = await invoke('postureLog.query', { view, ...filter, sort: { by, dir: 'desc' } }, bearer());
          expect(res.status, `${view} by ${by}`).toBe(200);
          expect(await value(res)).toEqual({ rows: [], nextCursor: null });
        }
        expect(await value(await invoke('postureLog.count', { view, ...filter }, bearer()))).toEqual({ count: 0 });
      }

    const done = new Promise<{ exportId: string; state: string }>((resolve) => {
      const stop = app.events.listen((event, payload) => {
        const p = payload as { exportId: string; state: string };
        if (event === 'export.progress' && p.state !== 'running') {
          stop();
          resolve(p);
        }
      });
    });
    const started = await value(await invoke('postureLog.export', { filter: { view: 'latest', ...filters[0] } }, bearer()));
    expect(await done).toMatchObject({ exportId: started.exportId, state: 'done' });
    const download = await fetch(`${host.url}/api/exports/${started.exportId}`, { headers: bearer() });
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .toString('utf8')
        .split('\r\n'),
    ).toEqual([expect.stringMatching(/^\uFEFFtimestamp,device,/), '']);
  });

  it('writes a browser export owner-only (0600) and deletes it once downloaded', async () => {
    const done = new Promise<void>((resolve) => {
      const stop = app.events.listen((event, payload) => {
        if (event === 'export.progress' && (payload as { state: string }).state === 'done') {
          stop();
          resolve();
        }
      });
    });
    const { exportId, file } = await value(await invoke('postureLog.export', { filter: { view: 'changes' } }, bearer()));
    await done;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const download = await fetch(`${host.url}/api/exports/${exportId}`, { headers: bearer() });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString('utf8')).toMatch(/^\uFEFFtimestamp,/);
    await expect.poll(() => existsSync(file)).toBe(false);
    expect((await fetch(`${host.url}/api/exports/${exportId}`, { headers: bearer() })).status).toBe(404);
  });
});

describe('web host static files', () => {
  it('serves the renderer with the CSP and framing denied', async () => {
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Posture Console');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('lets the browser keep the hashed chunks for good, and checks the page and anything unhashed every time', async () => {
    const chunk = await fetch(`${host.url}/assets/index-CTcRFZtV.js`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/posture-log', '/assets/notes.txt']) {
      const res = await fetch(`${host.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('does not serve files outside the renderer directory', async () => {
    const { request } = await import('undici');
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const res = await request(`${host.url}${path}`);
      const body = await res.body.text();
      expect(body).not.toContain('do not serve');
    }
  });
});
