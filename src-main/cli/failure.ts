// Every way a command can fail, turned into what an admin reads: a message, the fix, and the exit code.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommanderError } from 'commander';
import { z } from 'zod';
import { ContractError, issuesFromZod, type ErrorBody } from '../../src-shared/errors';

/** A failure the CLI itself describes (bad option, unknown name, unreadable file). */
export class CliError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'CliError';
  }
}

/** Something no message was written for: printed with its cause, its stack kept for the log. */
export class UnexpectedError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'UnexpectedError';
  }
}

export interface Failure {
  body: ErrorBody;
  exitCode: number;
  /** True when the message is ours to write; false when it is an unexpected error worth logging. */
  expected: boolean;
}

type SystemError = NodeJS.ErrnoException & { address?: string; port?: number; dest?: string };

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as SystemError).code === 'string' && /^E[A-Z]+$/.test((error as SystemError).code!);
}

/** Node system errors by code, in words, naming the path or address involved. */
export function describeSystemError(error: SystemError): ErrorBody {
  const path = error.path ?? error.dest;
  const where = path ?? error.syscall ?? 'the operation';
  const code = `system.${error.code!.toLowerCase()}`;
  switch (error.code) {
    case 'ENOENT': {
      const parent = path ? dirname(path) : undefined;
      if (parent && !existsSync(parent))
        return {
          code,
          message: `The folder ${parent} does not exist (needed for ${path}).`,
          fix: `Create it first (mkdir -p ${parent}) or choose a path in an existing folder.`,
        };
      return { code, message: `${where} does not exist.`, fix: 'Check the path and try again.' };
    }
    case 'ENOTDIR':
      return { code, message: `${where}: part of this path is a file, not a folder.`, fix: 'Check the path: only folders can contain other files.' };
    case 'EEXIST':
      return error.syscall === 'mkdir'
        ? { code, message: `${where} exists and is not a folder.`, fix: 'Choose a folder, or a path that does not exist yet (it is created).' }
        : { code, message: `${where} already exists.`, fix: 'Choose another name, or remove the existing file first.' };
    case 'EISDIR':
      return { code, message: `${where} is a folder, not a file.`, fix: 'Name a file inside it instead.' };
    case 'EACCES':
    case 'EPERM':
      if (error.syscall === 'listen' || error.syscall === 'bind')
        return { code, message: `Not allowed to listen on port ${error.port ?? '?'}.`, fix: 'Use a port above 1023, or --port 0 for a free one.' };
      return { code, message: `Permission denied: ${where}.`, fix: 'Choose a location your user may write to, or change its permissions.' };
    case 'EROFS':
      return { code, message: `${where} is on a read-only file system.`, fix: 'Choose a writable location.' };
    case 'ENOSPC':
      return { code, message: `No space left on the disk that holds ${where}.`, fix: 'Free some space, or choose a location on another disk.' };
    case 'EMFILE':
    case 'ENFILE':
      return { code, message: 'Too many files are open.', fix: 'Raise the open-file limit (ulimit -n) or close other programs, then try again.' };
    case 'EADDRINUSE':
      return {
        code,
        message: `Port ${error.port ?? '?'} on ${error.address ?? 'this machine'} is already in use.`,
        fix: 'Choose another --port, or --port 0 for a free one.',
      };
    case 'EADDRNOTAVAIL':
      return {
        code,
        message: `${error.address ?? 'The address'} is not an address of this machine.`,
        fix: 'Use --host 127.0.0.1 (this machine only) or one of its own addresses.',
      };
    case 'EPIPE':
      return {
        code,
        message: 'The output was closed before everything was written.',
        fix: 'Let the command finish before closing its output (e.g. do not pipe it into head).',
      };
    default:
      return {
        code,
        message: `The operating system refused ${error.syscall ?? 'an operation'}${path ? ` on ${path}` : ''} (${error.code}).`,
        fix: 'Check the path and its permissions, then try again.',
      };
  }
}

/** How the boundary describes an option of the failing command: its long name and help text. */
export type OptionLookup = (flags: string) => { name: string; description: string } | undefined;

/** Usage mistakes as commander reports them, reworded to name the option as typed, with a pointer to help. */
function describeUsage(error: CommanderError, commandPath: string, lookup: OptionLookup): Failure {
  const help = `\`${commandPath} --help\` lists every option.`;
  const code = `usage.${error.code.replace(/^commander\./, '')}`;
  const missing = /required option '([^']+)' not specified/.exec(error.message);
  if (missing) {
    const option = lookup(missing[1]!);
    const name = option?.name ?? missing[1]!;
    return {
      body: { code, message: `Missing ${name}${option ? `: ${option.description}` : ''}.`, fix: `Add ${missing[1]}. ${help}` },
      exitCode: 2,
      expected: true,
    };
  }
  const invalid = /option '([^']+)' argument '([^']*)' is invalid\. (.*)$/s.exec(error.message);
  if (invalid) {
    const name = lookup(invalid[1]!)?.name ?? invalid[1]!;
    return { body: { code, message: `${name} ${invalid[2]} is not valid: ${invalid[3]!.replace(/\.$/, '')}.`, fix: help }, exitCode: 2, expected: true };
  }
  const message = error.message.replace(/^error: /, '');
  if (error.code === 'commander.unknownCommand')
    return {
      body: { code, message: message.charAt(0).toUpperCase() + message.slice(1), fix: 'Run `posture-console --help` for the commands.' },
      exitCode: 2,
      expected: true,
    };
  return {
    body: { code, message: message.charAt(0).toUpperCase() + message.slice(1), fix: `Run \`${commandPath} --help\` for the options and their values.` },
    exitCode: 2,
    expected: true,
  };
}

/** Maps any error to its message, fix and exit code: 2 for every failure (1 is for a failed test or poll). */
export function describeFailure(error: unknown, commandPath = 'posture-console', lookup: OptionLookup = () => undefined): Failure {
  if (error instanceof CliError) return { body: error.body, exitCode: 2, expected: true };
  if (error instanceof ContractError) return { body: error.toBody(), exitCode: 2, expected: true };
  if (error instanceof CommanderError) return describeUsage(error, commandPath, lookup);
  if (error instanceof z.ZodError) {
    const issues = issuesFromZod(error);
    return {
      body: { code: 'invalid_input', message: 'Invalid input.', fix: 'Correct each value named above and try again.', issues },
      exitCode: 2,
      expected: true,
    };
  }
  if (isSystemError(error)) return { body: describeSystemError(error), exitCode: 2, expected: true };
  const cause = error instanceof UnexpectedError ? error.cause : error;
  return {
    body: { code: 'internal', message: `posture-console failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}` },
    exitCode: 2,
    expected: false,
  };
}
