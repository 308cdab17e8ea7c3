// `posture-console` command line. Runs on Node ≥ 22.12 from the built bundle (out/main/cli.js). Only the
// command that runs is loaded; the help lists the others from a table without importing them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { runCli } from './boundary';
import { commandNamed, commands } from './commands';

const rendererDir = join(import.meta.dirname, '../renderer');
// Read at run time: importing the app's version module would load the core's shared chunk.
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

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
