// The incident repository in memory, for unit tests: the same operations as the SQLite store, each one
// atomic (a failing operation leaves the data as it was), and shareable between service instances to
// play a restart over the same database.
import type { AlertLogEntry, HostCi, Incident, IncidentIoc, PushedIoc, TimelineEntry } from '../../../src-shared/schemas/incidents';
import { repositoryOf, runOperation, type IncidentRepository } from './operations';
import type { IncidentTx, PollState, StoredAlert } from '../store/incident-tx';

interface MemoryData {
  pollStates: Map<string, PollState>;
  /** integration → composite id → canonical created timestamp */
  seen: Map<string, Map<string, string>>;
  /** `${integrationId}\n${compositeId}` → alert */
  alerts: Map<string, StoredAlert>;
  sequence: number;
  incidents: Map<string, Incident>;
  timelines: Map<string, TimelineEntry[]>;
  hosts: Map<string, HostCi>;
  incidentIocs: Map<string, IncidentIoc[]>;
  pushed: Map<string, PushedIoc>;
  settings: Map<string, unknown>;
}

const alertKey = (integrationId: string, compositeId: string) => `${integrationId}\n${compositeId}`;
const copy = <T>(value: T): T => structuredClone(value);
const page = <T>(items: T[], offset: number, limit: number) => ({ items: items.slice(offset, offset + limit), total: items.length });

function emptyData(): MemoryData {
  return {
    pollStates: new Map(),
    seen: new Map(),
    alerts: new Map(),
    sequence: 0,
    incidents: new Map(),
    timelines: new Map(),
    hosts: new Map(),
    incidentIocs: new Map(),
    pushed: new Map(),
    settings: new Map(),
  };
}

