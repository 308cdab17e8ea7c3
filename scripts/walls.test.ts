// The walls between processes hold by themselves: each probe below is code a review once slipped past lint and
// typecheck; now each must fail with its specific rule or TypeScript error, and the allowed imports must pass.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKits } from '../eslint.config.js';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `filePath` (never written), with the repo's eslint.config.js. */
async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

const BOUNDARY = 'boundaries/dependencies';

describe('import walls (eslint-plugin-boundaries)', () => {
  const probes: [what: string, file: string, code: string, says: RegExp][] = [
    ['core importing electron/main', 'src-main/core/probe.ts', "import { app } from 'electron/main';\nexport const a = app;", /electron/],
    ['core importing electron types only', 'src-main/core/probe.ts', "import type { Tray } from 'electron';\nexport type T = Tray;", /electron/],
    [
      'core importing the tray adapter',
      'src-main/core/posture/probe.ts',
      "import { createTray } from '../../platform/tray';\nexport const t = createTray;",
      /"core" to elements of type "platform"/,
    ],
    [
      'core importing the renderer',
      'src-main/core/probe.ts',
      "import { App } from '../../src-renderer/app/App';\nexport const a = App;",
      /"core" to elements of type "renderer"/,
    ],
    ['core re-exporting the web host', 'src-main/core/probe.ts', "export { startWebHost } from '../web/server';", /"core" to elements of type "web"/],
    [
      'core importing a test kit',
      'src-main/core/probe.ts',
      "import { createTestApp } from './test-app.testkit';\nexport const a = createTestApp;",
      /Test kits serve tests only/,
    ],
    ['the renderer importing pino', 'src-renderer/features/probe.ts', "import pino from 'pino';\nexport const p = pino;", /"renderer" to entities of module/],
    [
      'the renderer importing undici',
      'src-renderer/api/probe.ts',
      "import { request } from 'undici';\nexport const r = request;",
      /"renderer" to entities of module/,
    ],
    [
      'the renderer loading node:child_process dynamically',
      'src-renderer/app/probe.ts',
      "export const spawn = () => import('node:child_process');",
      /"renderer" to entities of module/,
    ],
    [
      'the renderer importing the main process',
      'src-renderer/probe.ts',
      "import { openStore } from '../src-main/core/store/store';\nexport const o = openStore;",
      /"renderer" to elements of type "store"/,
    ],
    ['src-shared importing undici', 'src-shared/probe.ts', "import { request } from 'undici';\nexport const r = request;", /"shared" to entities of module/],
    [
      'src-shared importing node:crypto',
      'src-shared/schemas/probe.ts',
      "import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;",
      /"shared" to entities of module/,
    ],
    ['demo importing electron', 'src-main/demo/probe.ts', "import { app } from 'electron';\nexport const a = app;", /electron/],
    ['web importing electron-store', 'src-main/web/probe.ts', "import Store from 'electron-store';\nexport const s = Store;", /electron-store/],
    [
      'sim importing the core',
      'sim/probe.ts',
      "import { createApp } from '../src-main/core/app';\nexport const a = createApp;",
      /"sim" to elements of type "core"/,
    ],
    [
      'the store importing the incident engine',
      'src-main/core/store/probe.ts',
      "import { runOperation } from '../incidents/operations';\nexport const r = runOperation;",
      /"store" to elements of type "core"/,
    ],
    [
      'the preload importing the core',
      'src-preload/probe.ts',
      "import { createApp } from '../src-main/core/app';\nexport const a = createApp;",
      /"preload" to elements of type "core"/,
    ],
  ];

  it.each(probes)('%s fails', async (_what, file, code, says) => {
    const messages = await lint(file, code);
    expect(messages).toContainEqual({ ruleId: BOUNDARY, message: expect.stringMatching(says) });
  });

  it('the allowed imports of every room pass', async () => {
    const controls: [file: string, code: string][] = [
      [
        'src-renderer/features/probe.ts',
        "import { z } from 'zod';\nimport { useQuery } from '@tanstack/react-query';\nimport { contract } from '../../src-shared/contract';\nimport { call } from '../api/client';\nexport const x = [z, useQuery, contract, call];",
      ],
      ['src-shared/probe.ts', "import { z } from 'zod';\nimport { ContractError } from './errors';\nexport const x = [z, ContractError];"],
      [
        'src-main/core/probe.ts',
        "import { readFile } from 'node:fs/promises';\nimport { request } from 'undici';\nimport { openStore } from './store/store';\nimport { contract } from '../../src-shared/contract';\nexport const x = [readFile, request, openStore, contract];",
      ],
      [
        'src-main/core/store/probe.ts',
        "import { DatabaseSync } from 'node:sqlite';\nimport { neutralizeFormula } from '../csv/formula';\nexport const x = [DatabaseSync, neutralizeFormula];",
      ],
      [
        'src-main/demo/probe.ts',
        "import { startSimulator } from '../../sim';\nimport { createApp } from '../core/app';\nexport const x = [startSimulator, createApp];",
      ],
      [
        'src-main/probe.ts',
        "import { app } from 'electron/main';\nimport { createTray } from './platform/tray';\nimport { createApp } from './core/app';\nexport const x = [app, createTray, createApp];",
      ],
      [
        'src-main/core/probe.test.ts',
        "import { startSimulator } from '../../sim';\nimport { createTestApp } from './test-app.testkit';\nexport const x = [startSimulator, createTestApp];",
      ],
    ];
    for (const [file, code] of controls) expect({ file, messages: await lint(file, code) }).toEqual({ file, messages: [] });
  });
});

