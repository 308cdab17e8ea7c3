// Secret custody trap: providers are configured with distinctive secrets, then every channel is driven over
// the web host (responses and the event stream captured), polls, exports, incidents and IOC pushes run,
// faults push the clients down their error paths, the CLI adds, lists and tests providers, and the log
// is captured at trace level. The plaintext secrets, their base64 forms, the Basic credential and every
// bearer token the app was issued must then appear nowhere: not in a response, an event, a log line, an
// export, the SQLite files, the settings file, the vault file or CLI output. Forwarding sinks carry trap tokens too
// (Splunk HEC, OTLP bearer), and every byte forwarded to a syslog receiver and every HTTP body sent to the fake
// HEC/OTLP collectors is searched as well.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { contract, type Channel } from '../../src-shared/contract';
import type { App } from '../core/app';
import { createLogger } from '../core/log';
import type { HttpClient } from '../core/providers/http';
import { startWebHost, type WebHost } from '../web/server';
import { cliLauncher, repoRoot } from './cli-build';
import { fastHttp, startApp, until } from './harness';
import { sampleRequests } from './samples';

const FALCON_CLIENT_ID = randomBytes(16).toString('hex');
// Each ends in four letters that are not hex, so finding its last four characters anywhere is a leak, not chance.
const FALCON_SECRET = `TrapFalconSecret${randomBytes(12).toString('hex')}Fqlw`;
const S1_TOKEN = `TrapS1Token${randomBytes(24).toString('hex')}Sjvk`;
const CLI_S1_TOKEN = `TrapCliS1Token${randomBytes(16).toString('hex')}Cmyx`;
const HEC_TOKEN = `TrapHecToken${randomBytes(16).toString('hex')}Hwzq`;
const OTLP_TOKEN = `TrapOtlpToken${randomBytes(16).toString('hex')}Otkv`;

let sim: Simulator;
let app: App;
let dir: string;
let closeApp: () => Promise<void>;
let host: WebHost;
const logLines: string[] = [];
/** Everything that left the core: HTTP responses, SSE text, CLI output. */
const outputs: { where: string; text: string }[] = [];
/** Bearer tokens the app was issued, seen on its own outgoing requests. */
const bearerTokens = new Set<string>();
const driven = new Set<string>();
let sse = '';
let stopSse: AbortController;
/** Everything the sinks sent: the syslog byte stream, and HEC/OTLP request bodies (their Authorization header is where a token belongs). */
let forwarded = Buffer.alloc(0);
let collectors: { syslogPort: number; httpUrl: string; close(): Promise<void> };

