// Secrets reach the CLI from an environment variable or standard input, never from argv
// (argv is visible to every user through the process list and lands in shell history).
import { createInterface } from 'node:readline';
import { CliError } from './failure';

export async function readSecret(options: { secretEnv?: string; secretStdin?: boolean }, env = process.env): Promise<string | undefined> {
  if (options.secretEnv) {
    const value = env[options.secretEnv];
    if (!value)
      throw new CliError({
        code: 'invalid_input',
        message: `The environment variable ${options.secretEnv} is empty or not set.`,
        fix: `Export ${options.secretEnv} first, or use --secret-stdin.`,
      });
    return value.trim();
  }
  if (options.secretStdin) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    throw new CliError({
      code: 'invalid_input',
      message: 'No secret arrived on standard input.',
      fix: 'Pipe the secret in, e.g. `pass show falcon | posture-console providers add … --secret-stdin`.',
    });
  }
  return undefined;
}
