// The core's own events (incidents, user risk) as forwarded events, each with an id a receiver can de-duplicate by.
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import type { Incident } from '../../../src-shared/schemas/incidents';
import type { UserSummary } from '../../../src-shared/schemas/users';

function incidentBody(incident: Incident): Record<string, unknown> {
  return {
    number: incident.number,
    integrationId: incident.integrationId,
    title: incident.title,
    state: incident.state,
    priority: incident.priority,
    severity: incident.severity,
    tactic: incident.tactic,
    hostname: incident.hostname,
    hostDeviceId: incident.hostDeviceId,
    alertIds: incident.alertIds,
    rule: incident.rule,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
  };
}

const iso = (value: string | number) => new Date(value).toISOString();

export function incidentCreatedEvent(incident: Incident): ForwardEvent {
  return {
    id: `incident.created:${incident.number}`,
    kind: 'incident.created',
    time: iso(incident.createdAt),
    summary: `${incident.number} ${incident.priority}: ${incident.title}`,
    body: incidentBody(incident),
  };
}

/** When the update is a change of state (the state's own time is the update's time); null for notes, enrichment and the like. */
export function incidentStateEvent(incident: Incident): ForwardEvent | null {
  const stateAt = { new: null, in_progress: incident.inProgressAt, resolved: incident.resolvedAt, closed: incident.closedAt }[incident.state];
  if (stateAt === null || stateAt === undefined || iso(stateAt) !== iso(incident.updatedAt)) return null;
  return {
    id: `incident.state:${incident.number}:${incident.state}:${iso(stateAt)}`,
    kind: 'incident.state',
    time: iso(stateAt),
    summary: `${incident.number} is now ${incident.state.replace('_', ' ')}: ${incident.title}`,
    body: incidentBody(incident),
  };
}

/** Remembers each user's level and turns a new list into the changes since the last one. */
export function createUserRiskWatcher() {
  let known: Map<string, UserSummary['level']> | null = null;
  return {
    /** The first call sets the baseline and forwards nothing. */
    changes(users: UserSummary[], now: Date): ForwardEvent[] {
      const next = new Map(users.map((u) => [u.id, u.level]));
      const previous = known;
      known = next;
      if (!previous) return [];
      const out: ForwardEvent[] = [];
      for (const u of users) {
        const before = previous.get(u.id) ?? 'none';
        if (before === u.level) continue;
        out.push({
          id: `user.risk:${u.id}:${u.level}:${now.getTime()}`,
          kind: 'user.risk',
          time: now.toISOString(),
          summary: `${u.displayName}: user risk ${before} → ${u.level}`,
          body: { userId: u.id, displayName: u.displayName, previousLevel: before, level: u.level, activeEvents: u.activeEvents, devices: u.devices },
        });
      }
      return out;
    },
  };
}
