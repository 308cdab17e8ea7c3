// `posture-console simulate`: the provider simulator on loopback, for trying the console without
// real credentials, and for tests and benchmarks.
import type { Command } from 'commander';
import { parseFaults, startSimulator } from '../../sim';
import { CliError } from './failure';
import { parsePort, parsePositiveInt } from './options';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run the CrowdStrike Falcon + SentinelOne simulator on 127.0.0.1 (Ctrl+C to stop)')
    .option('-p, --port <port>', 'TCP port, 0 picks a free one', parsePort, 0)
    .option('--devices <n>', 'fleet size', parsePositiveInt, 1000)
    .option('--seed <n>', 'fleet seed (same seed, same fleet)', parsePositiveInt, 1)
    .option('--latency-ms <ms>', 'added to every response', (v) => parsePort(v), 0)
    .option('--faults <spec>', 'fault rules, e.g. "rate_limit:/devices:0.2,wrong_region" (see sim/README.md)')
    .action(async (opts: { port: number; devices: number; seed: number; latencyMs: number; faults?: string }) => {
      if (opts.faults) {
        try {
          parseFaults(opts.faults);
        } catch (error) {
          throw new CliError({
            code: 'invalid_input',
            message: `--faults: ${(error as Error).message}`,
            fix: 'The fault grammar is in sim/README.md, e.g. --faults "rate_limit:/devices:0.2,wrong_region".',
          });
        }
      }
      const sim = await startSimulator({ port: opts.port, devices: opts.devices, seed: opts.seed, latencyMs: opts.latencyMs, faults: opts.faults });
      const { falcon, sentinelOne } = sim.credentials;
      process.stdout.write(
        [
          `Simulator running at ${sim.url} (${opts.devices} devices, seed ${opts.seed}).`,
          '',
          'CrowdStrike Falcon (both kinds): region "custom", base URL ' + sim.url,
          `  client ID     ${falcon.clientId}`,
          `  client secret ${falcon.clientSecret}`,
          `  customer ID   ${falcon.customerId}`,
          'SentinelOne: REST API URL ' + sim.url,
          `  API token     ${sentinelOne.apiToken}`,
          '',
          "These are the simulator's own made-up credentials. Ctrl+C to stop.",
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
