// The CLI speaks the same contract as the UI: every command goes through dispatch (zod parse, domain
// errors with a fix). Failures are printed by the boundary's reportFailure (boundary.ts).
import type { Channel, ParsedReq, Req, Res } from '../../src-shared/contract';
import type { CallContext } from '../../src-shared/schemas/audit';
import { dispatch } from '../../src-shared/dispatch';
import type { Command } from 'commander';
import type { App } from '../core/app';
import { CliError, UnexpectedError } from './failure';

export { CliError };
export { runCommand } from './run-command';

/** The command each app serves (`providers add`), recorded as the CLI actor's command in the audit trail. */
const commandOf = new WeakMap<App, string>();

export function runsCommand(app: App, command: Command): void {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  commandOf.set(app, names.join(' '));
}

export async function invoke<C extends Channel>(app: App, channel: C, req: Req<C> | ParsedReq<C>): Promise<Res<C>> {
  let unexpected: unknown;
  const context: CallContext = { surface: 'cli', command: commandOf.get(app) ?? null };
  const envelope = await dispatch(
    app.handlers,
    channel,
    req,
    (error) => {
      unexpected = error;
    },
    context,
  );
  // dispatch hides an unexpected error's cause from the UI; in the terminal the admin gets the cause itself.
  if (unexpected !== undefined) throw new UnexpectedError(unexpected);
  if (!envelope.ok) throw new CliError(envelope.error);
  return envelope.value as Res<C>;
}
