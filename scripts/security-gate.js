// Security gate: Electronegativity over the sources, failing on HIGH/MEDIUM findings unless each is
// allowlisted below with a written reason. The CLI always exits 0, so we use the programmatic API.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

// Electronegativity looks up translations and Electron releases online (with got). Offline, a got retry timer
// fired after its promise had settled and threw ("The `onCancel` handler was attached after the promise
// settled"), killing the gate mid-scan in about one run in five. The gate makes no network requests: every
// look-up fails at once as offline (the checks that need the release feed are allowlisted below).
const { Module } = require('node:module');
const gotPath = require.resolve('got', { paths: [dirname(require.resolve('@doyensec/electronegativity'))] });
const offline = () => Promise.reject(Object.assign(new Error('offline: the security gate makes no network requests'), { code: 'EOFFLINE' }));
const gotModule = new Module(gotPath);
gotModule.exports = Object.assign(offline, { head: offline, default: offline, __esModule: true });
gotModule.loaded = true;
require.cache[gotPath] = gotModule;

const run = require('@doyensec/electronegativity');

const root = resolve(import.meta.dirname, '..');
const scanned = ['src-main', 'src-preload', 'src-renderer', 'src-shared', 'package.json'];

/** Each entry: check id (as reported), file (relative), and why it is acceptable. */
const allowlist = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'src-main/window.ts',
    reason:
      'openExternal is called only for https vendor-documentation URLs accepted by isDocumentationUrl (src-main/window-policy.ts, tested in window.test.ts).',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'src-main/window.ts',
    reason:
      'The preload (src-preload/index.ts) exposes only invoke(contract channel) and subscribe(contract events) through contextBridge; the main process re-checks the sender and parses every payload (src-main/ipc.ts, ipc.test.ts).',
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    reason:
      'The CSP is set on every response by src-main/window.ts (session.webRequest.onHeadersReceived) and asserted by src-main/window.test.ts; index.html also carries it as a meta tag; Electronegativity cannot see headers set at runtime.',
  },
  {
    check: 'AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK',
    reason: 'Needs network access to the Electron release feed, which this machine does not have; Electron is kept on the current major (45) by package.json.',
  },
  {
    check: 'ELECTRON_VERSION_JSON_CHECK',
    reason: 'Same network requirement as above.',
  },
];

const blocking = new Set(['HIGH', 'MEDIUM']);

// One scan over the app's own sources (tests excluded), so global checks see the whole app at once.
const stage = mkdtempSync(join(tmpdir(), 'pc-security-'));
for (const entry of scanned) cpSync(resolve(root, entry), join(stage, entry), { recursive: true, filter: (src) => !/\.test\.tsx?$/.test(src) });

const result = await run(
  {
    input: stage,
    isRelative: true,
    isVerbose: false,
    customScan: [],
    excludeFromScan: [],
    parserPlugins: [],
    electronVersionOverride: '45.5.0',
  },
  false,
);
rmSync(stage, { recursive: true, force: true });

let failures = 0;
for (const error of result.errors ?? []) {
  console.error(`security: could not parse ${error.file ?? '?'}: ${error.message ?? error}`);
  failures++;
}
for (const issue of result.issues) {
  const severity = String(issue.severity?.name ?? issue.severity ?? '').toUpperCase();
  const id = issue.id;
  const file = String(issue.file ?? '').replace(/^[/\\]+/, '');
  const allowed = allowlist.find((a) => a.check === id && (!a.file || a.file === file));
  const where = `${file}:${issue.location?.line ?? '?'}`;
  if (allowed) console.log(`allowed  ${severity.padEnd(13)} ${id} ${where}\n         reason: ${allowed.reason}`);
  else if (blocking.has(severity)) {
    console.log(`FAIL     ${severity.padEnd(13)} ${id} ${where} — ${issue.description ?? ''}`);
    failures++;
  } else console.log(`info     ${severity.padEnd(13)} ${id} ${where}`);
}

console.log(`security gate: ${result.atomicChecks + result.globalChecks} checks, ${result.issues.length} findings, ${failures} blocking`);
process.exit(failures > 0 ? 1 : 0);
