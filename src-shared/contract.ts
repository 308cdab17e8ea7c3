// The one contract between the renderer and the main process. Both transports (Electron IPC and the
// loopback web host) bind exactly this table; no channel exists outside it.
import { z } from 'zod';
import type { ErrorBody } from './errors';
import { AppInfo, UiSettings, UiSettingsPatch } from './schemas/app';
import type { CallContext } from './schemas/audit';
import { AuditEntry, AuditFilter, AuditPage, AuditQuery, AuditVerifyResult } from './schemas/audit';
import {
  AlertLogPage,
  AlertLogQuery,
  BackTestRequest,
  BackTestResult,
  ContainmentRequest,
  ContainmentSettings,
  ContainmentSettingsInput,
  DryRunRequest,
  DryRunResult,
  EnrichmentMapping,
  Incident,
  IncidentCsvRequest,
  IncidentDetail,
  IncidentIocRequest,
  IncidentNote,
  IncidentPage,
  IncidentQuery,
  IncidentRef,
  IntegrationRef,
  IocDeleteRequest,
  IocPushRequest,
  IocPushResult,
  PollBatch,
  PollerStatus,
  PushedIoc,
  PushedIocQuery,
  RunId,
  StateChange,
} from './schemas/incidents';
import { CoverageExportRequest, CoveragePage, CoverageQuery, CoverageSummary } from './schemas/coverage';
import { DashboardSummary, DeviceDetail, DevicePage, DeviceQuery } from './schemas/inventory';
import { PollStatus, PollTally, PostureCheck, PostureCheckInput, WhatIfRequest, WhatIfResult } from './schemas/posture';
import { ExportProgress, ExportRequest, LogAppended, LogFilter, LogPage, LogQuery } from './schemas/posture-log';
import { ConditionCompletion, MAX_CONDITION_LENGTH, RuleDiagnostic, RuleFieldInfo, RuleImportResult, RuleIssue, RuleSet } from './schemas/rules';
import { ConfigImportResult, Preferences, PreferencesPatch } from './schemas/preferences';
import { ProviderId, ProviderInput, ProviderView, TestProgress, TestReport } from './schemas/providers';
import { DeadLetter, SinkInput, SinkStatus, SinkTestProgress, SinkTestReport, SinkView } from './schemas/sinks';
import { RiskBehaviors, UserDetail, UserFilter, UserPage, UserQuery, UserRef, UserReset, UsersChanged } from './schemas/users';

const Empty = z.object({}).strict();
const SinkRef = z.object({ id: z.string().min(1) }).strict();
const DeadLetterSelection = SinkRef.extend({ eventIds: z.array(z.string().min(1)).max(5000).optional() }).strict();

