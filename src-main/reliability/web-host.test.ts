// The loopback web host under attack: every API route, the event stream and export downloads demand the
// token; static files reveal nothing and cannot be walked out of (encoded and raw traversal); foreign Host
// headers (DNS rebinding) and Origins are refused; bodies and headers are size-limited; it binds to
// loopback by default and the CLI warns loudly when told to bind anywhere else.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src-shared/contract';
import type { App } from '../core/app';
import { startWebHost, type WebHost } from '../web/server';
import { cliLauncher, repoRoot } from './cli-build';
import { call, startApp, until } from './harness';

const SENTINEL = 'SENTINEL-must-never-be-served';
let app: App;
let closeApp: () => Promise<void>;
let host: WebHost;
let exportId: string;
let hostPort: string;
const tried = { unauthenticated: 0, traversal: 0, hosts: 0, origins: 0 };

beforeAll(async () => {
  // Renderer files next to a data directory and a private file: the layout a traversal would aim at.
  const root = mkdtempSync(join(tmpdir(), 'pc-webhard-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Posture Console</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'export const ui = true;');
  writeFileSync(join(root, 'private.txt'), SENTINEL);
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  ({ app, close: closeApp } = await startApp({ dataDir, host: 'web' }));
  await call(app, 'providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: 'http://127.0.0.1:9', apiToken: SENTINEL });
  writeFileSync(join(dataDir, 'notes.txt'), SENTINEL);
  host = await startWebHost({ app, staticDir: renderer });
  hostPort = String(host.port);
  ({ exportId } = await call(app, 'postureLog.export', { filter: { view: 'latest' } }));
  await until(() => app.exports.fileOf(exportId) !== undefined, 'the export to finish');
});

afterAll(async () => {
  await host.close();
  await closeApp();
  console.log(
    `Web host: ${tried.unauthenticated} unauthenticated requests, ${tried.traversal} traversal paths, ${tried.hosts} Host headers, ${tried.origins} Origins tried; all refused.`,
  );
});

/** One request written byte for byte on a socket: no client-side URL normalization, any Host header. */
function raw(requestLines: string[], body = ''): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve) => {
    const socket = connect(host.port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    // A server that answers early and resets (413, 431) still said what it said.
    socket.on('error', () => {});
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') });
    });
    socket.write([...requestLines, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
  });
}

const get = (path: string, headers: string[] = [`Host: 127.0.0.1:${hostPort}`]) => raw([`GET ${path} HTTP/1.1`, ...headers]);
const post = (path: string, body: string, headers: string[]) =>
  raw([`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${hostPort}`, 'Content-Type: application/json', ...headers], body);
const bearer = () => `Authorization: Bearer ${host.token}`;

describe('the token is required everywhere', () => {
  const wrong = () => [
    [],
    ['Authorization: Bearer '],
    [`Authorization: Bearer ${host.token}x`],
    [`Authorization: Bearer ${host.token.slice(0, -1)}`],
    [`Authorization: bearer ${host.token}`],
    [`Authorization: Basic ${Buffer.from(`admin:${host.token}`).toString('base64')}`],
    [`Authorization: Token ${host.token}`],
    [`Cookie: pc_session=${host.token}`],
    ['Cookie: pc_session=forged'],
    [`X-Access-Token: ${host.token}`],
  ];

  it('every contract channel answers 401 without the right token, and runs nothing', async () => {
    const before = await call(app, 'settings.get', {});
    for (const channel of Object.keys(contract))
      for (const headers of wrong()) {
        const res = await post(`/api/invoke/${channel}`, JSON.stringify({ theme: 'dark' }), headers);
        tried.unauthenticated++;
        expect(res.status, `${channel} with ${headers.join() || 'no token'}`).toBe(401);
        expect(res.body).toContain('unauthorized');
      }
    expect(await call(app, 'settings.get', {})).toEqual(before);
  });

  it('the token in the query string or the URL fragment does not count', async () => {
    for (const path of [
      `/api/invoke/app.info?token=${host.token}`,
      `/api/invoke/app.info?access_token=${host.token}`,
      `/api/invoke/app.info#token=${host.token}`,
    ]) {
      tried.unauthenticated++;
      expect((await post(path, '{}', [])).status).toBe(401);
    }
  });

  it('the event stream, export downloads, the session exchange and unknown API paths demand it too', async () => {
    for (const headers of wrong()) {
      for (const path of ['/api/events', `/api/exports/${exportId}`, '/api/exports/..%2f..%2fvault.json', '/api/nothing-here', '/api/', '/api']) {
        const res = await get(path, [`Host: 127.0.0.1:${hostPort}`, ...headers]);
        tried.unauthenticated++;
        expect(res.status, `${path} with ${headers.join() || 'no token'}`).toBe(401);
        expect(res.body).not.toContain(SENTINEL);
      }
    }
    for (const body of [
      '{}',
      '{"token":""}',
      `{"token":"${host.token}x"}`,
      `{"token":["${host.token}"]}`,
      `{"token":{"toString":"${host.token}"}}`,
      'not json',
    ]) {
      tried.unauthenticated++;
      expect((await post('/api/session', body, [])).status).toBe(401);
    }
  });

  it('with the token, the export downloads as an attachment that is not cached', async () => {
    const res = await get(`/api/exports/${exportId}`, [`Host: 127.0.0.1:${hostPort}`, bearer()]);
    expect(res.status).toBe(200);
    expect(res.headers).toContain('content-disposition: attachment;');
    expect(res.headers).toContain('cache-control: no-store');
    expect(res.headers).toContain('content-type: text/csv');
  });

  it('an export id is a lookup key, never a path', async () => {
    for (const id of ['..', '..%2f..%2fsettings.json', '%2e%2e%2fvault.json', 'vault.json', `${exportId}%00`, `${exportId}/..`]) {
      const res = await get(`/api/exports/${id}`, [`Host: 127.0.0.1:${hostPort}`, bearer()]);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SENTINEL);
    }
  });
});