function memoryTx(data: MemoryData): IncidentTx {
  const seenOf = (integrationId: string) => {
    let seen = data.seen.get(integrationId);
    if (!seen) data.seen.set(integrationId, (seen = new Map()));
    return seen;
  };
  const logEntry = (a: StoredAlert): AlertLogEntry => ({
    integrationId: a.integrationId,
    receivedAt: a.receivedAt,
    alert: copy(a.summary),
    outcome: a.outcome,
    ruleIndex: a.ruleIndex,
    ruleId: a.ruleId,
    incidentNumber: a.incidentNumber,
  });
  return {
    pollState: (id) => copy(data.pollStates.get(id) ?? null),
    savePollState: (state) => void data.pollStates.set(state.integrationId, copy(state)),

    knownAlert: (id, compositeId) => seenOf(id).get(compositeId) ?? data.alerts.get(alertKey(id, compositeId))?.createdKey ?? null,
    rememberAlert: (id, compositeId, createdKey) => void seenOf(id).set(compositeId, createdKey),
    forgetAlertsBefore(id, createdKey) {
      const seen = seenOf(id);
      let pruned = 0;
      for (const [compositeId, key] of seen)
        if (key < createdKey) {
          seen.delete(compositeId);
          pruned++;
        }
      return pruned;
    },
    insertAlert: (alert) => void data.alerts.set(alertKey(alert.integrationId, alert.compositeId), copy(alert)),
    alertLog(query) {
      const rows = [...data.alerts.values()]
        .filter((a) => (!query.integrationId || a.integrationId === query.integrationId) && (!query.outcome || a.outcome === query.outcome))
        .sort((a, b) => (a.createdKey === b.createdKey ? b.compositeId.localeCompare(a.compositeId) : a.createdKey < b.createdKey ? 1 : -1));
      const { items, total } = page(rows, query.offset, query.limit);
      return { items: items.map(logEntry), total };
    },
    alertsByIds: (id, compositeIds) => compositeIds.flatMap((c) => copy(data.alerts.get(alertKey(id, c)) ?? [])),
    alertsInWindow(window) {
      const key = (a: StoredAlert) => `${a.createdKey}\n${a.compositeId}`;
      return [...data.alerts.values()]
        .filter((a) => a.createdKey >= window.fromKey && a.createdKey < window.toKey && (!window.integrationId || a.integrationId === window.integrationId))
        .filter((a) => window.after === null || key(a) > window.after)
        .sort((a, b) => (key(a) < key(b) ? -1 : 1))
        .slice(0, window.limit)
        .map(copy);
    },

    nextIncidentSequence: () => ++data.sequence,
    insertIncident(incident) {
      if (data.incidents.has(incident.number)) throw new Error(`UNIQUE constraint failed: incidents.number ${incident.number}`);
      data.incidents.set(incident.number, copy(incident));
    },
    saveIncident: (incident) => void data.incidents.set(incident.number, copy(incident)),
    incident: (number) => copy(data.incidents.get(number) ?? null),
    openIncidentForAggregate: (id, aggregateId) =>
      copy(
        [...data.incidents.values()].find((i) => i.integrationId === id && i.aggregateId === aggregateId && (i.state === 'new' || i.state === 'in_progress')) ??
          null,
      ),
    incidents(query) {
      const text = query.text?.toLowerCase();
      const rows = [...data.incidents.values()]
        .filter(
          (i) =>
            (!query.state?.length || query.state.includes(i.state)) &&
            (!query.priority?.length || query.priority.includes(i.priority)) &&
            (!query.integrationId || i.integrationId === query.integrationId) &&
            (!text || [i.number, i.title, i.hostname, i.rule.name, i.assignmentGroup, i.category].some((f) => f?.toLowerCase().includes(text))),
        )
        .sort((a, b) => b.number.length - a.number.length || b.number.localeCompare(a.number));
      return copy(page(rows, query.offset, query.limit));
    },
    incidentsAwaitingFollowUp: (id) =>
      copy([...data.incidents.values()].filter((i) => i.integrationId === id && (i.enrichment.state === 'pending' || i.containment === 'auto_pending'))),
    appendTimeline(number, entries) {
      const timeline = data.timelines.get(number) ?? [];
      const added = entries.map((e, i) => ({ ...copy(e), seq: timeline.length + i + 1 }));
      data.timelines.set(number, [...timeline, ...added]);
      return copy(added);
    },
    timeline: (number) => copy(data.timelines.get(number) ?? []),

    upsertHostCi(ci) {
      const previous = data.hosts.get(ci.deviceId);
      const next = { ...copy(ci), firstSeenAt: previous?.firstSeenAt ?? ci.firstSeenAt };
      data.hosts.set(ci.deviceId, next);
      return copy(next);
    },
    hostCi: (deviceId) => copy(data.hosts.get(deviceId) ?? null),

    attachIoc(number, ioc) {
      const list = data.incidentIocs.get(number) ?? [];
      if (list.some((i) => i.type === ioc.type && i.value === ioc.value)) return false;
      data.incidentIocs.set(number, [...list, copy(ioc)]);
      return true;
    },
    incidentIocs: (number) => copy(data.incidentIocs.get(number) ?? []),
    markIncidentIocPushed(number, type, value, pushedId) {
      for (const ioc of data.incidentIocs.get(number) ?? []) if (ioc.type === type && ioc.value === value) ioc.pushedId = pushedId;
    },
    savePushedIoc: (ioc) => void data.pushed.set(ioc.id, copy(ioc)),
    pushedIoc: (id) => copy(data.pushed.get(id) ?? null),
    pushedIocs: (query) =>
      copy(
        [...data.pushed.values()]
          .filter(
            (i) =>
              (!query.integrationId || i.integrationId === query.integrationId) &&
              (!query.sourceIncident || i.sourceIncident === query.sourceIncident) &&
              (query.includeDeleted || i.deletedAt === null),
          )
          .sort((a, b) => (a.pushedAt < b.pushedAt ? 1 : a.pushedAt > b.pushedAt ? -1 : 0)),
      ),

    setting: (key) => copy(data.settings.get(key)),
    saveSetting: (key, value) => void data.settings.set(key, copy(value)),
  };
}

export interface MemoryRepository extends IncidentRepository {
  /** Operations run so far (to let a test stop a poll between two of them). */
  readonly operationCount: () => number;
}

/** A fresh in-memory database. Pass the same one to two services to play a restart. */
export function createMemoryRepository(options: { beforeOperation?: (name: string) => void } = {}): MemoryRepository {
  let data = emptyData();
  let count = 0;
  const repository = repositoryOf(async (name, input) => {
    options.beforeOperation?.(name);
    count++;
    // Like a rolled-back transaction: a throwing operation leaves no trace.
    const snapshot = copy(data);
    try {
      return copy(runOperation(memoryTx(data), name, copy(input)));
    } catch (error) {
      data = snapshot;
      throw error;
    }
  });
  return Object.assign(repository, { operationCount: () => count });
}
