// Secrets reach the CLI from an environment variable or standard input, never from argv
// (argv is visible to every user through the process list and lands in shell history).
import { createInterface } from 'node:readline';

export async function readSecret(options: { secretEnv?: string; secretStdin?: boolean }, env = process.env): Promise<string | undefined> {
  if (options.secretEnv) {
    const value = env[options.secretEnv];
    if (!value) throw new Error(`The environment variable ${options.secretEnv} is empty or not set.`);
    return value.trim();
  }
  if (options.secretStdin) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    throw new Error('No secret arrived on standard input.');
  }
  return undefined;
}
