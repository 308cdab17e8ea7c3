// `posture-console providers add|list|test|remove`: the Providers page for scripts and terminals.
import type { Command } from 'commander';
import type { ProviderInput, ProviderKind, TestStep } from '../../src-shared/schemas/providers';
import { providerKindLabels } from '../../src-shared/schemas/providers';
import { providerHealthWords } from '../../src-shared/provider-status';
import { defaultDataDir } from './data-dir';
import { invoke } from './invoke';
import { readSecret } from './secret-input';
import { sourceFlags } from './source-flags';
import { findProvider, statusMark, withApp, type Common } from './with-app';

function printSteps(steps: TestStep[]): void {
  for (const step of steps) {
    process.stdout.write(`${statusMark[step.status]} ${step.title}: ${step.observed}\n`);
    if (step.cause) process.stdout.write(`    cause: ${step.cause}\n`);
    if (step.fix) process.stdout.write(`    fix:   ${step.fix}\n`);
  }
}

export function registerProviders(program: Command): void {
  const providers = program
    .command('providers')
    .description('add, list, test and remove provider connections')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  providers
    .command('list')
    .description('list providers with their health')
    .action(
      withApp<Common>(async (app, opts) => {
        const all = await invoke(app, 'providers.list', {});
        if (opts.json) return void process.stdout.write(JSON.stringify(all, null, 2) + '\n');
        if (all.length === 0) return void process.stdout.write('No providers. Add one with `posture-console providers add`.\n');
        for (const p of all) {
          const word = providerHealthWords[p.status.state].toLowerCase();
          const health = p.status.state === 'healthy' ? word : `${word}: ${p.status.detail}`;
          const secret = p.secret.configured ? `secret set${p.secret.changedAt ? ` ${p.secret.changedAt}` : ''}` : 'secret missing';
          process.stdout.write(`${p.config.name}\t${p.config.kind}\t${health}\t${secret}\n`);
        }
      }),
    );

  const add = providers
    .command('add')
    .description('add a provider; the secret comes from --secret-env VAR or --secret-stdin, never from the command line')
    .requiredOption('--kind <kind>', `one of ${Object.keys(providerKindLabels).join(', ')}`)
    .requiredOption('--name <name>', 'a name for this connection')
    .option('--client-id <id>', 'API client ID (Falcon: 32 hex characters; Jamf Pro: the API client’s Client ID)')
    .option('--customer-id <cid>', 'Falcon customer ID (CID), for crowdstrike-zta')
    .option('--region <region>', 'Falcon cloud: us-1, us-2, eu-1, us-gov-1, us-gov-2, us-3 or custom (default us-1, or custom with --base-url)')
    .option(
      '--base-url <url>',
      'Falcon base URL (a proxy, the simulator): requests go there instead of a named cloud; a named --region with another base URL is refused',
    )
    .option('--poll-interval <interval>', 'polling frequency: 5m, 10m, 15m, 30m, 1h, 3h, 6h, 12h, 24h');
  // Each posture source's own fields, named after them (cli/source-flags.ts).
  const declared = new Set(add.options.map((o) => o.long));
  for (const flags of Object.values(sourceFlags))
    for (const [spec, help] of flags.options) {
      const long = spec.split(' ')[0];
      if (declared.has(long)) continue;
      declared.add(long);
      add.option(spec, help);
    }
  add
    .option('--secret-env <VAR>', 'read the client secret / API token from this environment variable')
    .option('--secret-stdin', 'read the client secret / API token from the first line of standard input')
    .action(
      withApp<Common & Record<string, string | boolean | undefined>>(async (app, opts) => {
        const secret = await readSecret({ secretEnv: opts.secretEnv as string | undefined, secretStdin: opts.secretStdin === true });
        const input = {
          kind: opts.kind,
          name: opts.name,
          ...(opts.pollInterval ? { pollInterval: opts.pollInterval } : {}),
          ...(opts.kind !== 'crowdstrike-zta' && opts.kind !== 'crowdstrike-falcon-incidents'
            ? (sourceFlags[opts.kind as ProviderKind]?.input(opts, secret) ?? {})
            : {
                clientId: opts.clientId,
                clientSecret: secret,
                region: opts.region ?? (opts.baseUrl ? 'custom' : 'us-1'),
                baseUrl: opts.baseUrl,
                customerId: opts.customerId,
              }),
        } as ProviderInput;
        const view = await invoke(app, 'providers.save', input);
        if (opts.json) process.stdout.write(JSON.stringify(view, null, 2) + '\n');
        else process.stdout.write(`Added ${view.config.name} (${view.config.id}); secret stored with ${view.secret.storedWith}.\n`);
      }),
    );

  providers
    .command('test <name>')
    .description('run the layered connection test; exit code 1 when a step fails')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const target = await findProvider(app, name!);
        const stop = opts.json
          ? () => {}
          : app.events.listen((event, payload) => {
              if (event === 'providers.testProgress' && 'step' in payload && payload.step.status !== 'running') printSteps([payload.step]);
            });
        const report = await invoke(app, 'providers.test', { id: target.config.id }).finally(stop);
        if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else process.stdout.write(report.ok ? 'All checks passed.\n' : 'Problems found.\n');
        return report.ok ? 0 : 1;
      }),
    );

  providers
    .command('remove <name>')
    .description('remove a provider and its stored secret')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const target = await findProvider(app, name!);
        await invoke(app, 'providers.remove', { id: target.config.id });
        if (opts.json) process.stdout.write(JSON.stringify({ removed: target.config.id }) + '\n');
        else process.stdout.write(`Removed ${target.config.name}.\n`);
      }),
    );
}
