// `posture-console sinks add|list|test|status|remove|dead-letters`: forwarding to a SIEM from scripts and terminals.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ForwardEventKind } from '../../src-shared/schemas/forward';
import type { TestStep } from '../../src-shared/schemas/providers';
import { sinkKindLabels, type SinkInput, type SinkStatus, type SinkView } from '../../src-shared/schemas/sinks';
import type { App } from '../core/app';
import { defaultDataDir } from './data-dir';
import { CliError, invoke } from './invoke';
import { parsePort, parsePositiveInt } from './options';
import { readSecret } from './secret-input';
import { statusMark, withApp, type Common } from './with-app';

function printSteps(steps: TestStep[]): void {
  for (const step of steps) {
    process.stdout.write(`${statusMark[step.status]} ${step.title}: ${step.observed}\n`);
    if (step.cause && step.cause !== step.observed) process.stdout.write(`    cause: ${step.cause}\n`);
    if (step.fix) process.stdout.write(`    fix:   ${step.fix}\n`);
  }
}

async function findSink(app: App, nameOrId: string): Promise<SinkView> {
  const all = await invoke(app, 'sinks.list', {});
  const found = all.find((s) => s.config.id === nameOrId || s.config.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found)
    throw new CliError({
      code: 'sink.not_found',
      message: `No sink named '${nameOrId}'.`,
      fix: `Known sinks: ${all.map((s) => s.config.name).join(', ') || 'none yet'}. Add one with \`posture-console sinks add\`.`,
    });
  return found;
}

