import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { mantineStableIdsPlugin } from './scripts/mantine-stable-ids';
import { routePreloadsPlugin } from './scripts/route-preloads';
import { sendCall } from './src-renderer/api/web-transport';
import { firstCalls } from './src-renderer/app/first-calls';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundled rather than loaded from node_modules: tree-shaken, and one file instead of zod's ~70 to resolve and
      // link, which is most of a one-shot command's start-up (the CLI runs in a fresh process every time).
      externalizeDeps: { exclude: ['zod', 'commander', 'hono', '@hono/node-server', 'csv-stringify'] },
      lib: {
        // The CLI shares the main bundle's core chunks; it never imports electron.
        entry: { index: resolve(root, 'src-main/index.ts'), cli: resolve(root, 'src-main/cli/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': bundle everything else into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // Sandboxed preloads cannot be ESM.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react(), mantineStableIdsPlugin(), routePreloadsPlugin({ firstCalls, sendCall })],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; minified chunks parse faster in the window and the web host.
      minify: true,
      // A screen's chunk names its own imports and the browser fetches them from there (from its cache, or from disk in
      // Electron); Vite's helper would add a <link rel=modulepreload> per dependency (~30 for the Posture Log) from
      // script first, which costs the start more main-thread time than it saves. Its CSS still goes through the helper.
      modulePreload: { resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : deps.filter((dep) => dep.endsWith('.css'))) },
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
