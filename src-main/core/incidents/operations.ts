// Every read and write of the incident engine as one named operation over an IncidentTx. Each runs as a
// single transaction in whichever backend holds the data, so the logic exists once for all of them.
import { ContractError } from '../../../src-shared/errors';
import type {
  AlertLogQuery,
  AlertOutcome,
  AlertSummary,
  HostCi,
  Incident,
  IncidentDetail,
  IncidentIoc,
  IncidentQuery,
  IncidentState,
  IocType,
  PollBatch,
  PushedIoc,
  PushedIocQuery,
} from '../../../src-shared/schemas/incidents';
import type { RuleOutcome } from '../../../src-shared/schemas/rules';
import { laterTimestamp } from './alert-time';
import { incidentNotFound, iocNotFound, linkAlert, newIncident, transition, type MatchedRule } from './incident-lifecycle';
import type { AlertWindow, IncidentTx, PollState, TimelineInput } from '../store/incident-tx';

/** An alert with the rule set's decision, ready to commit. */
export interface RoutedAlert {
  raw: Record<string, unknown>;
  summary: AlertSummary;
  createdKey: string;
  outcome: AlertOutcome;
  rule: { index: number; id: string; name: string; outcome: RuleOutcome } | null;
}

export interface PollCommit {
  integrationId: string;
  at: string;
  hostEnrichment: boolean;
  alerts: readonly RoutedAlert[];
  /** Newest created_timestamp in this batch; the stored cursor only moves forward. */
  cursor: string | null;
  /** De-duplication entries older than this canonical timestamp are pruned. */
  horizonKey: string | null;
}

export interface PollCommitResult {
  created: Incident[];
  updated: Incident[];
  batch: PollBatch;
  state: PollState;
}

export interface IncidentChange {
  number: string;
  patch?: Partial<Pick<Incident, 'enrichment' | 'containment' | 'hostname'>>;
  timeline: readonly TimelineInput[];
}

function requireIncident(tx: IncidentTx, number: string): Incident {
  const found = tx.incident(number);
  if (!found) throw incidentNotFound(number);
  return found;
}

/** A poll's outcomes, the de-duplication set and the cursor, all or nothing. */
function commitPoll(tx: IncidentTx, commit: PollCommit): PollCommitResult {
  const { integrationId, at } = commit;
  const previous = tx.pollState(integrationId);
  const created = new Map<string, Incident>();
  const updated = new Map<string, Incident>();
  const batch: PollBatch = {
    fetched: commit.alerts.length,
    fresh: 0,
    duplicates: 0,
    incidentsCreated: 0,
    alertsLinked: 0,
    logged: 0,
    unmatched: 0,
    setAside: 0,
  };

  for (const routed of commit.alerts) {
    const { summary } = routed;
    if (tx.knownAlert(integrationId, summary.compositeId) !== null) {
      batch.duplicates++;
      continue;
    }
    tx.rememberAlert(integrationId, summary.compositeId, routed.createdKey);
    batch.fresh++;
    let incidentNumber: string | null = null;
    if (routed.outcome === 'create_incident' && routed.rule?.outcome.action === 'create_incident') {
      const rule: MatchedRule = { ...routed.rule, outcome: routed.rule.outcome };
      const open = summary.aggregateId ? tx.openIncidentForAggregate(integrationId, summary.aggregateId) : null;
      if (open) {
        const linked = linkAlert(open, summary, rule, at);
        tx.saveIncident(linked.incident);
        tx.appendTimeline(open.number, linked.timeline);
        (created.has(open.number) ? created : updated).set(open.number, linked.incident);
        batch.alertsLinked++;
        incidentNumber = open.number;
      } else {
        const made = newIncident({ sequence: tx.nextIncidentSequence(), integrationId, alert: summary, rule, hostEnrichment: commit.hostEnrichment, at });
        tx.insertIncident(made.incident);
        tx.appendTimeline(made.incident.number, made.timeline);
        for (const ioc of alertIocs(summary, at)) tx.attachIoc(made.incident.number, ioc);
        created.set(made.incident.number, made.incident);
        batch.incidentsCreated++;
        incidentNumber = made.incident.number;
      }
    } else if (routed.outcome === 'log_only') batch.logged++;
    else batch.unmatched++;
    tx.insertAlert({
      integrationId,
      compositeId: summary.compositeId,
      createdKey: routed.createdKey,
      receivedAt: at,
      summary,
      outcome: routed.outcome,
      ruleIndex: routed.rule?.index ?? null,
      ruleId: routed.rule?.id ?? null,
      incidentNumber,
      raw: routed.raw,
    });
  }
  if (commit.horizonKey) tx.forgetAlertsBefore(integrationId, commit.horizonKey);
  const state: PollState = {
    integrationId,
    cursor: laterTimestamp(previous?.cursor ?? null, commit.cursor),
    alertsSeen: (previous?.alertsSeen ?? 0) + batch.fresh,
    incidentsCreated: (previous?.incidentsCreated ?? 0) + batch.incidentsCreated,
    lastPollAt: at,
    lastSuccessAt: at,
  };
  tx.savePollState(state);
  return { created: [...created.values()], updated: [...updated.values()], batch, state };
}

