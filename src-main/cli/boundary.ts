// The one place a command's failure becomes output: the message, each field named as the option the admin
// typed, the fix, and exit code 2. No error, however unexpected, ends as a stack trace.
import { CommanderError, type Command } from 'commander';
import type { ErrorBody, FieldIssue } from '../../src-shared/errors';
import { endProgress } from './progress';

/** Contract field paths that a command takes under another option name (e.g. `results` from `--result`). */
const optionAliases: Record<string, string> = {
  providerIds: 'provider',
  checkIds: 'check',
  results: 'result',
  text: 'search',
  providerId: 'provider',
  source_incident: 'sourceIncident',
  expiration_days: 'expirationDays',
  integrationId: 'integration',
  token: 'tokenEnv',
  caCertificate: 'caFile',
  maxPendingEvents: 'maxPending',
};

function commandPath(command: Command | undefined): string {
  const names: string[] = [];
  for (let c: Command | null | undefined = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ') || 'posture-console';
}

/** The option of this command (or its parents) that sets a contract field, as typed on the command line. */
export function optionFor(command: Command | undefined, path: string): string | undefined {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  for (const segment of [...segments].reverse()) {
    const attribute = optionAliases[segment] ?? segment;
    for (let c: Command | null | undefined = command; c; c = c.parent) {
      const option = c.options.find((o) => o.attributeName() === attribute);
      if (option) return option.long ?? option.short;
    }
  }
  return undefined;
}

function issueLine(issue: FieldIssue, command: Command | undefined): string {
  const option = optionFor(command, issue.path);
  return `  ${option ?? issue.path}: ${issue.message}`;
}

export function formatError(body: ErrorBody, command?: Command): string {
  const issues = body.issues ?? [];
  // With field issues the list says it all, each under the option the admin typed.
  const lines = issues.length
    ? [`error: ${issues.length === 1 ? 'one value' : `${issues.length} values`} to correct:`, ...issues.map((i) => issueLine(i, command))]
    : [`error: ${body.message}`];
  if (body.fix) lines.push(`fix: ${body.fix}`);
  return lines.join('\n');
}

let current: Command | undefined;

/**
 * Reports a failure on standard error and sets the exit code; used by the boundary and by `serve`. The mapping
 * (zod, the logger) is imported here, on failure, so that `--help` loads neither.
 */
export async function reportFailure(error: unknown, command: Command | undefined = current): Promise<number> {
  endProgress();
  const [{ describeFailure }, { logUnexpected }] = await Promise.all([import('./failure'), import('./cli-log')]);
  const failure = describeFailure(error, commandPath(command), (flags) => {
    for (let c: Command | null | undefined = command; c; c = c.parent) {
      const option = c.options.find((o) => o.flags === flags);
      if (option) return { name: option.long ?? option.flags, description: option.description };
    }
    return undefined;
  });
  let text = formatError(failure.body, command);
  if (!failure.expected) {
    const log = await logUnexpected(error instanceof Error && 'cause' in error && error.name === 'UnexpectedError' ? error.cause : error);
    text += `\nfix: ${log ? `The details, with the stack, are in ${log}. ` : ''}If the message does not explain it, please report it with the command you ran.`;
  }
  process.stderr.write(text + '\n');
  process.exitCode = failure.exitCode;
  return failure.exitCode;
}

function eachCommand(command: Command, visit: (c: Command) => void): void {
  visit(command);
  for (const sub of command.commands) eachCommand(sub, visit);
}

/** Parses argv and runs the command inside the boundary. Help and version exit 0; mistakes exit 2. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  eachCommand(program, (command) => {
    command.exitOverride((error) => {
      current = command;
      throw error;
    });
    // Commander's own "error: …" line is replaced by the boundary's message and fix.
    command.configureOutput({ outputError: () => {} });
  });
  program.hook('preAction', (_program, action) => {
    current = action;
  });
  const fatal = (error: unknown) => void reportFailure(error).then((code) => process.exit(code));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return void (process.exitCode = 0);
    // `posture-console providers` without a subcommand printed its help on standard error: that is the message.
    if (error instanceof CommanderError && error.code === 'commander.help') return void (process.exitCode = 2);
    await reportFailure(error);
  }
}