export const contract = {
  'app.info': { req: Empty, res: AppInfo },
  'settings.get': { req: Empty, res: UiSettings },
  'settings.update': { req: UiSettingsPatch, res: UiSettings },
  'preferences.get': { req: Empty, res: Preferences },
  'preferences.update': { req: PreferencesPatch, res: Preferences },
  /** The configuration without secrets, as JSON text to save. */
  'config.export': { req: Empty, res: z.object({ text: z.string() }) },
  /** Validates a whole configuration file, then merges it; secrets must be re-entered. */
  'config.import': { req: z.object({ text: z.string().max(5_000_000, 'The configuration file is larger than 5 MB.') }).strict(), res: ConfigImportResult },
  'providers.list': { req: Empty, res: z.array(ProviderView) },
  'providers.save': { req: ProviderInput, res: ProviderView },
  'providers.remove': { req: ProviderId, res: z.object({ removed: z.boolean() }) },
  /** Runs the layered diagnosis; each step is also pushed as `providers.testProgress`. */
  'providers.test': { req: ProviderId, res: TestReport },

  'checks.list': { req: z.object({ providerId: z.string().optional() }).strict(), res: z.array(PostureCheck) },
  'checks.save': { req: PostureCheckInput, res: PostureCheck },
  'checks.remove': { req: z.object({ id: z.string().min(1) }).strict(), res: z.object({ removed: z.boolean() }) },
  /** Runs a draft check against the current inventory without saving it. */
  'checks.whatIf': { req: WhatIfRequest, res: WhatIfResult },

  'devices.list': { req: DeviceQuery, res: DevicePage },
  'devices.get': { req: z.object({ key: z.string().min(1) }).strict(), res: DeviceDetail },

  'posture.status': { req: Empty, res: z.array(PollStatus) },
  /** `tally`: what a successful poll did (devices, checks, evaluations, changes, records set aside). */
  'posture.pollNow': {
    req: z.object({ providerId: z.string().min(1) }).strict(),
    res: z.object({ outcome: z.enum(['succeeded', 'failed', 'cancelled']), error: z.string().optional(), tally: PollTally.optional() }),
  },
  'posture.cancel': { req: z.object({ providerId: z.string().min(1) }).strict(), res: z.object({ cancelled: z.boolean() }) },
  'posture.pause': { req: z.object({ providerId: z.string().min(1).optional() }).strict(), res: z.array(PollStatus) },
  'posture.resume': { req: z.object({ providerId: z.string().min(1).optional() }).strict(), res: z.array(PollStatus) },

  'postureLog.query': { req: LogQuery, res: LogPage },
  'postureLog.count': { req: LogFilter, res: z.object({ count: z.number().int().nonnegative() }) },
  /** Starts a CSV export of exactly this filter; progress arrives as `export.progress`. `file: null` = dialog cancelled. */
  'postureLog.export': { req: ExportRequest, res: z.object({ exportId: z.string(), file: z.string().nullable() }) },
  'postureLog.cancelExport': { req: z.object({ exportId: z.string().min(1) }).strict(), res: z.object({ cancelled: z.boolean() }) },

  'dashboard.summary': { req: Empty, res: DashboardSummary },

  /** Per ordered pair of posture sources: devices present in one and missing from the other, by reason. */
  'coverage.summary': { req: Empty, res: CoverageSummary },
  'coverage.query': { req: CoverageQuery, res: CoveragePage },
  /** CSV of exactly the filtered devices; progress arrives as `export.progress`, cancel with `postureLog.cancelExport`. */
  'coverage.export': { req: CoverageExportRequest, res: z.object({ exportId: z.string(), file: z.string().nullable() }) },

  'rules.get': { req: Empty, res: RuleSet },
  /** Saves the ordered rule set; errors come back as field issues, warnings with the saved set. */
  'rules.save': { req: RuleSet, res: z.object({ ruleSet: RuleSet, warnings: z.array(RuleIssue) }) },
  'rules.check': { req: z.object({ condition: z.string().max(MAX_CONDITION_LENGTH * 2) }).strict(), res: z.object({ diagnostics: z.array(RuleDiagnostic) }) },
  'rules.complete': {
    req: z.object({ condition: z.string().max(MAX_CONDITION_LENGTH * 2), offset: z.number().int().min(0) }).strict(),
    res: ConditionCompletion,
  },
  'rules.fields': { req: Empty, res: z.array(RuleFieldInfo) },
  /** Accepts the StackFlow `detection_rules` JSON as pasted (or a bare list); validates, saves nothing. */
  'rules.import': { req: z.object({ text: z.string().max(2_000_000, 'The JSON is larger than 2 MB.') }).strict(), res: RuleImportResult },
  'rules.export': { req: z.object({ ruleSet: RuleSet }).strict(), res: z.object({ text: z.string() }) },
  /** Pull Recent Detections: which rule each recent alert would match, and why. Creates nothing. */
  'rules.dryRun': { req: DryRunRequest, res: DryRunResult },
  'rules.backTest': { req: BackTestRequest, res: BackTestResult },
  /** Stops a dry run or back-test by the run id its request carried; false when it already ended. */
  'rules.cancel': { req: z.object({ runId: RunId }).strict(), res: z.object({ cancelled: z.boolean() }) },

  'incidents.list': { req: IncidentQuery, res: IncidentPage },
  'incidents.get': { req: IncidentRef, res: IncidentDetail },
  'incidents.changeState': { req: StateChange, res: Incident },
  'incidents.addNote': { req: IncidentNote, res: Incident },
  'incidents.containment': { req: ContainmentRequest, res: Incident },
  'incidents.retryEnrichment': { req: IncidentRef, res: Incident },
  'incidents.attachIoc': { req: IncidentIocRequest, res: Incident },
  'incidents.exportCsv': { req: IncidentCsvRequest, res: z.object({ csv: z.string() }) },
  'incidents.alertLog': { req: AlertLogQuery, res: AlertLogPage },
  'incidents.pollerStatus': { req: Empty, res: z.array(PollerStatus) },
  'incidents.pollNow': { req: IntegrationRef, res: PollBatch },
  /** Stops the integration's poll in flight (its schedule goes on); false when none was running. */
  'incidents.cancelPoll': { req: IntegrationRef, res: z.object({ cancelled: z.boolean() }) },
  'incidents.enrichment.get': { req: Empty, res: EnrichmentMapping },
  'incidents.enrichment.set': { req: z.object({ mapping: EnrichmentMapping }).strict(), res: EnrichmentMapping },
  'incidents.containmentSettings.get': { req: Empty, res: ContainmentSettings },
  'incidents.containmentSettings.set': { req: ContainmentSettingsInput, res: ContainmentSettings },

  'iocs.list': { req: PushedIocQuery, res: z.array(PushedIoc) },
  'iocs.push': { req: IocPushRequest, res: IocPushResult },
  'iocs.delete': { req: IocDeleteRequest, res: PushedIoc },

  /** Users by risk level from EDR signals on their devices; `counts` ignore the level filter. */
  'users.list': { req: UserQuery, res: UserPage },
  'users.get': { req: UserRef, res: UserDetail },
  /** Events that began before the reset stop counting; recorded with who and why in the user's timeline. */
  'users.reset': { req: UserReset, res: UserDetail },
  'users.behaviors.get': { req: Empty, res: RiskBehaviors },
  'users.behaviors.set': { req: z.object({ behaviors: RiskBehaviors }).strict(), res: RiskBehaviors },
  /** The filtered list (paging ignored) as CSV text, formula-injection safe. */
  'users.exportCsv': { req: UserFilter, res: z.object({ csv: z.string() }) },

  /** Forwarding sinks: tokens are write-only (status only in `token`). */
  'sinks.list': { req: Empty, res: z.array(SinkView) },
  'sinks.save': { req: SinkInput, res: SinkView },
  'sinks.remove': { req: SinkRef, res: z.object({ removed: z.boolean() }) },
  /** The layered Test of a saved sink; each step is also pushed as `sinks.testProgress`. */
  'sinks.test': { req: SinkRef, res: SinkTestReport },
  'sinks.status': { req: SinkRef, res: SinkStatus },
  'sinks.deadLetters': { req: SinkRef.extend({ limit: z.number().int().min(1).max(5000).default(500) }).strict(), res: z.array(DeadLetter) },
  /** Puts dead letters back in the queue: all of the sink's, or the listed event ids. */
  'sinks.retryDeadLetters': { req: DeadLetterSelection, res: z.object({ count: z.number().int() }) },
  'sinks.discardDeadLetters': { req: DeadLetterSelection, res: z.object({ count: z.number().int() }) },
  /** The audit trail, newest first, filtered; entries are appended by the core, never through a channel. */
  'audit.query': { req: AuditQuery, res: AuditPage },
  /** Checks the hash chain; names the first broken entry. */
  'audit.verify': { req: Empty, res: AuditVerifyResult },
  /** The filtered trail as CSV text, formula-injection safe. */
  'audit.export': { req: AuditFilter, res: z.object({ csv: z.string() }) },
} as const;

