// `posture-console poll`: poll posture providers and detection integrations now, once, and say what each did.
import type { Command } from 'commander';
import { alertBatchText, pollTallyText } from '../../src-shared/poll-tally-text';
import { defaultDataDir } from './data-dir';
import { invoke } from './invoke';
import { findProvider, withApp, type Common } from './with-app';

export function registerPoll(program: Command): void {
  program
    .command('poll [provider]')
    .description('poll one provider (or all) now: posture providers evaluate their checks, detection integrations create incidents')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const targets = name ? [await findProvider(app, name)] : await invoke(app, 'providers.list', {});
        const checks = await invoke(app, 'checks.list', {});
        const results = [];
        let failed = 0;
        const say = (line: string) => {
          if (!opts.json) process.stdout.write(`${line}\n`);
        };
        for (const { config } of targets) {
          if (config.kind === 'crowdstrike-falcon-incidents') {
            const batch = await invoke(app, 'incidents.pollNow', { integrationId: config.id });
            results.push({ provider: config.name, outcome: 'succeeded', ...batch });
            say(`✓ ${config.name}: ${alertBatchText(batch)}`);
            continue;
          }
          // A provider without an enabled check polls its devices but evaluates nothing: say so, not just "✓".
          const enabled = checks.filter((c) => c.providerId === config.id && c.enabled).length;
          const warnings =
            enabled === 0
              ? [
                  `${config.name} has no enabled checks, so nothing was evaluated. Add one in the console's Checks screen or with \`posture-console checks add\`.`,
                ]
              : [];
          const run = await invoke(app, 'posture.pollNow', { providerId: config.id });
          results.push({ provider: config.name, ...run, ...(warnings.length ? { warnings } : {}) });
          if (run.outcome !== 'succeeded') failed++;
          if (run.outcome === 'succeeded') say(`✓ ${config.name}: ${run.tally ? pollTallyText(run.tally) : 'succeeded'}`);
          else say(`${run.outcome === 'failed' ? '✗' : '-'} ${config.name}: ${run.outcome}${run.error ? ` — ${run.error}` : ''}`);
          for (const warning of warnings) say(`! ${warning}`);
        }
        if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
        return failed > 0 ? 1 : 0;
      }),
    );
}
