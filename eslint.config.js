// Lint, including the process boundaries of DESIGN.md: what may import what is enforced here.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electron = { name: 'electron', message: 'Only src-main/{index,window,platform} and src-preload may import electron.' };
const electronStore = { name: 'electron-store', message: 'electron-store imports electron; use it only in src-main/platform.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'bench/.work/**'] },
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
    files: ['src-main/core/**/*.ts', 'src-main/web/**/*.ts', 'src-main/cli/**/*.ts', 'sim/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron, electronStore] }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node: ask the main process through src-renderer/api.' }))],
          patterns: [{ group: ['**/src-main/**', '**/src-preload/**', '**/sim/**'], message: 'The renderer reaches the main process only through the contract.' }],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, ...nodeBuiltins.map((name) => ({ name, message: 'src-shared is std-only: no Node built-ins.' }))],
          patterns: [{ group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**', 'react', 'react-dom'], message: 'src-shared imports nothing process-specific.' }],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src-main/**', '**/src-renderer/**'], message: 'The preload exposes the contract only.' }] },
      ],
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,js}', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
