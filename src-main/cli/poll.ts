// `posture-console poll`: poll posture providers and detection integrations now, once.
import type { Command } from 'commander';
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
        const results = [];
        let failed = 0;
        for (const { config } of targets) {
          if (config.kind === 'crowdstrike-falcon-incidents') {
            const batch = await invoke(app, 'incidents.pollNow', { integrationId: config.id });
            results.push({ provider: config.name, outcome: 'succeeded', ...batch });
            if (!opts.json) process.stdout.write(`✓ ${config.name}: ${JSON.stringify(batch)}\n`);
          } else {
            const run = await invoke(app, 'posture.pollNow', { providerId: config.id });
            results.push({ provider: config.name, ...run });
            if (run.outcome !== 'succeeded') failed++;
            if (!opts.json) process.stdout.write(`${run.outcome === 'succeeded' ? '✓' : '✗'} ${config.name}: ${run.outcome}${run.error ? ` — ${run.error}` : ''}\n`);
          }
        }
        if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
        return failed > 0 ? 1 : 0;
      }),
    );
}