describe('static files', () => {
  it('serve the renderer without a token, and nothing from the data directory', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Posture Console');
    expect((await get('/assets/app.js')).body).toContain('ui = true');
    // Unknown paths fall back to the page itself: no listing, no data.
    for (const path of ['/settings.json', '/vault.json', '/vault.key', '/posture-log.sqlite', '/exports/', '/data/notes.txt', '/assets/', '/.git/config']) {
      const res = await get(path);
      expect(res.body, path).not.toContain(SENTINEL);
      expect(res.body, path).not.toMatch(/Index of|<li>|"providers"|ciphertext/i);
    }
  });

  it('cannot be walked out of, however the path is encoded', async () => {
    const targets = ['private.txt', 'data/notes.txt', 'data/vault.json', 'data/settings.json'];
    const ups = [
      '../',
      '..%2f',
      '..%2F',
      '%2e%2e/',
      '%2e%2e%2f',
      '.%2e/',
      '%2e./',
      '..%5c',
      '..\\',
      '%252e%252e%252f',
      '..%c0%af',
      '..%ef%bc%8f',
      '....//',
      '..;/',
      '%2e%2e%u2215',
    ];
    for (const target of targets)
      for (const up of ups)
        for (const depth of [1, 2, 4]) {
          const paths = [`/${up.repeat(depth)}${target}`, `/assets/${up.repeat(depth)}${target}`, `/${up.repeat(depth)}${target}%00.js`];
          for (const path of paths) {
            const res = await get(path);
            tried.traversal++;
            expect(res.body, path).not.toContain(SENTINEL);
            expect(res.body, path).not.toContain('ciphertext');
          }
        }
    for (const path of ['/etc/passwd', '//etc/passwd', '/%2fetc%2fpasswd', '/file:///etc/passwd', `/${join(repoRoot, 'package.json')}`]) {
      const res = await get(path);
      tried.traversal++;
      expect(res.body, path).not.toMatch(/root:x:0:0|"devDependencies"/);
    }
  });
});

