import { describe, expect, it } from 'vitest';
import { ForwardEvent } from '../../../src-shared/schemas/forward';
import type { AuditEntry } from '../../../src-shared/schemas/audit';
import { auditForwardEvent } from './forward';

const entry: AuditEntry = {
  seq: 12,
  id: '1b4e28ba-2fa1-4d3b-9c1e-5a3f2d8e7c60',
  at: '2026-12-06T23:00:00.000Z',
  actor: { surface: 'web', osUser: 'admin', session: 'web-0a1b2c3d4e5f', command: null, claimed: null },
  action: 'provider.edited',
  channel: 'providers.save',
  target: { kind: 'provider', id: 'p1', name: 'Falcon' },
  outcome: 'succeeded',
  error: null,
  summary: "Edited provider 'Falcon'",
  changes: [{ field: 'region', before: 'us-1', after: 'eu-1' }],
};

describe('an audit entry as a forwarded event', () => {
  it('is a ForwardEvent of kind audit whose id is the entry id, timed when the action happened, with the rest in its body', () => {
    const event = auditForwardEvent(entry);
    expect(ForwardEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ id: entry.id, kind: 'audit', time: entry.at, summary: entry.summary });
    expect(event.body).toMatchObject({ seq: 12, action: 'provider.edited', actor: entry.actor, changes: entry.changes });
  });
});