/** Push events from the main process; payloads validated at the sender. */
export const events = {
  'settings.changed': UiSettings,
  'providers.changed': Empty,
  'providers.testProgress': TestProgress,
  'checks.changed': Empty,
  'poll.status': PollStatus,
  'postureLog.appended': LogAppended,
  'export.progress': ExportProgress,
  'rules.changed': Empty,
  'incident.created': Incident,
  'incident.updated': Incident,
  'poller.status': PollerStatus,
  'users.changed': UsersChanged,
  'sinks.changed': Empty,
  'sinks.testProgress': SinkTestProgress,
  /** An admin action was appended to the audit trail (by this process). */
  'audit.appended': AuditEntry,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Req<C extends Channel> = z.input<Contract[C]['req']>;
export type ParsedReq<C extends Channel> = z.output<Contract[C]['req']>;
export type Res<C extends Channel> = z.output<Contract[C]['res']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/**
 * What the core implements: one async function per channel, receiving already-parsed input and, from the
 * transport, who is calling (the surface and session the audit trail records).
 */
export type Handlers = { [C in Channel]: (req: ParsedReq<C>, context?: CallContext) => Promise<Res<C>> };

/** What the renderer calls through either bridge. */
export interface Bridge {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** The IPC channel that carries push events to the renderer. */
export const EVENT_CHANNEL = 'posture-console:event';

/** The wire envelope both transports use, so domain errors keep their code and fix. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };
