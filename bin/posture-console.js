#!/usr/bin/env node
// Launcher: checks the Node version and the build, then runs the bundled CLI.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `posture-console needs Node 22.12 or newer (this is ${process.versions.node}). Run it with npx from the project folder, which uses the bundled Node 24.`,
  );
  process.exit(1);
}
const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('posture-console is not built yet. Run `npm run build` in the project folder first.');
  process.exit(1);
}
await import(entry.href);
