// `posture-console serve`: the console in a browser, on loopback, until interrupted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { applyMainProcessHeapSettings } from '../core/heap-settings';
import { createLogger } from '../core/log';
import { startWebHost } from '../web/server';
import { reportFailure } from './boundary';
import { checkDataDir, defaultDataDir } from './data-dir';
import { startEventLoopReport } from './event-loop-report';
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
      // Whatever has started is closed again, newest first, on Ctrl+C, SIGTERM or a failure to start.
      const closers: Array<() => Promise<void> | void> = [];
      let stopping = false;
      const stop = async (exitCode: number) => {
        if (stopping) return;
        stopping = true;
        for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
        process.exit(exitCode);
      };
      // Kept (on, not once): a module that hooks signals itself (conf's atomic writes, loaded at the first settings
      // write) re-raises the signal after its own clean-up, and that second one must find this handler, not the default.
      process.on('SIGINT', () => void stop(0));
      process.on('SIGTERM', () => void stop(0));
      applyMainProcessHeapSettings();
      closers.push(startEventLoopReport());

      // Demo data never lands in the real data directory unless one is named explicitly, and the throwaway
      // one (with its vault.key) goes when the server stops, however it stops short of SIGKILL.
      const throwaway = opts.demo === true && command.getOptionValueSource('dataDir') === 'default';
      if (throwaway) {
        opts.dataDir = mkdtempSync(join(tmpdir(), 'posture-console-demo-'));
        const dir = opts.dataDir;
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      } else checkDataDir(opts.dataDir);

      try {
        const logger = createLogger();
        if (!LOOPBACK.has(opts.host))
          process.stderr.write(
            `WARNING: binding to ${opts.host} makes the console reachable from other machines. Anyone with the URL's token can use your provider credentials.\n`,
          );
        const app = await createNodeApp({ dataDir: opts.dataDir, host: 'web', logger, demo: opts.demo });
        closers.push(() => app.close());
        // The simulator loads only for a demo.
        const demo = opts.demo ? await (await import('../demo/demo')).startDemo(app) : undefined;
        if (demo) {
          closers.push(() => demo.close());
          process.stdout.write(`Demo: simulator at ${demo.simulator.url}; three providers point at it.\n`);
        }
        const host = await startWebHost({ app, port: opts.port, host: opts.host, staticDir: join(rendererDir) });
        closers.push(() => host.close());
        const urls = host.openUrls.length ? host.openUrls : [host.openUrl];
        process.stdout.write(
          `Posture Console is running. Open${urls.length > 1 ? ' one of' : ''}:\n${urls.map((u) => `  ${u}\n`).join('')}` +
            `Data directory: ${opts.dataDir}${throwaway ? ' (throwaway: deleted when the server stops)' : ''}\n`,
        );
      } catch (error) {
        // The boundary's message, then the same orderly shutdown as Ctrl+C.
        await stop(await reportFailure(error, command));
      }
    });
}
