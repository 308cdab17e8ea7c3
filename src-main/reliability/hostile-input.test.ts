// Hostile input at the door, on both transports: every contract channel gets malformed, oversized,
// wrong-typed and prototype-polluting payloads through the Electron IPC binding (bindContract over a fake
// ipcMain) and through the web host over real HTTP. Whatever the schema refuses must come back as
// invalid_input (HTTP 400), any refusal must change nothing, nothing may fail as `internal`, and
// Object.prototype must stay clean. The form schemas and the rule language are fuzzed on their own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, isChannel, type Envelope } from '../../src-shared/contract';
import { dispatch } from '../../src-shared/dispatch';
import { issuesFromZod } from '../../src-shared/errors';
import { UiSettingsPatch } from '../../src-shared/schemas/app';
import {
  ContainmentRequest,
  ContainmentSettingsInput,
  EnrichmentMapping,
  IncidentNote,
  IncidentQuery,
  IocInput,
  IocPushRequest,
  StateChange,
} from '../../src-shared/schemas/incidents';
import { DeviceQuery } from '../../src-shared/schemas/inventory';
import { PostureCheckInput, WhatIfRequest } from '../../src-shared/schemas/posture';
import { ExportRequest, LogFilter, LogQuery } from '../../src-shared/schemas/posture-log';
import { PreferencesPatch } from '../../src-shared/schemas/preferences';
import { ProviderInput } from '../../src-shared/schemas/providers';
import { DetectionRule, MAX_CONDITION_LENGTH, RuleSet, SeedDetectionRules } from '../../src-shared/schemas/rules';
import type { App } from '../core/app';
import { silentLogger } from '../core/log';
import type { HttpClient } from '../core/providers/http';
import { bindContract } from '../ipc';
import { startWebHost, type WebHost } from '../web/server';
import { call, fastHttp, startApp } from './harness';
import { sampleRequests } from './samples';

/** Cases per channel and transport; every run draws new ones (the seed is printed on failure). */
const RUNS = 25;

let app: App;
let dir: string;
let closeApp: () => Promise<void>;
let host: WebHost;
let dispatcher: Agent;
let ipc: Map<string, (event: IpcMainInvokeEvent, raw: unknown) => Promise<unknown>>;
const leftLoopback: string[] = [];
const counts = { cases: 0, refused: 0, accepted: 0, unknownChannels: 0, rawBodies: 0, forms: 0, conditions: 0 };
const channels = Object.keys(contract);
const samples = sampleRequests();

/** The app's outgoing HTTP, refusing anything but loopback: a fuzzed provider must never reach the internet. */
function loopbackOnly(inner: HttpClient): HttpClient {
  return {
    clock: inner.clock,
    clockSkewMs: (origin) => inner.clockSkewMs(origin),
    close: () => inner.close(),
    request: (req) => {
      if (new URL(req.url).hostname !== '127.0.0.1') {
        leftLoopback.push(req.url);
        return Promise.reject(new Error('refused: not loopback'));
      }
      return inner.request(req);
    },
  };
}

const http = loopbackOnly(fastHttp());

beforeAll(async () => {
  ({ app, dir, close: closeApp } = await startApp({ http }));
  host = await startWebHost({ app });
  dispatcher = new Agent({ connections: 4 });
  const bound = new Map<string, (event: IpcMainInvokeEvent, raw: unknown) => Promise<unknown>>();
  bindContract({ handle: (channel: string, listener: never) => void bound.set(channel, listener) } as never, app.handlers, {
    isTrusted: () => true,
    logger: silentLogger,
  });
  ipc = bound;
});

afterAll(async () => {
  await dispatcher.close();
  await host.close();
  await closeApp();
  await http.close();
  console.log(
    `Hostile input: ${counts.cases} contract cases over ${channels.length} channels × 2 transports (${counts.refused} refused at the door, ${counts.accepted} schema-valid), ` +
      `${counts.unknownChannels} unknown channel names, ${counts.rawBodies} raw HTTP bodies, ${counts.forms} form-schema inputs, ${counts.conditions} rule conditions. ` +
      `Channels without a well-formed sample (schema-agnostic payloads only): ${channels.filter((c) => !(c in samples)).join(', ') || 'none'}.`,
  );
});

// ---- hostile values ----------------------------------------------------------------------------

