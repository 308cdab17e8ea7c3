// Shared plumbing of the one-shot commands: an app over the data directory (timers off), closed
// afterwards, and providers found by name or id.
import type { Command } from 'commander';
import type { ProviderView } from '../../src-shared/schemas/providers';
import type { App } from '../core/app';
import { openCliLog } from './cli-log';
import { checkDataDir } from './data-dir';
import { CliError, invoke, runCommand, runsCommand } from './invoke';
import { createNodeApp } from './node-app';

export interface Common {
  dataDir: string;
  json?: boolean;
}

export const statusMark = { pass: '✓', warn: '!', fail: '✗', skip: '-', running: '…' } as const;

export function withApp<T extends Common>(action: (app: App, opts: T, ...args: string[]) => Promise<number | void>) {
  return (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    return runCommand(command, async () => {
      const opts = command.optsWithGlobals() as T;
      checkDataDir(opts.dataDir);
      const app = await createNodeApp({ dataDir: opts.dataDir, host: 'cli', schedule: false, logger: await openCliLog(opts.dataDir) });
      runsCommand(app, command);
      try {
        return await action(app, opts, ...(args.slice(0, -2) as string[]));
      } finally {
        await app.close();
      }
    });
  };
}

export async function findProvider(app: App, nameOrId: string): Promise<ProviderView> {
  const all = await invoke(app, 'providers.list', {});
  const found = all.find((p) => p.config.id === nameOrId || p.config.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found)
    throw new CliError({
      code: 'provider.not_found',
      message: `No provider named '${nameOrId}'.`,
      fix: `Known providers: ${all.map((p) => p.config.name).join(', ') || 'none yet'}. Add one with \`posture-console providers add\`.`,
    });
  return found;
}