describe('Host and Origin checks', () => {
  it('refuse a foreign Host even with the token: API, events and static files (DNS rebinding)', async () => {
    const hosts = [
      'attacker.example',
      `attacker.example:${hostPort}`,
      `127.0.0.1.nip.io:${hostPort}`,
      `localhost.attacker.example:${hostPort}`,
      `127.0.0.1:${Number(hostPort) + 1}`,
      '127.0.0.1',
      `[::1]:${hostPort}`,
      `localhost.:${hostPort}`,
      `0.0.0.0:${hostPort}`,
      '',
      `127.0.0.1:${hostPort}@attacker.example`,
    ];
    for (const value of hosts)
      for (const path of ['/api/invoke/app.info', '/api/events', '/']) {
        const res = path.startsWith('/api/invoke')
          ? await raw([`POST ${path} HTTP/1.1`, `Host: ${value}`, bearer(), 'Content-Type: application/json'], '{}')
          : await get(path, [`Host: ${value}`, bearer()]);
        tried.hosts++;
        expect([400, 403], `${path} with Host ${JSON.stringify(value)}`).toContain(res.status);
      }
    // The names the host does answer to.
    for (const value of [`127.0.0.1:${hostPort}`, `localhost:${hostPort}`, `LOCALHOST:${hostPort}`])
      expect((await raw(['POST /api/invoke/app.info HTTP/1.1', `Host: ${value}`, bearer(), 'Content-Type: application/json'], '{}')).status).toBe(200);
  });

  it('refuse a foreign Origin even with the token, and never grant CORS', async () => {
    const origins = [
      'https://attacker.example',
      'null',
      `http://127.0.0.1:${Number(hostPort) + 1}`,
      `https://127.0.0.1:${hostPort}`,
      `http://localhost.attacker.example:${hostPort}`,
      `http://127.0.0.1.nip.io:${hostPort}`,
      'file://',
      'chrome-extension://abcdef',
      `http://127.0.0.1:${hostPort}.attacker.example`,
    ];
    for (const origin of origins) {
      for (const [method, path, body] of [
        ['POST', '/api/invoke/settings.update', '{"theme":"dark"}'],
        ['POST', '/api/session', `{"token":"${host.token}"}`],
        ['GET', '/api/events', ''],
      ] as const) {
        const res = await raw(
          [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${hostPort}`, `Origin: ${origin}`, bearer(), 'Content-Type: application/json'],
          body,
        );
        tried.origins++;
        expect(res.status, `${method} ${path} from ${origin}`).toBe(403);
        expect(res.headers).not.toContain('access-control-allow-origin');
      }
      const preflight = await raw([
        'OPTIONS /api/invoke/settings.update HTTP/1.1',
        `Host: 127.0.0.1:${hostPort}`,
        `Origin: ${origin}`,
        'Access-Control-Request-Method: POST',
      ]);
      expect(preflight.headers).not.toContain('access-control-allow-origin');
    }
    expect((await call(app, 'settings.get', {})).theme).not.toBe('dark');
    // The page's own origin works.
    const same = await raw(
      ['POST /api/invoke/app.info HTTP/1.1', `Host: 127.0.0.1:${hostPort}`, `Origin: http://127.0.0.1:${hostPort}`, bearer(), 'Content-Type: application/json'],
      '{}',
    );
    expect(same.status).toBe(200);
  });

  it('every answer carries the CSP and refuses framing and sniffing', async () => {
    for (const path of ['/', '/assets/app.js', '/api/invoke/app.info', '/nowhere']) {
      const res = await get(path);
      expect(res.headers).toContain("content-security-policy: default-src 'self'");
      expect(res.headers).toContain('x-frame-options: deny');
      expect(res.headers).toContain('x-content-type-options: nosniff');
      expect(res.headers).toContain('referrer-policy: no-referrer');
    }
  });
});

describe('size limits', () => {
  it('a body over 1 MiB is refused with 413 before any handler runs', async () => {
    const before = await call(app, 'settings.get', {});
    const big = JSON.stringify({ theme: 'dark', pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await post('/api/invoke/settings.update', big, [bearer()]);
    expect(res.status).toBe(413);
    expect(await call(app, 'settings.get', {})).toEqual(before);
  });

  it('a chunked body over 1 MiB (no declared length) is refused too', async () => {
    const res = await new Promise<number>((resolve) => {
      const socket = connect(host.port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        if (data.includes('\r\n')) resolve(Number(data.split(' ')[1]));
      });
      socket.on('error', () => resolve(0));
      socket.on('close', () => resolve(Number(data.split(' ')[1]) || 0));
      socket.write(
        [
          `POST /api/invoke/settings.update HTTP/1.1`,
          `Host: 127.0.0.1:${hostPort}`,
          bearer(),
          'Content-Type: application/json',
          'Transfer-Encoding: chunked',
          '',
          '',
        ].join('\r\n'),
      );
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20 && !socket.destroyed; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(res).toBe(413);
  });

  it('oversized headers are refused (431)', async () => {
    const res = await get('/api/invoke/app.info', [`Host: 127.0.0.1:${hostPort}`, bearer(), `X-Pad: ${'y'.repeat(64 * 1024)}`]);
    expect(res.status).toBe(431);
  });
});

describe('binding', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(host.url).toBe(`http://127.0.0.1:${hostPort}`);
  });

  /** Starts `posture-console serve`, waits for its URL, stops it; returns what it printed. */
  const serve = (args: string[]) =>
    new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'pc-serve-'));
      const child = spawn(process.execPath, [cliLauncher, 'serve', '--port', '0', '--data-dir', dataDir, ...args], { cwd: repoRoot });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/#token=/.test(stdout)) child.kill('SIGTERM');
      });
      child.on('error', reject);
      child.on('close', () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve({ stdout, stderr });
      });
    });

  it('`serve` prints a loopback URL and no warning; `serve --host 0.0.0.0` prints WARNING (built CLI)', async () => {
    const plain = await serve([]);
    expect(plain.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/);
    expect(plain.stderr).not.toMatch(/WARNING/);
    const exposed = await serve(['--host', '0.0.0.0']);
    expect(exposed.stderr).toMatch(/^WARNING: binding to 0\.0\.0\.0 makes the console reachable from other machines/m);
  });
});