/** Sets an own enumerable property even for `__proto__`, as JSON.parse would. */
function withOwn(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const pollutingObject = fc
  .constantFrom(...POLLUTING_KEYS)
  .map((key) =>
    key === 'constructor'
      ? withOwn({}, 'constructor', withOwn({}, 'prototype', { polluted: 'yes', isAdmin: true }))
      : withOwn({}, key, { polluted: 'yes', isAdmin: true, toString: 'boom' }),
  );

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u2066',
    "=cmd|' /C calc'!A0",
    '../../../etc/passwd',
    '%2e%2e%2f',
    "' OR 1=1 --",
    '<img src=x onerror=alert(1)>',
    '${7*7}',
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53 + 1, -1, 1e308),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
  pollutingObject,
  // Oversized, but under the web host's 1 MiB body limit (that limit has its own tests).
  fc.constantFrom(5_000, 80_000, 400_000).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 50, max: 2_000 }).map(nested),
);

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) withOwn(out, k, clone(v));
    return out;
  }
  return value;
}

/** Every object or array inside a value, with the root first. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (value && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

type Mutation =
  | { kind: 'root'; value: unknown }
  | { kind: 'replace' | 'add'; at: number; key: number | string; value: unknown }
  | { kind: 'delete'; at: number; key: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // A root that is not an object: every request schema wants one.
  fc.record({ kind: fc.constant('root' as const), value: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.anything({ maxDepth: 1 }))) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), key: fc.nat(), value: hostileValue }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...POLLUTING_KEYS), fc.string({ maxLength: 10 })),
    value: fc.oneof(hostileValue, pollutingObject),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), key: fc.nat() }),
);

/** Applies one to three mutations to a copy of a well-formed value (a channel's sample, or `{}`). */
function hostilePayload(base: unknown): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    let payload = clone(base);
    for (const m of mutations) {
      if (m.kind === 'root') {
        payload = m.value;
        continue;
      }
      const nodes = containers(payload);
      if (nodes.length === 0) continue;
      const node = nodes[m.at % nodes.length]!;
      const keys = Object.keys(node);
      if (m.kind === 'add') {
        if (Array.isArray(node)) node.push(m.value);
        else withOwn(node, String(m.key), m.value);
        continue;
      }
      if (keys.length === 0) continue;
      const index = Number(m.key) % keys.length;
      if (m.kind === 'replace') withOwn(node as Record<string, unknown>, keys[index]!, m.value);
      else if (Array.isArray(node)) node.splice(index, 1);
      else delete (node as Record<string, unknown>)[keys[index]!];
    }
    return payload;
  });
}

// ---- observing the app -------------------------------------------------------------------------

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join();
function prototypesClean(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    Object.getOwnPropertyNames(Object.prototype).sort().join() === prototypeKeys &&
    probe.polluted === undefined &&
    probe.isAdmin === undefined &&
    typeof probe.toString === 'function'
  );
}

