// The packaging check's reading of the built bundles: which packages they still load from node_modules, and what
// that says about package.json's `dependencies`.
import { describe, expect, it } from 'vitest';
import { dependencyProblems, externalPackages } from './bundle-externals.js';

describe('externalPackages', () => {
  it('finds static, dynamic and created requires, scoped packages by scope and name', () => {
    const code = [
      'import Store from "electron-store";',
      'import { serve } from "@hono/node-server/dist/index.js";',
      'import "side-effect";',
      'const undici = await import("undici");',
      'const pino = createRequire(import.meta.url)("pino");',
      'const { default: Conf } = requireModule("conf");',
      'const cjs = require("left-pad");',
    ].join('\n');
    expect([...externalPackages(code)].sort()).toEqual(['@hono/node-server', 'conf', 'electron-store', 'left-pad', 'pino', 'side-effect', 'undici']);
  });

  it("ignores Node's built-ins, relative chunks and a doc comment's example", () => {
    const code = [
      'import { readFileSync } from "node:fs";',
      'import path from "path";',
      'import { t as pkg } from "./package-ByxVWIBx.js";',
      "\t* import { Hono } from 'hono'",
      'const w = await import("node:worker_threads");',
    ].join('\n');
    expect([...externalPackages(code)]).toEqual([]);
  });
});

describe('dependencyProblems', () => {
  it('passes when the bundles load exactly the dependencies (Electron is supplied by the runtime)', () => {
    expect(dependencyProblems(new Set(['electron', 'pino', 'undici']), ['pino', 'undici'])).toEqual([]);
  });

  it('fails a bundled dependency, which would ship twice, and a loaded package that would not ship', () => {
    expect(dependencyProblems(new Set(['pino', 'undici']), ['pino', 'zod'])).toEqual([
      'undici is loaded by the built app but is not in dependencies',
      'zod is in dependencies but the built app never loads it (bundled or unused): move it to devDependencies',
    ]);
  });
});
