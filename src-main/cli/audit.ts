// `posture-console audit verify|list`: check the audit trail's hash chain, and read or export the trail.
import { renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { auditSurfaceLabels, type AuditEntry, type AuditFilter } from '../../src-shared/schemas/audit';
import { defaultDataDir } from './data-dir';
import { invoke } from './invoke';
import { checkOutputFile } from './output-file';
import { withApp, type Common } from './with-app';

interface ListOptions extends Common {
  csv?: string;
  from?: string;
  to?: string;
  surface?: string;
  actor?: string;
  action?: string;
  target?: string;
  search?: string;
}

const who = (e: AuditEntry) =>
  [auditSurfaceLabels[e.actor.surface], e.actor.osUser, e.actor.session, e.actor.command && `"${e.actor.command}"`, e.actor.claimed && `as ${e.actor.claimed}`]
    .filter(Boolean)
    .join(' ');

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('verify the audit trail of admin actions and list or export it')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  audit
    .command('verify')
    .description('check the hash chain; names the first broken entry and exits 1 when the trail was tampered with')
    .action(
      withApp<Common>(async (app, opts) => {
        const result = await invoke(app, 'audit.verify', {});
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else if (result.ok) {
          const range = result.checked ? ` (entries ${result.firstSeq}–${result.lastSeq})` : '';
          const anchor = result.anchor
            ? `; entries up to ${result.anchor.seq} were pruned by retention on ${result.anchor.prunedAt} and the chain continues from their anchor`
            : '';
          process.stdout.write(`✓ Audit trail intact: ${result.checked} entr${result.checked === 1 ? 'y' : 'ies'} verified${range}${anchor}.\n`);
        } else if (result.broken) {
          const b = result.broken;
          process.stdout.write(`✗ Audit trail broken at entry ${b.seq}${b.at ? ` (${b.at})` : ''}: ${b.kind.replace('_', ' ')}.\n    ${b.message}\n`);
          process.stdout.write(`    ${result.checked} entr${result.checked === 1 ? 'y' : 'ies'} before it verified.\n`);
          process.stdout.write('    fix: Compare with a copy forwarded to your SIEM, and find out who had write access to the data directory.\n');
        }
        if (!result.keyProtected && !opts.json)
          process.stdout.write('! The chain key is only obfuscated on disk (no OS keyring): anyone who can read the data directory could rewrite the chain.\n');
        return result.ok ? 0 : 1;
      }),
    );

  audit
    .command('list')
    .description('print the audit trail, oldest first, or write it as CSV with --csv FILE')
    .option('--csv <file>', 'write the entries as CSV to this file')
    .option('--from <time>', 'ISO 8601 start, e.g. 2026-11-01T00:00:00Z')
    .option('--to <time>', 'ISO 8601 end')
    .option('--surface <surface>', 'desktop, web or cli')
    .option('--actor <text>', 'OS user, web session id or the name given')
    .option('--action <action>', 'an action (provider.added) or its noun (provider)')
    .option('--target <text>', 'target kind, id or name contains')
    .option('--search <text>', 'text anywhere in the entry')
    .action(
      withApp<ListOptions>(async (app, opts) => {
        const filter = Object.fromEntries(
          (['from', 'to', 'surface', 'actor', 'action', 'target', 'search'] as const).filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]),
        ) as AuditFilter;
        if (opts.csv) {
          checkOutputFile(opts.csv, '--csv', 'audit.csv');
          const { csv } = await invoke(app, 'audit.export', filter);
          // Written whole, then renamed: a reader never sees half a file under the final name.
          writeFileSync(`${opts.csv}.partial`, csv, { mode: 0o600 });
          renameSync(`${opts.csv}.partial`, opts.csv);
          const rows = Math.max(0, csv.split('\r\n').length - 2);
          process.stdout.write(`Wrote ${rows} entr${rows === 1 ? 'y' : 'ies'} to ${opts.csv}.\n`);
          return;
        }
        const entries: AuditEntry[] = [];
        for (let before: number | undefined; ;) {
          const page = await invoke(app, 'audit.query', { ...filter, limit: 1000, ...(before ? { before } : {}) });
          entries.push(...page.entries);
          if (page.nextBefore === null) break;
          before = page.nextBefore;
        }
        entries.reverse();
        if (opts.json) return void process.stdout.write(JSON.stringify(entries, null, 2) + '\n');
        if (entries.length === 0) return void process.stdout.write('No audit entries match.\n');
        for (const e of entries) process.stdout.write(`${e.seq}\t${e.at}\t${who(e)}\t${e.action}${e.outcome === 'failed' ? ' (failed)' : ''}\t${e.summary}\n`);
      }),
    );
}
