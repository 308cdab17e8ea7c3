// The audit trail as CSV (RFC 4180 via csv-stringify, the same dialect as the other exports), every text cell
// defused against formula injection.
import { stringify } from 'csv-stringify/sync';
import { auditSurfaceLabels, type AuditEntry } from '../../../src-shared/schemas/audit';
import { neutralizeFormula } from '../csv/formula';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'id',
  'time',
  'surface',
  'os_user',
  'session',
  'command',
  'claimed_actor',
  'action',
  'target_kind',
  'target_id',
  'target_name',
  'outcome',
  'error',
  'summary',
  'changes',
] as const;

const text = (value: string | null | undefined) => neutralizeFormula(value ?? '');

export function auditCsv(entries: readonly AuditEntry[]): string {
  const records = entries.map((e) => [
    String(e.seq),
    e.id,
    e.at,
    auditSurfaceLabels[e.actor.surface],
    text(e.actor.osUser),
    text(e.actor.session),
    text(e.actor.command),
    text(e.actor.claimed),
    e.action,
    text(e.target.kind),
    text(e.target.id),
    text(e.target.name),
    e.outcome,
    text(e.error ? `${e.error.code}: ${e.error.message}` : ''),
    text(e.summary),
    text(e.changes.length ? JSON.stringify(e.changes) : ''),
  ]);
  return stringify(records, {
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    record_delimiter: 'windows',
    bom: true,
    quoted_match: /[\r\n]/,
  });
}