/** Lag, rate and the last error in one line. */
export function statusLine(s: SinkStatus): string {
  const parts = [`${s.pending} pending`];
  if (s.oldestPendingAt) parts.push(`oldest ${s.oldestPendingAt}`);
  parts.push(`${s.delivered} delivered`, `${s.ratePerMinute.toFixed(1)}/min`);
  if (s.dropped) parts.push(`${s.dropped} dropped by the cap`);
  if (s.deadLetters) parts.push(`${s.deadLetters} dead letters`);
  if (s.lastError) parts.push(`last error ${s.lastError.at}: ${s.lastError.message} (fix: ${s.lastError.fix})`);
  if (s.retryAt) parts.push(`next try ${s.retryAt}`);
  return parts.join(', ');
}

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export function registerSinks(program: Command): void {
  const sinks = program
    .command('sinks')
    .description('add, list, test and remove forwarding sinks (syslog, Splunk HEC, OTLP) and see their lag')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  sinks
    .command('list')
    .description('list sinks with their lag and last error')
    .action(
      withApp<Common>(async (app, opts) => {
        const all = await invoke(app, 'sinks.list', {});
        if (opts.json) return void process.stdout.write(JSON.stringify(all, null, 2) + '\n');
        if (all.length === 0) return void process.stdout.write('No sinks. Add one with `posture-console sinks add`.\n');
        for (const s of all) {
          const token = s.token === null ? '' : s.token.configured ? '\ttoken set' : '\ttoken missing';
          process.stdout.write(`${s.config.name}\t${s.config.kind}\t${s.config.enabled ? 'on' : 'off'}\t${statusLine(s.status)}${token}\n`);
        }
      }),
    );

  sinks
    .command('add')
    .description('add a sink; a token comes from --token-env VAR or --token-stdin, never from the command line')
    .requiredOption('--kind <kind>', `one of ${Object.keys(sinkKindLabels).join(', ')}`)
    .requiredOption('--name <name>', 'a name for this sink')
    .option('--host <host>', 'syslog: receiver host name or IP address')
    .option('--port <port>', 'syslog: receiver port (default 6514)', parsePort)
    .option('--transport <tls|tcp>', 'syslog: tls (default) or tcp for labs')
    .option('--ca-file <file>', 'syslog: trust this CA certificate (PEM file) for the receiver')
    .option('--server-name <name>', 'syslog: the name the receiver certificate carries, when connecting by IP')
    .option('--app-name <name>', 'syslog: APP-NAME (default posture-console)')
    .option('--facility <facility>', 'syslog: user, daemon, auth, authpriv, local0 … local7 (default local0)')
    .option('--url <url>', 'Splunk HEC collector URL, or the OTLP /v1/logs endpoint')
    .option('--index <index>', 'Splunk HEC: index')
    .option('--sourcetype <sourcetype>', 'Splunk HEC: sourcetype')
    .option('--use-ack', 'Splunk HEC: wait for indexer acknowledgement (needs --channel)')
    .option('--channel <guid>', 'Splunk HEC: channel GUID')
    .option('--service-name <name>', 'OTLP: service.name (default posture-console)')
    .option('--events <kinds>', `comma-separated: ${ForwardEventKind.options.join(', ')} (default all)`, list)
    .option('--batch-size <n>', 'events per batch (default 100)', parsePositiveInt)
    .option('--max-pending <n>', 'outbox cap: beyond this many undelivered events the oldest are dropped (default 1000000)', parsePositiveInt)
    .option('--token-env <VAR>', 'read the HEC or bearer token from this environment variable')
    .option('--token-stdin', 'read the HEC or bearer token from the first line of standard input')
    .action(
      withApp<Common & Record<string, unknown>>(async (app, opts) => {
        const token = await readSecret({ secretEnv: opts.tokenEnv as string | undefined, secretStdin: opts.tokenStdin === true });
        let caCertificate: string | undefined;
        if (typeof opts.caFile === 'string') {
          try {
            caCertificate = readFileSync(opts.caFile, 'utf8');
          } catch (error) {
            throw new CliError({
              code: 'invalid_input',
              message: `Cannot read --ca-file ${opts.caFile}: ${(error as Error).message}`,
              fix: 'Give the path of a PEM file.',
            });
          }
        }
        const common = {
          kind: opts.kind,
          name: opts.name,
          ...(opts.events ? { events: opts.events } : {}),
          ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
          ...(opts.maxPending ? { maxPendingEvents: opts.maxPending } : {}),
        };
        const input =
          opts.kind === 'syslog'
            ? {
                ...common,
                host: opts.host,
                port: opts.port,
                transport: opts.transport,
                caCertificate,
                serverName: opts.serverName,
                appName: opts.appName,
                facility: opts.facility,
              }
            : opts.kind === 'splunk-hec'
              ? { ...common, url: opts.url, index: opts.index, sourcetype: opts.sourcetype, useAck: opts.useAck === true, channel: opts.channel, token }
              : { ...common, url: opts.url, serviceName: opts.serviceName, token };
        const view = await invoke(app, 'sinks.save', input as SinkInput);
        if (opts.json) process.stdout.write(JSON.stringify(view, null, 2) + '\n');
        else
          process.stdout.write(
            `Added ${view.config.name} (${view.config.id})${view.token?.configured ? `; token stored with ${view.token.storedWith}` : ''}.\n`,
          );
      }),
    );

  sinks
    .command('test <name>')
    .description('run the layered sink test; exit code 1 when a step fails')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const target = await findSink(app, name!);
        const stop = opts.json
          ? () => {}
          : app.events.listen((event, payload) => {
              if (event === 'sinks.testProgress' && 'step' in payload && payload.step.status !== 'running') printSteps([payload.step]);
            });
        const report = await invoke(app, 'sinks.test', { id: target.config.id }).finally(stop);
        if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else process.stdout.write(report.ok ? 'All checks passed.\n' : 'Problems found.\n');
        return report.ok ? 0 : 1;
      }),
    );

  sinks
    .command('status [name]')
    .description('lag (events behind, age of the oldest), rate, dropped, dead letters and the last error')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const targets = name ? [await findSink(app, name)] : await invoke(app, 'sinks.list', {});
        const statuses = await Promise.all(targets.map(async (t) => ({ name: t.config.name, ...(await invoke(app, 'sinks.status', { id: t.config.id })) })));
        if (opts.json) return void process.stdout.write(JSON.stringify(statuses, null, 2) + '\n');
        if (statuses.length === 0) return void process.stdout.write('No sinks.\n');
        for (const s of statuses) process.stdout.write(`${s.name}: ${statusLine(s)}\n`);
      }),
    );

  sinks
    .command('remove <name>')
    .description('remove a sink, its queue and its stored token')
    .action(
      withApp<Common>(async (app, opts, name) => {
        const target = await findSink(app, name!);
        await invoke(app, 'sinks.remove', { id: target.config.id });
        if (opts.json) process.stdout.write(JSON.stringify({ removed: target.config.id }) + '\n');
        else process.stdout.write(`Removed ${target.config.name}.\n`);
      }),
    );

  sinks
    .command('dead-letters <name>')
    .description('list what the sink refused for good; --retry puts them back in the queue, --discard drops them')
    .option('--retry', 'send them again')
    .option('--discard', 'drop them')
    .option('--event <ids>', 'only these event ids (comma-separated)', list)
    .action(
      withApp<Common & { retry?: boolean; discard?: boolean; event?: string[] }>(async (app, opts, name) => {
        const target = await findSink(app, name!);
        if (opts.retry && opts.discard)
          throw new CliError({ code: 'invalid_input', message: 'Choose --retry or --discard, not both.', fix: 'Run the command twice.' });
        if (opts.retry || opts.discard) {
          const { count } = await invoke(app, opts.retry ? 'sinks.retryDeadLetters' : 'sinks.discardDeadLetters', {
            id: target.config.id,
            eventIds: opts.event,
          });
          process.stdout.write(opts.json ? JSON.stringify({ count }) + '\n' : `${opts.retry ? 'Queued again' : 'Discarded'}: ${count}.\n`);
          return;
        }
        const letters = await invoke(app, 'sinks.deadLetters', { id: target.config.id });
        if (opts.json) return void process.stdout.write(JSON.stringify(letters, null, 2) + '\n');
        if (letters.length === 0) return void process.stdout.write(`No dead letters for ${target.config.name}.\n`);
        for (const l of letters) process.stdout.write(`${l.deadAt}\t${l.eventId}\t${l.kind}\t${l.reason}\t${l.summary}\n`);
      }),
    );
}