async function startCollectors(): Promise<typeof collectors> {
  const syslog = createServer((socket) => socket.on('data', (d: Buffer) => (forwarded = Buffer.concat([forwarded, d]))));
  await new Promise<void>((resolve) => syslog.listen(0, '127.0.0.1', resolve));
  const http = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      forwarded = Buffer.concat([forwarded, ...chunks]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(req.url?.includes('/v1/logs') ? '{}' : '{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    syslogPort: (syslog.address() as AddressInfo).port,
    httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => syslog.close(resolve));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** The app's HTTP client, noting every bearer token it sends so they can be searched for too. */
function recordingBearers(inner: HttpClient): HttpClient {
  return {
    clock: inner.clock,
    clockSkewMs: (origin) => inner.clockSkewMs(origin),
    close: () => inner.close(),
    request: (req) => {
      const auth = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
      const bearer = auth?.match(/^Bearer (.+)$/)?.[1];
      if (bearer) bearerTokens.add(bearer);
      return inner.request(req);
    },
  };
}

function traps(): { name: string; value: string }[] {
  const plain = [
    { name: 'Falcon client secret', value: FALCON_SECRET },
    { name: 'SentinelOne API token', value: S1_TOKEN },
    { name: 'CLI SentinelOne API token', value: CLI_S1_TOKEN },
    { name: 'Splunk HEC token', value: HEC_TOKEN },
    { name: 'OTLP bearer token', value: OTLP_TOKEN },
  ];
  return [
    ...plain,
    ...plain.map((t) => ({ name: `${t.name} (base64)`, value: Buffer.from(t.value).toString('base64') })),
    ...plain.map((t) => ({ name: `${t.name} (base64url)`, value: Buffer.from(t.value).toString('base64url') })),
    { name: 'Falcon Basic credential', value: Buffer.from(`${FALCON_CLIENT_ID}:${FALCON_SECRET}`).toString('base64') },
    ...[...bearerTokens].map((token, i) => ({ name: `issued bearer token #${i + 1}`, value: token })),
    // Part of a credential is still a leak: a middle part, and the last four characters (once shown as a hint).
    ...plain.map((t) => ({ name: `${t.name} (a middle part)`, value: t.value.slice(-28, -12) })),
    ...plain.map((t) => ({ name: `${t.name} (its last four characters)`, value: t.value.slice(-4) })),
    ...[...bearerTokens]
      .filter((t) => t.length >= 32)
      .map((token, i) => ({ name: `issued bearer token #${i + 1} (its first half)`, value: token.slice(0, token.length / 2) })),
  ];
}

function expectClean(where: string, text: string | Buffer): void {
  for (const trap of traps()) {
    const found = Buffer.isBuffer(text) ? text.includes(trap.value) || text.includes(Buffer.from(trap.value, 'utf16le')) : text.includes(trap.value);
    expect(found, `${trap.name} found in ${where}`).toBe(false);
  }
}

async function invoke(channel: string, req: unknown): Promise<unknown> {
  const res = await fetch(`${host.url}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  const text = await res.text();
  outputs.push({ where: `${channel} response`, text });
  driven.add(channel);
  return JSON.parse(text);
}

beforeAll(async () => {
  sim = await startSimulator({ devices: 60, seed: 31, alerts: 0 });
  sim.addFalconClient({
    clientId: FALCON_CLIENT_ID,
    clientSecret: FALCON_SECRET,
    scopes: ['zero-trust-assessment:read', 'devices:read', 'devices:write', 'alerts:read', 'alerts:write', 'ioc:read', 'ioc:write'],
  });
  sim.addSentinelOneToken({ token: S1_TOKEN });
  sim.addSentinelOneToken({ token: CLI_S1_TOKEN });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination: sink });
  collectors = await startCollectors();
  ({ app, dir, close: closeApp } = await startApp({ http: recordingBearers(fastHttp({ logger })), logger, host: 'web' }));
  host = await startWebHost({ app });
  stopSse = new AbortController();
  void fetch(`${host.url}/api/events`, { headers: { authorization: `Bearer ${host.token}` }, signal: stopSse.signal })
    .then(async (res) => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body!) sse += decoder.decode(chunk as Uint8Array);
    })
    .catch(() => {});
});

afterAll(async () => {
  stopSse.abort();
  await host.close();
  await closeApp();
  await collectors.close();
  await sim.close();
});

describe('secret custody', () => {
  let ids: Parameters<typeof sampleRequests>[0];

  it('every channel, poll, export, incident and IOC push runs with the trap secrets configured', async () => {
    const zta = (await invoke('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: FALCON_CLIENT_ID,
      clientSecret: FALCON_SECRET,
      customerId: sim.credentials.falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    })) as { ok: true; value: { config: { id: string }; secret: Record<string, unknown> } };
    expect(zta.ok).toBe(true);
    expect(zta.value.secret).toMatchObject({ configured: true, changedAt: expect.any(String) });
    const s1 = (await invoke('providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: S1_TOKEN })) as {
      value: { config: { id: string } };
    };
    const detections = (await invoke('providers.save', {
      kind: 'crowdstrike-falcon-incidents',
      name: 'Detections',
      clientId: FALCON_CLIENT_ID,
      clientSecret: FALCON_SECRET,
      region: 'custom',
      baseUrl: sim.url,
    })) as { value: { config: { id: string } } };
    const [providerId, s1Id, integrationId] = [zta.value.config.id, s1.value.config.id, detections.value.config.id];
    // Sinks before the polls, so what the polls produce is forwarded: every event kind, to every kind of sink.
    const syslogSink = (await invoke('sinks.save', {
      kind: 'syslog',
      name: 'Trap syslog',
      host: '127.0.0.1',
      port: collectors.syslogPort,
      transport: 'tcp',
    })) as {
      value: { config: { id: string } };
    };
    const hecSink = (await invoke('sinks.save', {
      kind: 'splunk-hec',
      name: 'Trap HEC',
      url: `${collectors.httpUrl}/services/collector/event`,
      token: HEC_TOKEN,
    })) as {
      ok: boolean;
      value: { config: { id: string }; token: Record<string, unknown> };
    };
    expect(hecSink.ok).toBe(true);
    expect(hecSink.value.token).toMatchObject({ configured: true });
    await invoke('sinks.save', { kind: 'otlp-http', name: 'Trap OTLP', url: `${collectors.httpUrl}/v1/logs`, token: OTLP_TOKEN });
    for (const id of [syslogSink.value.config.id, hecSink.value.config.id]) await invoke('sinks.test', { id });

    // Real work first, so the sample requests below find real records.
    for (const id of [providerId, s1Id, integrationId]) expect(((await invoke('providers.test', { id })) as { value: { ok: boolean } }).value.ok).toBe(true);
    const check = (await invoke('checks.save', { name: 'ZTA 60', providerId, rule: { attribute: 'overall', operator: '>=', value: 60 } })) as {
      value: { id: string };
    };
    await invoke('checks.save', { name: 'Clean', providerId: s1Id, rule: { attribute: 'infected', expected: false } });
    for (const id of [providerId, s1Id]) expect(await invoke('posture.pollNow', { providerId: id })).toMatchObject({ value: { outcome: 'succeeded' } });
    sim.addAlerts(4, { severity: 95 });
    sim.addAlerts(2, { severity: 20 });
    await invoke('incidents.pollNow', { integrationId });
    const incidents = (await invoke('incidents.list', {})) as { value: { items: { number: string }[] } };
    const pushed = (await invoke('iocs.push', {
      integrationId,
      actor: 'tester',
      input: { type: 'domain', value: 'trap.example', action: 'detect', severity: 'high', platforms: ['windows'], expiration_days: 10 },
    })) as { value: { ioc: { id: string } } };
    const devices = (await invoke('devices.list', { limit: 1 })) as { value: { items: { key: string }[] } };
    const exported = (await invoke('postureLog.export', { filter: { view: 'evaluations' } })) as { value: { exportId: string } };
    await until(() => app.exports.fileOf(exported.value.exportId) !== undefined, 'the export to finish');
    const download = await fetch(`${host.url}/api/exports/${exported.value.exportId}`, { headers: { authorization: `Bearer ${host.token}` } });
    outputs.push({ where: 'export download', text: await download.text() });

    ids = {
      providerId,
      integrationId,
      checkId: check.value.id,
      incidentNumber: incidents.value.items[0]!.number,
      iocId: pushed.value.ioc.id,
      deviceKey: devices.value.items[0]!.key,
      exportId: exported.value.exportId,
      userId: 'user-1',
      sinkId: syslogSink.value.config.id,
    };
    await invoke('incidents.containmentSettings.set', { autoContainEnabled: true, actor: 'tester' });

    // Then every channel with a well-formed request; removals last, on a throwaway provider.
    const samples = sampleRequests(ids);
    for (const channel of Object.keys(contract) as Channel[]) {
      if (channel === 'providers.remove' || channel === 'sinks.remove' || !(channel in samples)) continue;
      await invoke(channel, samples[channel]);
    }
    const throwaway = (await invoke('providers.save', { kind: 'sentinelone', name: 'Throwaway', apiUrl: sim.url, apiToken: S1_TOKEN })) as {
      value: { config: { id: string } };
    };
    await invoke('providers.remove', { id: throwaway.value.config.id });
    const throwawaySink = (await invoke('sinks.save', {
      kind: 'splunk-hec',
      name: 'Throwaway HEC',
      url: `${collectors.httpUrl}/services/collector`,
      token: HEC_TOKEN,
    })) as {
      value: { config: { id: string } };
    };
    await invoke('sinks.remove', { id: throwawaySink.value.config.id });

    // Error paths, where a careless message would quote a request: faults on Test and on polls.
    for (const fault of [
      'bad_credentials',
      'token_expiry:value=0',
      'malformed_json:/oauth2/token',
      'server_error',
      's1_token_expired',
      's1_site_scoped',
      'missing_scope:devices:read',
    ]) {
      sim.setFaults(fault);
      for (const id of [providerId, s1Id, integrationId]) await invoke('providers.test', { id });
      await invoke('posture.pollNow', { providerId });
      await invoke('posture.pollNow', { providerId: s1Id });
      await invoke('incidents.pollNow', { integrationId });
    }
    sim.clearFaults();
    await invoke('posture.status', {});
    await invoke('incidents.pollerStatus', {});
    await invoke('providers.list', {});
    await until(() => sse.includes('providers.changed'), 'events on the stream');

    await until(() => forwarded.includes('posture.change') && forwarded.includes('incident.created'), 'posture changes and incidents forwarded to syslog');
    expect(bearerTokens.size, 'the app was issued tokens to trap').toBeGreaterThan(0);
    const missing = Object.keys(contract).filter((c) => !driven.has(c));
    expect(missing, 'channels not driven').toEqual([]);
  });

  it('no forwarded byte carries a secret: the syslog stream and every HEC/OTLP body', () => {
    expect(forwarded.length, 'something was forwarded').toBeGreaterThan(0);
    expectClean('bytes forwarded to the sinks', forwarded);
  });

  it('no response, event or log line carries a secret', () => {
    for (const { where, text } of outputs) expectClean(where, text);
    expectClean('the event stream', sse);
    expect(logLines.length, 'the log was captured').toBeGreaterThan(0);
    expectClean('the log', logLines.join(''));
  });

  it('no file in the data directory holds a secret: settings, vault, key, SQLite (with WAL), exports, history', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true }))
        if (entry.isDirectory()) walk(join(d, entry.name));
        else files.push(join(d, entry.name));
    };
    walk(dir);
    const names = files.map((f) => relative(dir, f));
    expect(names).toEqual(expect.arrayContaining(['settings.json', 'vault.json', 'posture-log.sqlite']));
    expect(names.some((n) => n.startsWith('exports'))).toBe(true);
    for (const file of files) expectClean(relative(dir, file), readFileSync(file));
    // The vault holds ciphertext only, readable by the owner alone.
    expect(statSync(join(dir, 'vault.json')).mode & 0o077).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')).entries).length).toBeGreaterThan(0);
  });

  it('no audit row, audit page or audit export holds a secret; providers saved with one say only that it changed', async () => {
    const db = new DatabaseSync(join(dir, 'posture-log.sqlite'), { readOnly: true });
    const rows = db.prepare('SELECT doc, mac FROM audit_entries ORDER BY seq').all() as { doc: string; mac: string }[];
    db.close();
    // Every acting channel ran above, secrets and all: the trail holds them as entries.
    expect(rows.length).toBeGreaterThan(30);
    for (const [i, row] of rows.entries()) expectClean(`audit row ${i + 1}`, row.doc);
    const added = rows
      .map((r) => JSON.parse(r.doc) as { action: string; changes: { field: string; before: unknown; after: unknown }[] })
      .filter((e) => e.action === 'provider.added');
    expect(added.length).toBeGreaterThanOrEqual(3);
    for (const entry of added)
      expect(entry.changes.find((c) => c.field === 'clientSecret' || c.field === 'apiToken')).toMatchObject({ before: null, after: '[redacted]' });
    for (const [channel, req] of [
      ['audit.query', { limit: 1000 }],
      ['audit.export', {}],
      ['audit.verify', {}],
    ] as const) {
      const res = await fetch(`${host.url}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(req),
      });
      const text = await res.text();
      expect(res.status).toBe(200);
      expectClean(`the ${channel} response`, text);
    }
  });

  it('the logger censors secrets by path and by name at any depth, whatever a careless call passes it', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (s: string) => void lines.push(s) } });
    logger.info({ clientSecret: FALCON_SECRET, apiToken: S1_TOKEN, token: S1_TOKEN, secret: FALCON_SECRET }, 'top level');
    logger.warn({ config: { clientSecret: FALCON_SECRET, apiToken: S1_TOKEN }, request: { authorization: `Bearer ${S1_TOKEN}` } }, 'one level down');
    logger.error({ req: { headers: { authorization: `ApiToken ${S1_TOKEN}`, cookie: `pc_session=${S1_TOKEN}` } } }, 'request headers');
    logger.debug({ poll: { provider: { config: { credentials: [{ client_secret: FALCON_SECRET, apiToken: S1_TOKEN }] } } } }, 'deep down');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expectClean('a log line', line);
      expect(line).toContain('[redacted]');
    }
  });

  it('the CLI adds, lists and tests providers without printing a secret (built bundle)', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'pc-cli-custody-'));
    const env = { ...process.env, PC_TRAP_S1: CLI_S1_TOKEN, PC_TRAP_FALCON: FALCON_SECRET, POSTURE_CONSOLE_LOG_LEVEL: 'trace' };
    // Asynchronous: the simulator the CLI talks to runs in this process.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => {
          outputs.push({ where: `cli ${args.join(' ')}`, text: stdout + stderr });
          expectClean(`CLI output of ${args.slice(0, 5).join(' ')}`, stdout + stderr);
          resolve({ status, stdout, stderr });
        });
      });
    const add = await run(
      'providers',
      '--data-dir',
      cliDir,
      'add',
      '--kind',
      'sentinelone',
      '--name',
      'CLI S1',
      '--api-url',
      sim.url,
      '--secret-env',
      'PC_TRAP_S1',
    );
    expect(add.status, add.stderr).toBe(0);
    const addZta = await run(
      'providers',
      '--data-dir',
      cliDir,
      '--json',
      'add',
      '--kind',
      'crowdstrike-zta',
      '--name',
      'CLI ZTA',
      '--client-id',
      FALCON_CLIENT_ID,
      '--customer-id',
      sim.credentials.falcon.customerId,
      '--region',
      'custom',
      '--base-url',
      sim.url,
      '--secret-env',
      'PC_TRAP_FALCON',
    );
    expect(addZta.status, addZta.stderr).toBe(0);
    expect((await run('providers', '--data-dir', cliDir, 'list')).status).toBe(0);
    const list = await run('providers', '--data-dir', cliDir, '--json', 'list');
    expect(JSON.parse(list.stdout)).toHaveLength(2);
    const test = await run('providers', '--data-dir', cliDir, '--json', 'test', 'CLI S1');
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true });
    sim.setFaults('s1_token_expired');
    const failing = await run('providers', '--data-dir', cliDir, 'test', 'CLI S1');
    sim.clearFaults();
    expect(failing.status).toBe(1);
    // A secret given on the command line would be visible to every user in the process list: there is no such option.
    const argv = await run('providers', '--data-dir', cliDir, 'add', '--kind', 'sentinelone', '--name', 'Argv', '--api-url', sim.url, '--api-token', 'x');
    expect(argv.status).not.toBe(0);
    // The audit trail of those commands, printed and exported, names the secrets' fields and never their values.
    const auditCsv = join(cliDir, 'audit.csv');
    expect((await run('audit', '--data-dir', cliDir, 'list', '--csv', auditCsv)).status).toBe(0);
    expect(readFileSync(auditCsv, 'utf8')).toContain('[redacted]');
    expect((await run('audit', '--data-dir', cliDir, '--json', 'list')).stdout).toContain('provider.added');
    expect((await run('audit', '--data-dir', cliDir, 'verify')).status).toBe(0);
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const file of walk(cliDir)) expectClean(`CLI data directory ${relative(cliDir, file)}`, readFileSync(file));
    rmSync(cliDir, { recursive: true, force: true });
  }, 180_000); // eight CLI processes: seconds each on a loaded machine
});

describe('structured logging only', () => {
  it('src-main/core has no ad-hoc console calls (everything goes through the redacting logger)', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/\bconsole\s*\.\s*(log|info|warn|error|debug|trace|dir|table)\b/.test(line) && !/^\s*(\/\/|\*)/.test(line))
                offenders.push(`${relative(repoRoot, path)}:${i + 1}`);
            });
        }
      }
    };
    walk(join(repoRoot, 'src-main/core'));
    expect(offenders).toEqual([]);
  });

  it('the grep above would catch one', () => {
    expect(/\bconsole\s*\.\s*(log|info|warn|error|debug|trace|dir|table)\b/.test("  console.log('secret', value);")).toBe(true);
  });
});
