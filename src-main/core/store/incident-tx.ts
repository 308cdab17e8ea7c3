// What the incident engine keeps: `IncidentTx`, the synchronous primitives a backend implements inside one
// transaction (in memory for tests, SQLite in the store's worker). The engine's operations over it
// (`incidents/operations.ts`) are handed to the store, so the store depends on nothing above it.
import type {
  AlertLogPage,
  AlertLogQuery,
  AlertOutcome,
  AlertSummary,
  HostCi,
  Incident,
  IncidentIoc,
  IncidentPage,
  IncidentQuery,
  IocType,
  PushedIoc,
  PushedIocQuery,
  TimelineEntry,
} from '../../../src-shared/schemas/incidents';

/** Where one integration's poller stands; written in the same transaction as the alerts it covers. */
export interface PollState {
  integrationId: string;
  /** Newest created_timestamp committed, as Falcon sent it. */
  cursor: string | null;
  alertsSeen: number;
  incidentsCreated: number;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
}

/** An alert as kept in the alert log: the decision, and the full record for back-tests. */
export interface StoredAlert {
  integrationId: string;
  compositeId: string;
  /** created_timestamp in canonical form (UTC, nine fraction digits): sorts as text. */
  createdKey: string;
  receivedAt: string;
  summary: AlertSummary;
  outcome: AlertOutcome;
  ruleIndex: number | null;
  ruleId: string | null;
  incidentNumber: string | null;
  raw: Record<string, unknown>;
}

export type TimelineInput = Omit<TimelineEntry, 'seq'>;

export interface AlertWindow {
  fromKey: string;
  toKey: string;
  integrationId?: string | undefined;
  /** Keyset: continue after this `${createdKey}\n${compositeId}`. */
  after: string | null;
  limit: number;
}

export interface IncidentTx {
  pollState(integrationId: string): PollState | null;
  savePollState(state: PollState): void;

  /** The canonical created timestamp of an alert in the de-duplication set or the alert log, else null. */
  knownAlert(integrationId: string, compositeId: string): string | null;
  rememberAlert(integrationId: string, compositeId: string, createdKey: string): void;
  /** Prunes the de-duplication set below the overlap horizon; the alert log keeps its rows. */
  forgetAlertsBefore(integrationId: string, createdKey: string): number;
  insertAlert(alert: StoredAlert): void;
  alertLog(query: AlertLogQuery): AlertLogPage;
  alertsByIds(integrationId: string, compositeIds: readonly string[]): StoredAlert[];
  /** Stored alerts with fromKey <= createdKey < toKey, oldest first, in keyset pages. */
  alertsInWindow(window: AlertWindow): StoredAlert[];

  /** The next incident sequence: one more than any committed before, so a number is never reused. */
  nextIncidentSequence(): number;
  insertIncident(incident: Incident): void;
  saveIncident(incident: Incident): void;
  incident(number: string): Incident | null;
  /** An incident not yet resolved or closed that already holds alerts of this Falcon aggregate. */
  openIncidentForAggregate(integrationId: string, aggregateId: string): Incident | null;
  incidents(query: IncidentQuery): IncidentPage;
  /** Incidents whose enrichment or automatic containment has not run yet (e.g. after a crash). */
  incidentsAwaitingFollowUp(integrationId: string): Incident[];
  appendTimeline(number: string, entries: readonly TimelineInput[]): TimelineEntry[];
  timeline(number: string): TimelineEntry[];

  upsertHostCi(ci: HostCi): HostCi;
  hostCi(deviceId: string): HostCi | null;

  /** False when the incident already holds this IOC. */
  attachIoc(number: string, ioc: IncidentIoc): boolean;
  incidentIocs(number: string): IncidentIoc[];
  markIncidentIocPushed(number: string, type: IocType, value: string, pushedId: string): void;
  savePushedIoc(ioc: PushedIoc): void;
  pushedIoc(id: string): PushedIoc | null;
  pushedIocs(query: PushedIocQuery): PushedIoc[];

  setting(key: string): unknown;
  saveSetting(key: string, value: unknown): void;
}

/** The incident engine's operations, run by the store inside one write transaction each (`runOperation`). */
export type IncidentEngine = (tx: IncidentTx, operation: string, input: unknown) => unknown;
