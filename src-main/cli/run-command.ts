// A command body with the CLI's exit-code and failure handling, apart from invoke.ts so a command that never calls
// the app (export) does not load the contract and every channel's schema with it.
import type { Command } from 'commander';
import { reportFailure } from './boundary';

/**
 * Runs a command body; its number (1 for a failed test or poll) becomes the exit code, and a failure is
 * reported by the boundary's own mapping here, so the command stands alone (tests parse it without runCli).
 */
export async function runCommand(command: Command, body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (error) {
    await reportFailure(error, command);
  }
}
