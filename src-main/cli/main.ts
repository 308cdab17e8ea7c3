// `posture-console` command line. Runs on Node ≥ 22.12 from the built bundle (out/main/cli.js).
import { join } from 'node:path';
import { Command } from 'commander';
import { appVersion } from '../core/version';
import { registerExport } from './export';
import { registerIocs } from './iocs';
import { registerPoll } from './poll';
import { registerProviders } from './providers';
import { registerRules } from './rules';
import { registerServe } from './serve';
import { registerSimulate } from './simulate';

const rendererDir = join(import.meta.dirname, '../renderer');

const program = new Command()
  .name('posture-console')
  .description('Posture Console: CrowdStrike Falcon and SentinelOne device posture and detection rules')
  .version(appVersion);

registerServe(program, rendererDir);
registerProviders(program);
registerSimulate(program);
registerPoll(program);
registerExport(program);
registerRules(program);
registerIocs(program);

await program.parseAsync(process.argv);
