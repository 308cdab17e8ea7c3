// `posture-console serve`: the console in a browser, on loopback, until interrupted.
import { join } from 'node:path';
import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createLogger } from '../core/log';
import { startDemo } from '../demo/demo';
import { startWebHost } from '../web/server';
import { defaultDataDir } from './data-dir';
import { createNodeApp } from './node-app';
import { parsePort } from './options';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function registerServe(program: Command, rendererDir: string): void {
  program
    .command('serve')
    .description('serve the console on 127.0.0.1 and print the URL to open (Ctrl+C to stop)')
    .option('-p, --port <port>', 'TCP port, 0 picks a free one', parsePort, 0)
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--host <address>', 'address to bind; anything but loopback exposes the console to your network', '127.0.0.1')
    .option('--demo', 'start the provider simulator in-process, with a throwaway data directory and one provider of each kind')
    .action(async (opts: { port: number; dataDir: string; host: string; demo?: boolean }, command: Command) => {
      // Demo data never lands in the real data directory unless one is named explicitly.
      if (opts.demo && command.getOptionValueSource('dataDir') === 'default') opts.dataDir = mkdtempSync(join(tmpdir(), 'posture-console-demo-'));
      const logger = createLogger();
      if (!LOOPBACK.has(opts.host))
        process.stderr.write(
          `WARNING: binding to ${opts.host} makes the console reachable from other machines. Anyone with the URL's token can use your provider credentials.\n`,
        );
      const app = await createNodeApp({ dataDir: opts.dataDir, host: 'web', logger, demo: opts.demo });
      const demo = opts.demo ? await startDemo(app) : undefined;
      if (demo) process.stdout.write(`Demo: simulator at ${demo.simulator.url}; three providers point at it.\n`);
      const host = await startWebHost({ app, port: opts.port, host: opts.host, staticDir: join(rendererDir) });
      process.stdout.write(`Posture Console is running. Open:\n  ${host.openUrl}\nData directory: ${opts.dataDir}\n`);
      const stop = async () => {
        await host.close();
        await demo?.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
