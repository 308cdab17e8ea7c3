// Offline packaging check: electron-builder validates its configuration, the production fuses are
// set, and the file list it would package holds the built app and nothing it should not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { dependencyProblems, externalPackages } from './bundle-externals.js';

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { DebugLogger } = require('builder-util');

const root = resolve(import.meta.dirname, '..');
const problems = [];
const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
await validateConfiguration(config, new DebugLogger(false));

const fuses = config.electronFuses ?? {};
const wanted = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};
for (const [fuse, value] of Object.entries(wanted)) if (fuses[fuse] !== value) problems.push(`fuse ${fuse} must be ${value} (is ${fuses[fuse]})`);
if (config.mac?.hardenedRuntime !== true) problems.push('mac.hardenedRuntime must be true');
if (config.asar === false) problems.push('asar must be on (integrity validation needs it)');

// The app files: electron-builder's `files` patterns over the build output.
if (!existsSync(join(root, 'out/main/index.js'))) {
  console.error('package:check needs a build: run `npm run build` first.');
  process.exit(1);
}
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(root, path)];
  });
const excluded = (file) => file.endsWith('.map') || /\.test\.[cm]?[jt]sx?$/.test(file);
const files = [...walk(join(root, 'out')).filter((f) => !excluded(f)), 'package.json'];
for (const required of ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
  if (!files.includes(required)) problems.push(`missing from the package: ${required}`);
for (const file of files)
  if (/^(src-|sim\/|e2e\/|bench\/|test-results\/)/.test(file) || /\.(ts|tsx)$/.test(file)) problems.push(`should not be packaged: ${file}`);

// Production dependencies only: electron-builder copies `dependencies`, never `devDependencies`.
const pkg = require(join(root, 'package.json'));
const runtime = Object.keys(pkg.dependencies ?? {});
for (const dep of runtime) if (dep in (pkg.devDependencies ?? {})) problems.push(`${dep} is both a dependency and a devDependency`);
for (const forbidden of ['electron', 'vitest', '@playwright/test', 'typescript', 'vite'])
  if (runtime.includes(forbidden)) problems.push(`${forbidden} must not be a runtime dependency`);
// The renderer is a browser bundle with nothing external; main and preload may load packages from node_modules.
const loaded = new Set(
  files.filter((f) => /^out\/(main|preload)\/.*\.[cm]?js$/.test(f)).flatMap((f) => [...externalPackages(readFileSync(join(root, f), 'utf8'))]),
);
problems.push(...dependencyProblems(loaded, runtime));

const bytes = files.reduce((sum, f) => sum + statSync(join(root, f)).size, 0);
console.log(`packaging: ${files.length} app files (${(bytes / 1e6).toFixed(1)} MB) + ${runtime.length} runtime dependencies: ${runtime.join(', ')}`);
if (problems.length) {
  for (const p of problems) console.error(`package:check: ${p}`);
  process.exit(1);
}
console.log('packaging: configuration valid; fuses, hardened runtime and file list as intended');
