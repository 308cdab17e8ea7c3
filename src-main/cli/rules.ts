// `posture-console rules check|import|export`: the detection rules in the StackFlow JSON format.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultDataDir } from './data-dir';
import { CliError, invoke } from './invoke';
import { checkOutputFile } from './output-file';
import { withApp, type Common } from './with-app';

function read(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch {
    throw new CliError({ code: 'invalid_input', message: `Cannot read ${file}.`, fix: 'Check the path, or pass - to read standard input.' });
  }
}

export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description('validate, import and export detection rules ({"detection_rules": [...]})')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  const importOrCheck = (save: boolean) =>
    withApp<Common>(async (app, opts, file) => {
      const result = await invoke(app, 'rules.import', { text: read(file!) });
      if (!result.ok) {
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else {
          for (const issue of result.issues) process.stderr.write(`✗ ${issue.path}: ${issue.message}${issue.suggestion ? ` — ${issue.suggestion}` : ''}\n`);
          process.stderr.write(
            `fix: Correct ${result.issues.length === 1 ? 'the problem' : `the ${result.issues.length} problems`} above in ${file} and run \`posture-console rules check ${file}\` again.\n`,
          );
        }
        return 2;
      }
      for (const w of result.warnings) process.stderr.write(`! ${w.path}: ${w.message}\n`);
      if (save) await invoke(app, 'rules.save', result.ruleSet);
      if (opts.json) process.stdout.write(JSON.stringify(result.ruleSet, null, 2) + '\n');
      else process.stdout.write(`${result.ruleSet.rules.length} rules are valid${save ? ' and saved' : ''}.\n`);
      return 0;
    });

  rules.command('check <file>').description('validate a rules file (- for standard input); saves nothing').action(importOrCheck(false));
  rules.command('import <file>').description('validate and save a rules file, replacing the current rule set').action(importOrCheck(true));
  rules
    .command('export')
    .description('print the saved rule set in the StackFlow format')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(
      withApp<Common & { out?: string }>(async (app, opts) => {
        if (opts.out) checkOutputFile(opts.out, '--out', 'rules.json');
        const ruleSet = await invoke(app, 'rules.get', {});
        const { text } = await invoke(app, 'rules.export', { ruleSet });
        if (!opts.out) return void process.stdout.write(text + '\n');
        writeFileSync(opts.out, text + '\n');
        // Standard output stays free for the rules themselves; the file case says what it did.
        process.stdout.write(`Wrote ${ruleSet.rules.length} rule${ruleSet.rules.length === 1 ? '' : 's'} to ${opts.out}.\n`);
      }),
    );
}
