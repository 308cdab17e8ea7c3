// Lint, including the process boundaries: which room may import what is enforced here (boundaries/dependencies),
// and docs/ARCHITECTURE.md states the same table (a test compares the two).
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that exists only to serve tests (fixtures, harnesses, fakes, child processes of crash tests): production rooms may
 * not import it, and the production bundles are checked not to contain it (scripts/bundle-kits.test.ts). */
export const testKits = '**/*.testkit.{ts,tsx}';

/**
 * The rooms: one folder each, first match wins. Tests (`*.test.ts(x)`) and test kits belong to the room they sit
 * in but are tooling by category; bench, e2e, scripts, bin and the reliability suites are tooling rooms.
 */
export const rooms = [
  { type: 'shared', pattern: 'src-shared' },
  { type: 'preload', pattern: 'src-preload' },
  { type: 'renderer', pattern: 'src-renderer' },
  { type: 'store', pattern: 'src-main/core/store' },
  { type: 'csv', pattern: 'src-main/core/csv' },
  { type: 'core', pattern: 'src-main/core' },
  { type: 'web', pattern: 'src-main/web' },
  { type: 'cli', pattern: 'src-main/cli' },
  { type: 'demo', pattern: 'src-main/demo' },
  { type: 'platform', pattern: 'src-main/platform' },
  { type: 'reliability', pattern: 'src-main/reliability' },
  // What is left directly in src-main: the Electron entry, window.ts and ipc.ts.
  { type: 'shell', pattern: 'src-main' },
  { type: 'sim', pattern: 'sim' },
  { type: 'bench', pattern: 'bench' },
  { type: 'e2e', pattern: 'e2e' },
  { type: 'scripts', pattern: 'scripts' },
  { type: 'bin', pattern: 'bin' },
].map((room) => ({ ...room, partialMatch: false }));

/** Rooms that are tooling as a whole: they may reach what they test or measure. */
export const toolingRooms = ['reliability', 'bench', 'e2e', 'scripts', 'bin'];

/** Files that are tooling wherever they sit. */
const fileCategories = [
  { category: 'test', pattern: '**/*.test.{ts,tsx}', partialMatch: false },
  { category: 'testkit', pattern: testKits, partialMatch: false },
];

/** Packages written for the browser: the only external code the renderer may bundle. */
const browserPackages = [
  'react',
  'react-dom',
  'react-hook-form',
  'react-router',
  'recharts',
  'zod',
  'zustand',
  '@mantine/*',
  '@tanstack/*',
  '@codemirror/*',
  '@lezer/*',
  '@uiw/*',
  '@dnd-kit/*',
  '@tabler/*',
  '@hookform/*',
];
/** Packages that import electron: only the Electron rooms may load them. */
const electronPackages = ['electron', 'electron-store'];

/**
 * What each production room may import. `rooms` are local rooms; `node` allows Node built-ins (node:*); `packages`
 * is `'any'`, `'any but electron'`, or a list of allowed package names. The table in docs/ARCHITECTURE.md says the same.
 */
export const imports = {
  shared: { rooms: ['shared'], node: false, packages: ['zod'] },
  renderer: { rooms: ['renderer', 'shared'], node: false, packages: browserPackages },
  preload: { rooms: ['preload', 'shared'], node: false, packages: ['electron'] },
  csv: { rooms: ['csv'], node: false, packages: ['csv-stringify'] },
  store: { rooms: ['store', 'csv', 'shared'], node: true, packages: 'any but electron' },
  core: { rooms: ['core', 'store', 'csv', 'shared'], node: true, packages: 'any but electron' },
  web: { rooms: ['web', 'core', 'store', 'shared'], node: true, packages: 'any but electron' },
  demo: { rooms: ['demo', 'core', 'store', 'shared', 'sim'], node: true, packages: 'any but electron' },
  cli: { rooms: ['cli', 'core', 'store', 'shared', 'web', 'demo', 'sim'], node: true, packages: 'any but electron' },
  sim: { rooms: ['sim'], node: true, packages: 'any but electron' },
  platform: { rooms: ['platform', 'core', 'shared'], node: true, packages: 'any' },
  shell: { rooms: ['shell', 'platform', 'core', 'store', 'demo', 'shared'], node: true, packages: 'any' },
};

/** The `imports` table as boundaries policies (default: disallow). */
function policies() {
  const anything = { to: [{ element: { type: '*' } }, { module: { origin: ['external', 'core'] } }] };
  const out = [];
  for (const [room, allowed] of Object.entries(imports)) {
    const from = { element: { type: room } };
    const to = [{ element: { type: allowed.rooms } }];
    if (allowed.node) to.push({ module: { origin: 'core' } });
    if (Array.isArray(allowed.packages)) to.push({ module: { origin: 'external', source: allowed.packages } });
    else to.push({ module: { origin: 'external' } });
    out.push({ from, allow: { to } });
    if (allowed.packages === 'any but electron') out.push({ from, disallow: { to: { module: { origin: 'external', source: electronPackages } } } });
  }
  // Production may not reach test kits; tooling may reach what it tests, whatever it is (the last matching policy wins).
  out.push({ disallow: { to: { file: { categories: 'testkit' } } }, message: 'Test kits serve tests only: production code may not import them.' });
  out.push({ from: { element: { type: toolingRooms } }, allow: anything });
  out.push({ from: { file: { categories: ['test', 'testkit'] } }, allow: anything });
  return out;
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'bench/.work/**', '.tsbuild/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src-*/**/*.{ts,tsx}', 'sim/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.{ts,js}', 'bin/**/*.js'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': rooms,
      'boundaries/files': fileCategories,
      // Static imports, re-exports, dynamic import() and require() all count.
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, checkInternals: true, policies: policies() }],
      // Every source file belongs to a room.
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,js}', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  // Layout is Prettier's (checked by `npm run lint`): no ESLint rule argues with it.
  prettier,
);
