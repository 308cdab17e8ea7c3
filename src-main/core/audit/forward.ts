// An audit entry as the event the forwarding outbox carries: kind 'audit', the entry's own id, so a receiver
// drops the duplicates at-least-once delivery makes.
import type { AuditEntry } from '../../../src-shared/schemas/audit';
import type { ForwardEvent } from '../../../src-shared/schemas/forward';

export function auditForwardEvent(entry: AuditEntry): ForwardEvent {
  const { id, at, summary, ...rest } = entry;
  return { id, kind: 'audit', time: at, summary, body: { ...rest } };
}