/** The file hashes of an alert become the incident's IOCs, to push back to Falcon when it is resolved. */
function alertIocs(alert: AlertSummary, at: string): IncidentIoc[] {
  const iocs: IncidentIoc[] = [];
  for (const [type, length] of [
    ['sha256', 64],
    ['md5', 32],
  ] as const) {
    const value = alert[type];
    if (value && value.length === length && /^[0-9a-f]+$/i.test(value))
      iocs.push({ type, value: value.toLowerCase(), origin: 'alert', input: null, addedBy: 'system', addedAt: at, pushedId: null });
  }
  return iocs;
}

/** Which of these ids were seen before, with their canonical created timestamps (so only new alerts are fetched). */
function knownAlerts(tx: IncidentTx, input: { integrationId: string; compositeIds: readonly string[] }): Record<string, string> {
  const known: Record<string, string> = {};
  for (const id of input.compositeIds) {
    const key = tx.knownAlert(input.integrationId, id);
    if (key !== null) known[id] = key;
  }
  return known;
}

/** Records a failed poll without touching the cursor. */
function recordPollAttempt(tx: IncidentTx, input: { integrationId: string; at: string }): PollState {
  const state: PollState = tx.pollState(input.integrationId) ?? {
    integrationId: input.integrationId,
    cursor: null,
    alertsSeen: 0,
    incidentsCreated: 0,
    lastPollAt: null,
    lastSuccessAt: null,
  };
  const next = { ...state, lastPollAt: input.at };
  tx.savePollState(next);
  return next;
}

function incidentDetail(tx: IncidentTx, number: string): IncidentDetail {
  const incident = requireIncident(tx, number);
  const stored = new Map(tx.alertsByIds(incident.integrationId, incident.alertIds).map((a) => [a.compositeId, a.summary]));
  return {
    ...incident,
    alerts: incident.alertIds.flatMap((id) => stored.get(id) ?? []),
    host: incident.hostDeviceId ? tx.hostCi(incident.hostDeviceId) : null,
    iocs: tx.incidentIocs(number),
    timeline: tx.timeline(number),
  };
}

function changeState(tx: IncidentTx, input: { number: string; to: IncidentState; actor: string; reason?: string | undefined; at: string }): Incident {
  const moved = transition(requireIncident(tx, input.number), input, input.at);
  tx.saveIncident(moved.incident);
  tx.appendTimeline(input.number, moved.timeline);
  return moved.incident;
}

/** Patches and timeline entries for several incidents, with the host CIs they link to, at once. */
function amendIncidents(tx: IncidentTx, input: { at: string; hosts?: readonly HostCi[]; changes: readonly IncidentChange[] }): Incident[] {
  for (const host of input.hosts ?? []) tx.upsertHostCi(host);
  return input.changes.map((change) => {
    const current = requireIncident(tx, change.number);
    const next = change.patch ? { ...current, ...change.patch, updatedAt: input.at } : { ...current, updatedAt: input.at };
    tx.saveIncident(next);
    tx.appendTimeline(change.number, change.timeline);
    return next;
  });
}

function attachIoc(tx: IncidentTx, input: { ioc: IncidentIoc; change: IncidentChange; at: string }): { attached: boolean; incident: Incident } {
  requireIncident(tx, input.change.number);
  const attached = tx.attachIoc(input.change.number, input.ioc);
  const [incident] = amendIncidents(tx, { at: input.at, changes: [attached ? input.change : { number: input.change.number, timeline: [] }] });
  if (!incident) throw incidentNotFound(input.change.number);
  return { attached, incident };
}

