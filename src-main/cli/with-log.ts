// What `export` needs of a data directory, without starting the app: the settings as saved (read only), the
// posture log opened in this thread, and the journal that lets the next start remove a file cut short. The app
// (store worker, vault, HTTP client, logger, conf, the pollers) costs more to start than an empty export takes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Settings } from '../core/settings/schema';
import { readOnlySettings } from '../core/settings/read-only';
import { createPartialJournal, type PartialJournal } from '../core/export/partial-journal';
import type { LogSource } from '../core/export/csv';
import { openLogReader } from '../core/store/log-reader';
import { openCliLog, useCliLog } from './cli-log';
import { checkDataDir } from './data-dir';
import { runCommand } from './run-command';
import type { Common } from './with-app';

export interface LogData {
  settings: Settings;
  /** The posture log, read in this thread (created or migrated first when it must be, as the app would). */
  store: LogSource;
  /** Export files being written, as the app keeps them. */
  journal: PartialJournal;
}

export function withLog<T extends Common>(action: (data: LogData, opts: T) => Promise<number | void>) {
  return (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    return runCommand(command, async () => {
      const opts = command.optsWithGlobals() as T;
      checkDataDir(opts.dataDir);
      mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
      useCliLog(opts.dataDir);
      const settings = readOnlySettings(opts.dataDir).read();
      const journal = createPartialJournal(join(opts.dataDir, 'exports-in-progress.json'));
      const swept = journal.sweep();
      if (swept.length) (await openCliLog(opts.dataDir)).warn({ files: swept.length }, 'removed unfinished export files left by an earlier run');
      const store = openLogReader(join(opts.dataDir, 'posture-log.sqlite'));
      try {
        return await action({ settings, store, journal }, opts);
      } finally {
        store.close();
      }
    });
  };
}
