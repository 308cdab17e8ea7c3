// `posture-console export`: the posture log to CSV for cron jobs, with the same filters as the screen.
import type { Command } from 'commander';
import { adminErrorMap, invalidInput } from '../../src-shared/errors';
import { LogFilter } from '../../src-shared/schemas/posture-log';
import { exportCsv } from '../core/export/csv';
import { defaultDataDir } from './data-dir';
import { CliError } from './failure';
import { checkOutputFile } from './output-file';
import { endProgress, showProgress } from './progress';
import type { Common } from './with-app';
import { withLog } from './with-log';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface ExportOptions extends Common {
  out: string;
  view: string;
  from?: string;
  to?: string;
  provider?: string[];
  check?: string[];
  result?: string[];
  search?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export the posture log to a CSV file (written as FILE.partial, renamed when complete)')
    .requiredOption('-o, --out <file>', 'the CSV file to write')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--view <view>', 'changes (one row per run), evaluations (one per poll) or latest (current state)', 'changes')
    .option('--from <time>', 'ISO 8601 start, e.g. 2026-11-01T00:00:00Z')
    .option('--to <time>', 'ISO 8601 end')
    .option('--provider <name>', 'only this provider (repeatable)', collect)
    .option('--check <name>', 'only this check (repeatable)', collect)
    .option('--result <result>', 'pass, fail or unknown (repeatable)', collect)
    .option('--search <text>', 'device name or serial contains')
    .action(
      withLog<ExportOptions>(async ({ settings, store, journal }, opts) => {
        checkOutputFile(opts.out, '--out', 'posture-log.csv');
        const { providers, postureChecks: checks } = settings;
        const idOf = <T>(names: string[] | undefined, items: T[], name: (t: T) => string, id: (t: T) => string, what: string) =>
          names?.map((n) => {
            const found = items.find((t) => name(t).toLowerCase() === n.toLowerCase() || id(t) === n);
            if (!found)
              throw new CliError({ code: 'invalid_input', message: `No ${what} named '${n}'.`, fix: `Known: ${items.map(name).join(', ') || 'none'}.` });
            return id(found);
          });
        const parsed = LogFilter.safeParse(
          {
            view: opts.view,
            from: opts.from,
            to: opts.to,
            providerIds: idOf(
              opts.provider,
              providers,
              (p) => p.name,
              (p) => p.id,
              'provider',
            ),
            checkIds: idOf(
              opts.check,
              checks,
              (c) => c.name,
              (c) => c.id,
              'check',
            ),
            results: opts.result,
            text: opts.search,
          },
          { error: adminErrorMap },
        );
        // Field paths (results.0, providerIds) are shown as the options typed (--result, --provider) by the boundary.
        if (!parsed.success) throw invalidInput(parsed.error, 'filter');
        journal.add(opts.out);
        const result = await exportCsv({
          store,
          filter: parsed.data,
          sink: opts.out,
          providerNames: Object.fromEntries(providers.map((p) => [p.id, p.name])),
          onProgress: (p) => showProgress(`${p.rowsWritten} / ${p.total} rows`),
        }).finally(() => journal.remove(opts.out));
        endProgress();
        if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
        else {
          process.stdout.write(`Wrote ${result.rowsWritten} rows to ${result.file}.\n`);
          // An empty file is legitimate, but say why it may be empty rather than look like success.
          if (result.rowsWritten === 0)
            process.stderr.write(
              checks.length === 0
                ? 'No posture checks exist, so polls record no rows. Add one with `posture-console checks add`, then `posture-console poll`.\n'
                : 'No rows match this filter. Polls record rows once they have run: `posture-console poll`.\n',
            );
        }
      }),
    );
}
