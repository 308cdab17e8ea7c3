// How audit entries are put into words: who acted, what a value was, the verify result.
import { auditSurfaceLabels, type AuditActor, type AuditVerifyResult } from '../../../src-shared/schemas/audit';

export const surfaceColor: Record<AuditActor['surface'], string> = { desktop: 'blue', web: 'grape', cli: 'cyan' };

/** `admin · web-1a2b3c4d5e6f` / `admin · "providers add"` / `admin as alice` */
export function actorText(actor: AuditActor): string {
  return [actor.osUser, actor.session, actor.command && `"${actor.command}"`, actor.claimed && `as ${actor.claimed}`].filter(Boolean).join(' · ');
}

export const surfaceLabel = (actor: AuditActor) => auditSurfaceLabels[actor.surface];

/** A before/after value in one line: text as is, nothing as an em dash, the rest as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function verifyText(result: AuditVerifyResult): { title: string; detail: string } {
  const entries = `${result.checked.toLocaleString()} entr${result.checked === 1 ? 'y' : 'ies'}`;
  const anchored = result.anchor ? ` Entries up to ${result.anchor.seq} were pruned by retention; the chain continues from their anchor.` : '';
  const key = result.keyProtected ? '' : ' The chain key is only obfuscated on disk (no OS keyring).';
  if (result.ok) return { title: `Chain intact: ${entries} verified`, detail: `Every entry matches its MAC and follows the one before it.${anchored}${key}` };
  const b = result.broken!;
  return {
    title: `Chain broken at entry ${b.seq}${b.at ? ` (${b.at})` : ''}: ${b.kind.replace('_', ' ')}`,
    detail: `${b.message} ${entries} before it verified.${key}`,
  };
}
