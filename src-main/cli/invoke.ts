// The CLI speaks the same contract as the UI: every command goes through dispatch (zod parse,
// domain errors with a fix), and failures print the message and fix, never a stack.
import type { Channel, ParsedReq, Req, Res } from '../../src-shared/contract';
import { dispatch } from '../../src-shared/dispatch';
import type { ErrorBody } from '../../src-shared/errors';
import type { App } from '../core/app';

export class CliError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

export async function invoke<C extends Channel>(app: App, channel: C, req: Req<C> | ParsedReq<C>): Promise<Res<C>> {
  const envelope = await dispatch(app.handlers, channel, req, (error) => app.logger.error({ err: error, channel }, 'handler failed'));
  if (!envelope.ok) throw new CliError(envelope.error);
  return envelope.value as Res<C>;
}

export function formatError(body: ErrorBody): string {
  const lines = [`error: ${body.message}`];
  for (const issue of body.issues ?? []) if (!body.message.includes(issue.message)) lines.push(`  ${issue.path}: ${issue.message}`);
  if (body.fix) lines.push(`fix: ${body.fix}`);
  return lines.join('\n');
}

/** Runs a command body, turning contract errors into a clean message and exit code 2. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(formatError(error.body) + '\n');
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