const readIf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** The settings file, less provider health: a provider an accepted request added is polled in the background. */
function settingsFile(): unknown {
  const text = readIf(join(dir, 'settings.json'));
  if (!text) return null;
  const { providerHealth: _health, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
}

/** Everything a request could change: the settings and vault files, and what the store holds. */
async function snapshot(): Promise<string> {
  const [evaluations, incidents, alerts, iocs] = await Promise.all([
    app.store.countLog(LogFilter.parse({ view: 'evaluations' })),
    call(app, 'incidents.list', {}),
    call(app, 'incidents.alertLog', {}),
    call(app, 'iocs.list', { includeDeleted: true }),
  ]);
  return JSON.stringify([settingsFile(), readIf(join(dir, 'vault.json')), evaluations, incidents.total, alerts.total, iocs.length]);
}

// ---- transports --------------------------------------------------------------------------------

type Sent = { status: number; envelope: Envelope<unknown> };

const trustedEvent = { senderFrame: { url: 'file:///app/index.html', parent: null } } as unknown as IpcMainInvokeEvent;

const transports: Record<'ipc' | 'http', { wire: (payload: unknown) => unknown; send: (channel: string, payload: unknown) => Promise<Sent> }> = {
  ipc: {
    wire: (payload) => payload,
    async send(channel, payload) {
      const envelope = (await ipc.get(channel)!(trustedEvent, payload)) as Envelope<unknown>;
      return { status: envelope.ok ? 200 : 0, envelope };
    },
  },
  http: {
    // What the server's JSON.parse sees (own `__proto__` keys survive the round trip).
    wire: (payload) => JSON.parse(JSON.stringify(payload) ?? 'null'),
    async send(channel, payload) {
      const res = await request(`${host.url}/api/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      return { status: res.statusCode, envelope: (await res.body.json()) as Envelope<unknown> };
    },
  },
};

describe.each(['ipc', 'http'] as const)('every contract channel over %s', (transport) => {
  const { send, wire } = transports[transport];

  it.each(channels)('%s: refuses hostile payloads with invalid_input and changes nothing', async (channel) => {
    const schema = contract[channel as keyof typeof contract].req as z.ZodType;
    await fc.assert(
      fc.asyncProperty(hostilePayload(samples[channel] ?? {}), async (payload) => {
        const before = await snapshot();
        const { status, envelope } = await send(channel, payload);
        counts.cases++;
        expect(prototypesClean(), 'Object.prototype unchanged').toBe(true);
        expect(envelope.ok ? 'ok' : envelope.error.code, 'never an internal failure').not.toBe('internal');
        const valid = schema.safeParse(wire(payload) ?? {}).success;
        if (!valid) {
          counts.refused++;
          expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: expect.any(Array) } });
          if (transport === 'http') expect(status).toBe(400);
        } else counts.accepted++;
        // Bad input changes nothing: any refusal, at the door or by the handler, leaves the state as it was.
        if (!envelope.ok) expect(await snapshot()).toBe(before);
      }),
      { numRuns: RUNS },
    );
    expect(leftLoopback).toEqual([]);
  });
});

describe('names that are not channels', () => {
  const unknown = fc
    .oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        'valueOf',
        '__defineGetter__',
        'providers',
        'providers.list.',
        'Providers.List',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    )
    .filter((name) => !isChannel(name));

  it('are not bound over IPC and answer unknown_channel (404) over HTTP', async () => {
    await fc.assert(
      fc.asyncProperty(unknown, async (name) => {
        counts.unknownChannels++;
        expect(ipc.has(name)).toBe(false);
        const { status, envelope } = await transports.http.send(name, {});
        expect(status).toBe(404);
        expect(envelope.ok).toBe(false);
        expect(prototypesClean()).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('raw HTTP bodies', () => {
  const body = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '',
      'null',
      '"x"',
      '[]',
      '1e999999',
      '{"theme":"dark","theme":"neon"}',
      '\uFEFF{}',
      '{"__proto__":{"polluted":"yes"}}',
      '{'.repeat(5000),
      '{"a":' + '['.repeat(20_000),
    ),
  );

  it('that are not a JSON object get a 4xx and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), body, async (channel, text) => {
        const before = await snapshot();
        const res = await request(`${host.url}/api/invoke/${channel}`, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
          body: text,
        });
        const envelope = (await res.body.json()) as Envelope<unknown>;
        counts.rawBodies++;
        let parsed: unknown;
        try {
          // Like the server's reader, a leading byte-order mark is not part of the JSON.
          parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch {
          parsed = undefined;
        }
        // Both transports read a missing (or null) payload as `{}`.
        const payload = parsed === null ? {} : parsed;
        const isObject = payload !== undefined && typeof payload === 'object' && !Array.isArray(payload);
        if (!isObject || !(contract[channel as keyof typeof contract].req as z.ZodType).safeParse(payload).success) {
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          expect(envelope.ok).toBe(false);
        }
        if (!envelope.ok) expect(await snapshot()).toBe(before);
        expect(prototypesClean()).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

// ---- form schemas ------------------------------------------------------------------------------

const forms: [string, z.ZodType, unknown][] = [
  ['ProviderInput', ProviderInput, samples['providers.save']],
  ['PostureCheckInput', PostureCheckInput, samples['checks.save'] as object],
  ['WhatIfRequest', WhatIfRequest, samples['checks.whatIf']],
  ['RuleSet', RuleSet, samples['rules.save']],
  ['DetectionRule', DetectionRule, (samples['rules.save'] as { rules: unknown[] }).rules[0]],
  ['SeedDetectionRules', SeedDetectionRules, { detection_rules: [{ condition: 'severity >= 50', action: 'create_incident', priority: 'P2' }] }],
  ['IocInput', IocInput, (samples['iocs.push'] as { input: unknown }).input],
  ['IocPushRequest', IocPushRequest, samples['iocs.push']],
  ['StateChange', StateChange, samples['incidents.changeState']],
  ['IncidentNote', IncidentNote, samples['incidents.addNote']],
  ['ContainmentRequest', ContainmentRequest, samples['incidents.containment']],
  ['ContainmentSettingsInput', ContainmentSettingsInput, samples['incidents.containmentSettings.set']],
  ['EnrichmentMapping', EnrichmentMapping, (samples['incidents.enrichment.set'] as { mapping: unknown }).mapping],
  ['UiSettingsPatch', UiSettingsPatch, samples['settings.update']],
  ['PreferencesPatch', PreferencesPatch, samples['preferences.update']],
  ['LogQuery', LogQuery, samples['postureLog.query']],
  ['ExportRequest', ExportRequest, samples['postureLog.export']],
  ['DeviceQuery', DeviceQuery, samples['devices.list']],
  ['IncidentQuery', IncidentQuery, { text: 'web', limit: 5 }],
];

/** No object in a parsed value may carry a prototype other than Object's (or be a polluting own key). */
function plainDeep(value: unknown): boolean {
  return containers(value).every(
    (node) =>
      (Array.isArray(node) || Object.getPrototypeOf(node) === Object.prototype || Object.getPrototypeOf(node) === null) && !Object.hasOwn(node, '__proto__'),
  );
}

describe('form schemas', () => {
  it.each(forms)('%s: any input parses or fails with field issues, never throws, never pollutes; output re-parses to itself', (_name, schema, sample) => {
    const input = fc.oneof(
      { weight: 3, arbitrary: hostilePayload(sample) },
      { weight: 1, arbitrary: fc.anything({ withObjectString: true, withNullPrototype: true, maxDepth: 3 }) },
    );
    fc.assert(
      fc.property(input, (value) => {
        counts.forms++;
        const result = schema.safeParse(value);
        expect(prototypesClean()).toBe(true);
        if (!result.success) {
          const issues = issuesFromZod(result.error);
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
          return;
        }
        expect(plainDeep(result.data), 'parsed output is plain data').toBe(true);
        const again = schema.safeParse(result.data);
        expect(again.success, 'a parsed value is valid input').toBe(true);
        expect(again.data).toEqual(result.data);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- the rule language -------------------------------------------------------------------------

const conditionToken = fc.oneof(
  fc.constantFrom('severity', 'tactic', 'technique', 'hostname', 'cmdline', 'tags', 'platform', 'filename', 'sevrity', 'device.hostname', 'x'.repeat(300)),
  fc.constantFrom(
    '>=',
    '<=',
    '>',
    '<',
    '=',
    '==',
    '!=',
    'AND',
    'OR',
    'NOT',
    'IN',
    'CONTAINS',
    'MATCHES',
    'and',
    'TRUE',
    'NULL',
    '(',
    ')',
    '((',
    ',',
    "'",
    '"',
    '\\',
  ),
  fc.constantFrom("'Execution'", "'Impact'", "'a''b'", "'unterminated", "'.*(a+)+$'", "'['", '80', '-1', '1e400', '0x1F', '٣', '\u202e', '\u0000', '\n', '\t'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const condition = fc.oneof(
  fc.array(conditionToken, { maxLength: 25 }).map((tokens) => tokens.join(' ')),
  fc.string({ unit: 'binary', maxLength: 200 }),
  // Deep nesting and long chains, within the limit and beyond it (the check channel takes twice the limit).
  fc.constantFrom(
    '('.repeat(1999) + 'TRUE' + ')'.repeat(1997),
    '('.repeat(MAX_CONDITION_LENGTH * 2),
    'NOT '.repeat(990) + 'TRUE',
    'NOT '.repeat(1900) + 'TRUE',
    "'" + 'a'.repeat(MAX_CONDITION_LENGTH),
    'severity >= 1 OR '.repeat(230) + 'TRUE',
    "tactic IN ('" + Array.from({ length: 600 }, (_, i) => i).join("', '") + "')",
  ),
);

describe('the rule language', () => {
  it('checks any condition with in-range positions, and save agrees with check', async () => {
    await fc.assert(
      fc.asyncProperty(condition, fc.nat(), async (text, at) => {
        counts.conditions++;
        const { diagnostics } = await call(app, 'rules.check', { condition: text });
        for (const d of diagnostics) {
          expect(d.from).toBeLessThanOrEqual(d.to);
          expect(d.to).toBeLessThanOrEqual(text.length);
        }
        const offset = text.length === 0 ? 0 : at % (text.length + 1);
        await call(app, 'rules.complete', { condition: text, offset });
        const rule = { id: 'fuzz', name: 'Fuzz', condition: text, action: 'log_only' };
        const saved = (await dispatch(app.handlers, 'rules.save', { rules: [rule] })).ok;
        const wellFormed = text.length > 0 && text.length <= MAX_CONDITION_LENGTH && !diagnostics.some((d) => d.severity === 'error');
        expect(saved, `save vs check for ${JSON.stringify(text.slice(0, 80))}`).toBe(wellFormed);
        expect(prototypesClean()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
