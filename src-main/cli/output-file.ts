// Checks an output path before any work starts, so a typo fails at once with the option named.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { CliError } from './failure';

export function checkOutputFile(out: string, option: string, example: string): void {
  const full = resolve(out);
  if (out.endsWith('/') || out.endsWith(sep) || (existsSync(full) && statSync(full).isDirectory()))
    throw new CliError({
      code: 'cli.out_is_folder',
      message: `${option} ${out} is a folder; name the file to write.`,
      fix: `For example: ${option} ${join(out, example)}`,
    });
  const parent = dirname(full);
  if (!existsSync(parent))
    throw new CliError({
      code: 'cli.out_folder_missing',
      message: `${option} ${out}: the folder ${parent} does not exist.`,
      fix: `Create it first (mkdir -p ${parent}) or write into an existing folder.`,
    });
  if (!statSync(parent).isDirectory())
    throw new CliError({
      code: 'cli.out_folder_missing',
      message: `${option} ${out}: ${parent} is a file, not a folder.`,
      fix: 'Write into an existing folder.',
    });
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new CliError({
      code: 'cli.out_not_writable',
      message: `${option} ${out}: you may not write into ${parent}.`,
      fix: 'Choose a folder your user can write to.',
    });
  }
}
