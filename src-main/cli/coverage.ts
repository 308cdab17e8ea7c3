// `posture-console coverage`: the Coverage screen for terminals and cron jobs — polls the posture sources, prints the
// devices each pair of sources disagrees on, and writes exactly the filtered set to CSV.
import type { Command } from 'commander';
import { adminErrorMap, invalidInput } from '../../src-shared/errors';
import { CoverageFilter, coverageReasonLabels, type CoverageSummary } from '../../src-shared/schemas/coverage';
import { isPostureProviderKind } from '../../src-shared/schemas/posture';
import { writeCoverageCsv } from '../core/coverage/csv';
import { defaultDataDir } from './data-dir';
import { CliError, invoke } from './invoke';
import { checkOutputFile } from './output-file';
import { endProgress, showProgress } from './progress';
import { withApp, type Common } from './with-app';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface CoverageOptions extends Common {
  csv?: string;
  presentIn?: string;
  missingFrom?: string;
  platform?: string;
  reason?: string[];
  search?: string;
  limit: string;
}

const DESCRIPTION = 'poll the posture sources and list the devices present in one and missing from another (--csv FILE writes them)';

function matrixLines(summary: CoverageSummary, name: (id: string) => string, only: (presentIn: string, missingFrom: string) => boolean): string[] {
  const lines: string[] = [];
  for (const s of summary.sources) if (s.fetchedAt === null) lines.push(`- ${s.name}: no data (no successful poll), so its gaps are not known`);
  for (const p of summary.pairs) {
    if (!only(p.presentIn, p.missingFrom)) continue;
    const reasons = Object.entries(p.byReason)
      .map(([r, n]) => `${coverageReasonLabels[r as keyof typeof coverageReasonLabels].toLowerCase()} ${n}`)
      .join(', ');
    lines.push(`${p.count.toLocaleString('en-US').padStart(7)}  in ${name(p.presentIn)}, missing from ${name(p.missingFrom)}${reasons ? ` (${reasons})` : ''}`);
  }
  return lines;
}

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description(DESCRIPTION)
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--present-in <name>', 'only devices this source reports')
    .option('--missing-from <name>', 'only devices this source does not report')
    .option('--platform <platform>', 'only this platform (Windows, Mac, Linux, …)')
    .option('--reason <reason>', 'not_found, possible_match, missing_serial, junk_serial or duplicate_serial (repeatable)', collect)
    .option('--search <text>', 'hostname or serial contains')
    .option('--csv <file>', 'write the filtered devices to this CSV file (written as FILE.partial, renamed when complete)')
    .option('--limit <n>', 'devices to list in the terminal', '20')
    .option('--json', 'machine-readable output')
    .action(
      withApp<CoverageOptions>(async (app, opts) => {
        if (opts.csv) checkOutputFile(opts.csv, '--csv', 'coverage.csv');
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
          throw new CliError({ code: 'invalid_input', message: `--limit ${opts.limit} is not a whole number from 0 to 1000.`, fix: 'For example: --limit 50' });
        const sources = (await invoke(app, 'providers.list', {})).filter((p) => isPostureProviderKind(p.config.kind)).map((p) => p.config);
        if (sources.length < 2)
          throw new CliError({
            code: 'coverage.too_few_sources',
            message: `Coverage compares posture sources, and ${sources.length === 0 ? 'none is' : `only ${sources[0]!.name} is`} configured.`,
            fix: 'Add another posture provider with `posture-console providers add` (an EDR and an MDM, for example).',
          });
        const idOf = (name: string | undefined, option: string) => {
          if (name === undefined) return undefined;
          const found = sources.find((s) => s.id === name || s.name.toLowerCase() === name.toLowerCase());
          if (!found)
            throw new CliError({
              code: 'invalid_input',
              message: `${option} ${name}: no posture source by that name.`,
              fix: `Known: ${sources.map((s) => s.name).join(', ')}.`,
            });
          return found.id;
        };
        const parsed = CoverageFilter.safeParse(
          {
            presentIn: idOf(opts.presentIn, '--present-in'),
            missingFrom: idOf(opts.missingFrom, '--missing-from'),
            platform: opts.platform,
            reasons: opts.reason,
            text: opts.search,
          },
          { error: adminErrorMap },
        );
        if (!parsed.success) throw invalidInput(parsed.error, 'filter');
        const filter = parsed.data;

        // The inventory lives in memory: a one-shot command reads every source afresh.
        const say = (line: string) => {
          if (!opts.json) process.stdout.write(`${line}\n`);
        };
        let failed = 0;
        for (const source of sources) {
          showProgress(`polling ${source.name}…`);
          const run = await invoke(app, 'posture.pollNow', { providerId: source.id });
          endProgress();
          if (run.outcome !== 'succeeded') {
            failed++;
            say(`✗ ${source.name}: ${run.outcome}${run.error ? ` — ${run.error}` : ''}`);
          }
        }

        const summary = await invoke(app, 'coverage.summary', {});
        const name = (id: string) => sources.find((s) => s.id === id)?.name ?? id;
        const only = (a: string, b: string) => (!filter.presentIn || a === filter.presentIn) && (!filter.missingFrom || b === filter.missingFrom);
        const page = await invoke(app, 'coverage.query', { filter, offset: 0, limit: Math.max(1, limit) });
        const items = page.items.slice(0, limit);

        let written: { rowsWritten: number; file: string | null } | null = null;
        if (opts.csv) {
          const out = opts.csv;
          app.exportJournal.add(out);
          written = await writeCoverageCsv({
            coverage: app.coverage,
            selection: app.coverage.select(filter),
            sourceNames: Object.fromEntries(sources.map((s) => [s.id, s.name])),
            sink: out,
            onProgress: (p) => showProgress(`${p.rowsWritten} / ${p.total} devices`),
          }).finally(() => app.exportJournal.remove(out));
          endProgress();
        }

        if (opts.json) {
          const named = (ids: string[]) => ids.map(name);
          process.stdout.write(
            JSON.stringify(
              {
                pairs: summary.pairs
                  .filter((p) => only(p.presentIn, p.missingFrom))
                  .map((p) => ({ ...p, presentIn: name(p.presentIn), missingFrom: name(p.missingFrom) })),
                total: page.total,
                devices: items.map((i) => ({ ...i, presentIn: named(i.presentIn), missingFrom: named(i.missingFrom) })),
                ...(written ? { csv: written } : {}),
              },
              null,
              2,
            ) + '\n',
          );
          return failed > 0 ? 1 : 0;
        }

        for (const line of matrixLines(summary, name, only)) say(line);
        if (page.total > 0 && items.length > 0) {
          say('');
          for (const i of items)
            say(
              `${(i.hostname ?? '(no hostname)').padEnd(24)} ${(i.serial ?? '—').padEnd(16)} ${i.platform ?? '—'}  ${name(i.missingFrom[0] ?? '')}: ${i.why}`,
            );
          if (page.total > items.length)
            say(`… and ${(page.total - items.length).toLocaleString('en-US')} more${opts.csv ? '' : ' (--csv FILE writes them all)'}`);
        } else if (summary.pairs.length > 0) say(page.total === 0 ? 'No device matches this filter.' : '');
        if (written) say(`Wrote ${written.rowsWritten} devices to ${written.file}.`);
        return failed > 0 ? 1 : 0;
      }),
    );
}
