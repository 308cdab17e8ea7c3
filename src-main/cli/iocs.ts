// `posture-console iocs push|list`: indicators pushed to Falcon, with the same validation as the form.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { defaultDataDir } from './data-dir';
import { invoke } from './invoke';
import { findProvider, withApp, type Common } from './with-app';

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

interface PushOptions extends Common {
  integration: string;
  type: string;
  value: string;
  action: string;
  severity?: string;
  platforms: string[];
  description?: string;
  sourceIncident?: string;
  expirationDays?: string;
  actor: string;
}

export function registerIocs(program: Command): void {
  const iocs = program
    .command('iocs')
    .description('push and list indicators of compromise in Falcon')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  iocs
    .command('push')
    .description('push one IOC through a Falcon detections integration (checks for a duplicate first)')
    .requiredOption('--integration <name>', 'the Falcon detections integration')
    .requiredOption('--type <type>', 'ipv4, ipv6, domain, md5 or sha256')
    .requiredOption('--value <value>', 'the indicator')
    .requiredOption('--action <action>', 'no_action, allow, prevent_no_ui, prevent or detect')
    .option('--severity <severity>', 'informational, low, medium, high or critical')
    .option('--platforms <list>', 'comma-separated: windows,mac,linux,ios,android', list, ['windows', 'mac', 'linux'])
    .option('--description <text>', 'why this indicator is pushed')
    .option('--source-incident <number>', 'the incident it came from, e.g. INC0000012')
    .option('--expiration-days <days>', 'days until Falcon expires it')
    .option('--actor <name>', 'who is pushing it (recorded)', userInfo().username)
    .action(
      withApp<PushOptions>(async (app, opts) => {
        const integration = await findProvider(app, opts.integration);
        const result = await invoke(app, 'iocs.push', {
          integrationId: integration.config.id,
          actor: opts.actor,
          input: {
            type: opts.type,
            value: opts.value,
            action: opts.action,
            severity: opts.severity,
            platforms: opts.platforms,
            description: opts.description,
            source_incident: opts.sourceIncident,
            expiration_days: opts.expirationDays === undefined ? undefined : Number(opts.expirationDays),
          } as never,
        });
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else process.stdout.write(`${result.status}: ${opts.type} ${opts.value}\n`);
      }),
    );

  iocs
    .command('list')
    .description('list the IOCs pushed from this console')
    .action(
      withApp<Common>(async (app, opts) => {
        const pushed = await invoke(app, 'iocs.list', {});
        if (opts.json) return void process.stdout.write(JSON.stringify(pushed, null, 2) + '\n');
        if (pushed.length === 0) return void process.stdout.write('No IOCs pushed from this console yet. Push one with `posture-console iocs push`.\n');
        for (const ioc of pushed) process.stdout.write(`${ioc.type}\t${ioc.value}\t${ioc.action}\t${ioc.severity ?? '-'}\n`);
      }),
    );
}
