// The `posture-console` program (main.ts imports it). Runs on Node ≥ 22.12 from the built bundle (out/main/cli.js). Only the
// command that runs is loaded; the help lists the others from a table without importing them.
import { join } from 'node:path';
import { Command, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { runCli } from './boundary';
import { commandNamed, commands } from './commands';

const rendererDir = join(import.meta.dirname, '../renderer');
// Bundled, not read beside the build (a build in another folder has no package.json two levels up); only the
// version survives tree-shaking, and importing the app's version module would load the core's shared chunk.
const { version } = pkg;

const program = new Command()
  .name('posture-console')
  .description('Posture Console: CrowdStrike Falcon and SentinelOne device posture and detection rules')
  .version(version);

const named = commandNamed(process.argv);
if (named) (await named.register())(program, rendererDir);
else
  for (const entry of Object.values(commands)) {
    const stub = program.command(entry.term).description(entry.description);
    // Lists as "name [options]" like the real command; never parsed, since a named command loads the real one.
    stub.addOption(new Option('--options').hideHelp());
  }

await runCli(program, process.argv);