/** A pushed (or found-duplicate) IOC: the local record, the incident's IOC marked, its timeline. */
function recordIocPush(
  tx: IncidentTx,
  input: { at: string; pushed: PushedIoc | null; incidentIoc?: { number: string; type: IocType; value: string; pushedId: string }; change?: IncidentChange },
): Incident | null {
  if (input.pushed) tx.savePushedIoc(input.pushed);
  if (input.incidentIoc) tx.markIncidentIocPushed(input.incidentIoc.number, input.incidentIoc.type, input.incidentIoc.value, input.incidentIoc.pushedId);
  if (!input.change) return null;
  return amendIncidents(tx, { at: input.at, changes: [input.change] })[0] ?? null;
}

function recordIocDeletion(tx: IncidentTx, input: { id: string; actor: string; at: string }): { ioc: PushedIoc; incident: Incident | null } {
  const ioc = tx.pushedIoc(input.id);
  if (!ioc) throw iocNotFound(input.id);
  const deleted: PushedIoc = { ...ioc, deletedBy: input.actor, deletedAt: input.at };
  tx.savePushedIoc(deleted);
  const number = ioc.sourceIncident;
  if (!number || !tx.incident(number)) return { ioc: deleted, incident: null };
  const [incident] = amendIncidents(tx, {
    at: input.at,
    changes: [
      {
        number,
        timeline: [
          {
            at: input.at,
            kind: 'ioc_pushed',
            actor: input.actor,
            message: `IOC ${ioc.type} ${ioc.value} deleted from Falcon.`,
            data: { iocId: ioc.id, deleted: true },
          },
        ],
      },
    ],
  });
  return { ioc: deleted, incident: incident ?? null };
}

/** The operations a repository exposes; each is one transaction. */
export const incidentOperations = {
  commitPoll,
  knownAlerts,
  recordPollAttempt,
  pollState: (tx: IncidentTx, integrationId: string) => tx.pollState(integrationId),
  incident: (tx: IncidentTx, number: string) => requireIncident(tx, number),
  incidentDetail,
  listIncidents: (tx: IncidentTx, query: IncidentQuery) => tx.incidents(query),
  awaitingFollowUp: (tx: IncidentTx, integrationId: string) => tx.incidentsAwaitingFollowUp(integrationId),
  changeState,
  amendIncidents,
  attachIoc,
  incidentIocs: (tx: IncidentTx, number: string) => (requireIncident(tx, number), tx.incidentIocs(number)),
  recordIocPush,
  recordIocDeletion,
  pushedIoc: (tx: IncidentTx, id: string) => tx.pushedIoc(id),
  pushedIocs: (tx: IncidentTx, query: PushedIocQuery) => tx.pushedIocs(query),
  alertLog: (tx: IncidentTx, query: AlertLogQuery) => tx.alertLog(query),
  alertsInWindow: (tx: IncidentTx, window: AlertWindow) => tx.alertsInWindow(window),
  hostCi: (tx: IncidentTx, deviceId: string) => tx.hostCi(deviceId),
  setting: (tx: IncidentTx, key: string) => tx.setting(key),
  saveSetting: (tx: IncidentTx, input: { key: string; value: unknown }) => tx.saveSetting(input.key, input.value),
};

export type IncidentOperations = typeof incidentOperations;
export type OperationName = keyof IncidentOperations;
type OperationInput<K extends OperationName> = Parameters<IncidentOperations[K]>[1];
type OperationOutput<K extends OperationName> = ReturnType<IncidentOperations[K]>;

/** The engine's view of its data: each operation is one transaction, wherever it runs. */
export type IncidentRepository = { [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>> };

/** Runs a named operation in a transaction of the backend (in process, or in the store's worker). */
export type OperationRunner = (name: OperationName, input: unknown) => Promise<unknown>;

export function repositoryOf(run: OperationRunner): IncidentRepository {
  const repository = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of Object.keys(incidentOperations) as OperationName[]) repository[name] = (input) => run(name, input);
  return repository as IncidentRepository;
}

/** Runs an operation on a synchronous transaction; the backend wraps this in BEGIN/COMMIT. */
export function runOperation(tx: IncidentTx, name: string, input: unknown): unknown {
  const operation = Object.hasOwn(incidentOperations, name)
    ? (incidentOperations[name as OperationName] as (tx: IncidentTx, input: unknown) => unknown)
    : undefined;
  if (typeof operation !== 'function') throw new ContractError({ code: 'incidents.unknown_operation', message: `Unknown incident operation ${String(name)}.` });
  return operation(tx, input);
}