// Inside the tree (under the gitignored .tsbuild), so a probe sits under the projects' rootDir like real code.
mkdirSync(join(root, '.tsbuild'), { recursive: true });
const probeDir = mkdtempSync(join(root, '.tsbuild', 'walls-'));
afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

/**
 * Type-checks probes as more files of their project (tsconfig/<project>.json: its lib, types and every file it holds,
 * so a global that leaks in through an import counts): one program per project, the error codes of each probe.
 */
function typecheck(probes: { project: string; code: string }[]): number[][] {
  const files = probes.map(({ project, code }, i) => {
    const file = join(probeDir, `${project}-${i}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const codes: number[][] = [];
  for (const project of new Set(probes.map((p) => p.project))) {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig', `${project}.json`),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error(`tsconfig/${project}.json did not parse`);
    const mine = files.filter((_, i) => probes[i]!.project === project);
    const options = { ...config.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false, incremental: false };
    const program = ts.createProgram({ rootNames: [...config.fileNames, ...mine], options });
    for (const file of mine) {
      const source = program.getSourceFile(file);
      codes[files.indexOf(file)] = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => d.code);
    }
  }
  return codes;
}

describe('global walls (per-process TypeScript projects)', () => {
  const probes: { what: string; project: string; code: string; errors: number[] }[] = [
    { what: 'Buffer in the renderer', project: 'renderer', code: "Buffer.from('x');", errors: [2591] },
    { what: 'process in the renderer', project: 'renderer', code: 'process.env.HOME;', errors: [2591] },
    { what: 'document in the core', project: 'core', code: 'document.title;', errors: [2584] },
    { what: 'window in the web host', project: 'web', code: 'window.name;', errors: [2304] },
    { what: 'process in src-shared', project: 'shared', code: 'process.env.HOME;', errors: [2591] },
    { what: 'document in src-shared', project: 'shared', code: 'document.title;', errors: [2584] },
    // Controls: what each process does have.
    { what: 'the DOM and URL in the renderer', project: 'renderer', code: "document.title = new URL('https://x.test').host;", errors: [] },
    { what: 'Buffer and process in the core', project: 'core', code: "Buffer.from(process.env.HOME ?? '');", errors: [] },
    { what: 'URL in src-shared', project: 'shared', code: "new URL('https://x.test').hostname;", errors: [] },
  ];
  let found: number[][] = [];
  beforeAll(() => {
    found = typecheck(probes);
  }, 300_000);

  it.each(probes.map((p, i) => [p.what, i] as const))('%s: the expected errors and no others', (_what, i) => {
    expect(found[i]).toEqual(probes[i]!.errors);
  });
});

describe('test kits', () => {
  /** The files of a project as tsc -b sees them (its include minus its exclude), relative to the repository. */
  const filesOf = (name: string) => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig', `${name}.json`),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    return new Set((config?.fileNames ?? []).map((file) => file.slice(root.length + 1)));
  };
  const kits = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => path.matchesGlob(file, testKits));

  it('test kits are found by their suffix, which the linter marks', () => {
    expect(testKits).toBe('**/*.testkit.{ts,tsx}');
    expect(kits).toEqual(expect.arrayContaining(['src-main/core/test-app.testkit.ts', 'sim/wire-client.testkit.ts', 'src-renderer/test-setup.testkit.ts']));
  });

  it('the typecheck keeps every test kit out of the production projects and checks it with the tests', () => {
    const production = ['core', 'sim', 'renderer'].map(filesOf);
    const tooling = ['tests', 'renderer-tests'].map(filesOf);
    expect(kits.filter((kit) => production.some((files) => files.has(kit)))).toEqual([]);
    expect(kits.filter((kit) => !tooling.some((files) => files.has(kit)))).toEqual([]);
  });

  it.each([
    ['src-main/core/posture/probe.ts', "import { fixtures } from './fixtures.testkit';\nexport const f = fixtures;"],
    ['sim/probe.ts', "import { wire } from './wire-client.testkit';\nexport const w = wire;"],
    ['src-renderer/probe.ts', "export const setup = () => import('./test-setup.testkit');"],
  ])('production importing a test kit fails lint (%s)', async (file, code) => {
    expect(await lint(file, code)).toContainEqual({ ruleId: BOUNDARY, message: expect.stringMatching(/Test kits serve tests only/) });
  });
});

describe('every file in a project', () => {
  it('each TypeScript file of the repository is type-checked by exactly one project of tsc -b', () => {
    const solution = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { references: { path: string }[] };
    const owners = new Map<string, string[]>();
    for (const { path } of solution.references) {
      const config = ts.getParsedCommandLineOfConfigFile(join(root, path), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      for (const file of config?.fileNames ?? []) owners.set(file, [...(owners.get(file) ?? []), path]);
    }
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => join(root, file));
    const unowned = tracked.filter((file) => !owners.has(file)).map((file) => file.slice(root.length + 1));
    const shared = [...owners]
      .filter(([, projects]) => projects.length > 1)
      .map(([file, projects]) => `${file.slice(root.length + 1)}: ${projects.join(', ')}`);
    expect({ unowned, shared }).toEqual({ unowned: [], shared: [] });
  });
});
