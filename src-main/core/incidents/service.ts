// The detection-to-incident engine as the composition root sees it: incidents, IOCs, containment,
// enrichment settings, one alerts poller per Falcon integration, dry-run, back-test and CSV export.
import { ContractError } from '../../../src-shared/errors';
import {
  AlertLogQuery,
  ContainmentRequest,
  ContainmentSettingsInput,
  IncidentCsvRequest,
  IncidentNote,
  IocDeleteRequest,
  IncidentQuery,
  PushedIocQuery,
  StateChange,
  type AlertLogPage,
  type BackTestRequest,
  type BackTestResult,
  type ContainmentSettings,
  type DryRunRequest,
  type DryRunResult,
  type EnrichmentMapping,
  type Incident,
  type IncidentDetail,
  type IncidentIocRequest,
  type IncidentPage,
  type IocPushRequest,
  type IocPushResult,
  type PollBatch,
  type PollerStatus,
  type PushedIoc,
} from '../../../src-shared/schemas/incidents';
import type { RuleSet } from '../../../src-shared/schemas/rules';
import type { z } from 'zod';
import type { FalconClient } from '../providers/crowdstrike/client';
import { backTest } from './back-test';
import { savedRules } from './compiled-rules';
import { autoContain, getContainmentSettings, requestContainment, setContainmentSettings } from './containment';
import { dryRun } from './dry-run';
import { enrichIncidents, getEnrichmentMapping, setEnrichmentMapping } from './enrichment';
import { exportIncidentsCsv } from './incident-csv';
import { iocNotFound } from './incident-lifecycle';
import { attachIncidentIoc, deleteIoc, parseIocInput, pushIncidentIocs, pushIoc } from './iocs';
import type { IncidentRepository } from './operations';
import { AlertPoller, type FalconIncidentsConfig, type PollerOptions } from './poller';
import { parseInput } from './problems';
import type { CompiledRuleSet } from './rules';

/** The Falcon operations the engine uses. */
export type IncidentFalconClient = Pick<FalconClient, 'alerts' | 'hosts' | 'iocs' | 'containment'>;

export interface IncidentEvents {
  'incident.created': Incident;
  'incident.updated': Incident;
  'poller.status': PollerStatus;
}
export type IncidentEmit = <E extends keyof IncidentEvents>(event: E, payload: IncidentEvents[E]) => void;

export interface IncidentServiceDeps {
  repository: IncidentRepository;
  /** The configured `crowdstrike-falcon-incidents` connections (read again by `syncIntegrations`). */
  integrations: () => FalconIncidentsConfig[];
  /** A Falcon client for a connection; called again only when the connection's settings change. */
  clientFor: (integration: FalconIncidentsConfig) => IncidentFalconClient;
  /** The saved detection-rule set. */
  ruleSet: () => RuleSet | Promise<RuleSet>;
  emit: IncidentEmit;
  now?: () => Date;
  poller?: Partial<Pick<PollerOptions, 'overlapMs' | 'pageSize' | 'initialLookbackMs' | 'maxPages'>>;
}

type Input<T extends z.ZodType> = z.input<T>;

export class IncidentService {
  readonly #d: IncidentServiceDeps;
  readonly #now: () => Date;
  readonly #rules: () => Promise<CompiledRuleSet>;
  readonly #configs = new Map<string, FalconIncidentsConfig>();
  readonly #clients = new Map<string, { key: string; client: IncidentFalconClient }>();
  readonly #pollers = new Map<string, AlertPoller>();
  #running = false;

  constructor(deps: IncidentServiceDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#rules = savedRules(deps.ruleSet);
    this.syncIntegrations();
  }

  // ---- incidents ------------------------------------------------------------------------------

  async listIncidents(query: Input<typeof IncidentQuery> = {}): Promise<IncidentPage> {
    return this.#d.repository.listIncidents(parseInput(IncidentQuery, query, 'incident query'));
  }

  async getIncident(number: string): Promise<IncidentDetail> {
    return this.#d.repository.incidentDetail(number);
  }

  /** Moves an incident along New → In Progress → Resolved → Closed; resolving may push its IOCs. */
  async changeState(input: Input<typeof StateChange>): Promise<Incident> {
    const change = parseInput(StateChange, input, 'state change');
    let incident = await this.#d.repository.changeState({ ...change, at: this.#now().toISOString() });
    this.#d.emit('incident.updated', incident);
    const config = this.#configs.get(incident.integrationId);
    if (change.to === 'resolved' && config?.iocPushOnResolve) {
      await pushIncidentIocs(this.#iocDeps(config), incident, change.actor);
      incident = await this.#d.repository.incident(incident.number);
      this.#d.emit('incident.updated', incident);
    }
    return incident;
  }

  async addNote(input: Input<typeof IncidentNote>): Promise<Incident> {
    const note = parseInput(IncidentNote, input, 'note');
    const at = this.#now().toISOString();
    const [incident] = await this.#d.repository.amendIncidents({
      at,
      changes: [{ number: note.number, timeline: [{ at, kind: 'note', actor: note.actor, message: note.text }] }],
    });
    return this.#updated(incident);
  }

  /** Manual contain or lift (the UI has confirmed); not gated by the automatic-containment switch. */
  async containment(input: Input<typeof ContainmentRequest>): Promise<Incident> {
    const request = parseInput(ContainmentRequest, input, 'containment request');
    const incident = await this.#d.repository.incident(request.number);
    const client = this.#client(this.#config(incident.integrationId));
    return this.#updated(await requestContainment({ repository: this.#d.repository, containment: client.containment, now: this.#now }, incident, request));
  }

  /** Runs host enrichment again (after the Hosts scope was granted, say). */
  async retryEnrichment(number: string): Promise<Incident> {
    const incident = await this.#d.repository.incident(number);
    const pending: Incident = { ...incident, enrichment: { ...incident.enrichment, state: 'pending' } };
    const client = this.#client(this.#config(incident.integrationId));
    const [updated] = await enrichIncidents({ repository: this.#d.repository, hosts: client.hosts, now: this.#now }, [pending]);
    if (!updated)
      throw new ContractError({ code: 'incident.no_host', message: `${number} has no host to enrich: its alert names no device.`, fix: 'Nothing to retry.' });
    return this.#updated(updated);
  }

  async alertLog(query: Input<typeof AlertLogQuery> = {}): Promise<AlertLogPage> {
    return this.#d.repository.alertLog(parseInput(AlertLogQuery, query, 'alert log query'));
  }

  async exportCsv(filter: IncidentCsvRequest = {}, signal?: AbortSignal): Promise<string> {
    return exportIncidentsCsv(this.#d.repository, parseInput(IncidentCsvRequest, filter, 'incident filter'), signal);
  }

  // ---- IOCs -----------------------------------------------------------------------------------

  async listPushedIocs(query: Input<typeof PushedIocQuery> = {}): Promise<PushedIoc[]> {
    return this.#d.repository.pushedIocs(parseInput(PushedIocQuery, query, 'IOC query'));
  }

  /** Validates the push form, checks Falcon for a live duplicate, creates, records. */
  async pushIoc(request: IocPushRequest | { integrationId: string; input: unknown; actor: string }): Promise<IocPushResult> {
    const config = this.#config(request.integrationId);
    const result = await pushIoc(this.#iocDeps(config), request);
    await this.#emitSourceIncident(parseIocInput(request.input).source_incident ?? null);
    return result;
  }

  async deleteIoc(input: IocDeleteRequest): Promise<PushedIoc> {
    const request = parseInput(IocDeleteRequest, input, 'IOC deletion');
    const ioc = await this.#d.repository.pushedIoc(request.id);
    if (!ioc) throw iocNotFound(request.id);
    const deleted = await deleteIoc(this.#iocDeps(this.#config(ioc.integrationId)), request);
    await this.#emitSourceIncident(deleted.sourceIncident);
    return deleted;
  }

  /** Attaches an IOC to an incident, to push now or when the incident is resolved. */
  async attachIoc(request: IncidentIocRequest | { number: string; input: unknown; actor: string }): Promise<Incident> {
    return this.#updated(await attachIncidentIoc({ repository: this.#d.repository, now: this.#now }, request));
  }

  // ---- settings -------------------------------------------------------------------------------

  async getEnrichmentMapping(): Promise<EnrichmentMapping> {
    return getEnrichmentMapping(this.#d.repository);
  }

  async setEnrichmentMapping(mapping: unknown): Promise<EnrichmentMapping> {
    return setEnrichmentMapping(this.#d.repository, mapping);
  }

  async getContainmentSettings(): Promise<ContainmentSettings> {
    return getContainmentSettings(this.#d.repository);
  }

  async setContainmentSettings(input: Input<typeof ContainmentSettingsInput>): Promise<ContainmentSettings> {
    return setContainmentSettings(this.#d.repository, parseInput(ContainmentSettingsInput, input, 'containment settings'), this.#now);
  }

  // ---- rules ----------------------------------------------------------------------------------

  /** Pull Recent Detections: the newest alerts through a draft rule set, creating nothing. */
  async dryRun(request: DryRunRequest, signal?: AbortSignal): Promise<DryRunResult> {
    const client = this.#client(this.#config(request.integrationId));
    return dryRun(client.alerts, request, this.#now(), signal);
  }

  /** The draft against the saved set over the alerts stored for a window. */
  async backTest(request: BackTestRequest, signal?: AbortSignal): Promise<BackTestResult> {
    return backTest(this.#d.repository, await this.#d.ruleSet(), request, signal);
  }

  // ---- pollers --------------------------------------------------------------------------------

  /** Starts (or keeps) one poller per integration, stops those whose integration is gone. */
  syncIntegrations(): void {
    const current = new Map(this.#d.integrations().map((c) => [c.id, c]));
    for (const [id, poller] of this.#pollers)
      if (!current.has(id)) {
        // Its last status names a connection that no longer exists; with no one to tell, it is dropped, not thrown.
        void poller.stop().catch(() => undefined);
        this.#pollers.delete(id);
        this.#clients.delete(id);
      }
    this.#configs.clear();
    for (const [id, config] of current) {
      this.#configs.set(id, config);
      if (this.#pollers.has(id)) continue;
      const poller = this.#makePoller(id);
      this.#pollers.set(id, poller);
      if (this.#running) poller.start();
    }
  }

  start(): void {
    this.#running = true;
    for (const poller of this.#pollers.values()) poller.start();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all([...this.#pollers.values()].map((p) => p.stop()));
  }

  async pollNow(integrationId: string): Promise<PollBatch> {
    return this.#poller(integrationId).pollNow();
  }

  /** Cancels the integration's poll in flight; its schedule goes on. */
  cancelPoll(integrationId: string): boolean {
    return this.#poller(integrationId).cancel();
  }

  async pollerStatus(): Promise<PollerStatus[]> {
    return Promise.all([...this.#pollers.values()].map((p) => p.status()));
  }

  close(): Promise<void> {
    return this.stop();
  }

  // ---- internals ------------------------------------------------------------------------------

  #makePoller(id: string): AlertPoller {
    const config = () => this.#config(id);
    return new AlertPoller({
      ...this.#d.poller,
      integration: config,
      alerts: {
        queryIds: (q) => this.#client(config()).alerts.queryIds(q),
        get: (ids, o) => this.#client(config()).alerts.get(ids, o),
      },
      repository: this.#d.repository,
      rules: this.#rules,
      now: this.#now,
      beforePoll: async (signal) => this.#followUp(config(), await this.#d.repository.awaitingFollowUp(id), signal),
      afterCommit: async (result, signal) => {
        for (const incident of result.created) this.#d.emit('incident.created', incident);
        for (const incident of result.updated) this.#d.emit('incident.updated', incident);
        await this.#followUp(config(), [...result.created, ...result.updated], signal);
      },
      onStatus: (status) => this.#d.emit('poller.status', status),
    });
  }

  /** Enrichment, then the automatic-containment decision, for incidents still waiting for them. */
  async #followUp(config: FalconIncidentsConfig, incidents: readonly Incident[], signal: AbortSignal): Promise<void> {
    if (incidents.length === 0) return;
    const client = this.#client(config);
    const latest = new Map(incidents.map((i) => [i.number, i]));
    const waitingEnrichment = incidents.filter((i) => i.enrichment.state === 'pending');
    const enriched = config.hostEnrichment
      ? await enrichIncidents({ repository: this.#d.repository, hosts: client.hosts, now: this.#now, signal }, waitingEnrichment)
      : await this.#skipEnrichment(waitingEnrichment);
    for (const incident of enriched) latest.set(incident.number, incident);
    const contained = await autoContain({ repository: this.#d.repository, containment: client.containment, now: this.#now, signal }, [...latest.values()]);
    const changed = new Map([...enriched, ...contained].map((i) => [i.number, i]));
    for (const incident of changed.values()) this.#d.emit('incident.updated', incident);
  }

  async #skipEnrichment(incidents: readonly Incident[]): Promise<Incident[]> {
    if (incidents.length === 0) return [];
    const at = this.#now().toISOString();
    return this.#d.repository.amendIncidents({
      at,
      changes: incidents.map((i) => ({
        number: i.number,
        patch: { enrichment: { ...i.enrichment, state: 'skipped' } },
        timeline: [{ at, kind: 'enrichment_failed', actor: 'system', message: 'Host enrichment skipped: it is turned off for this integration.' }],
      })),
    });
  }

  #config(id: string): FalconIncidentsConfig {
    const config = this.#configs.get(id);
    if (!config)
      throw new ContractError({
        code: 'integration.not_found',
        message: `There is no Falcon detections integration with id ${id}.`,
        fix: 'Add a "CrowdStrike Falcon detections → incidents" provider, or reload the list.',
      });
    return config;
  }

  #client(config: FalconIncidentsConfig): IncidentFalconClient {
    const key = JSON.stringify([config.clientId, config.region, config.baseUrl]);
    const cached = this.#clients.get(config.id);
    if (cached?.key === key) return cached.client;
    const client = this.#d.clientFor(config);
    this.#clients.set(config.id, { key, client });
    return client;
  }

  #poller(id: string): AlertPoller {
    this.#config(id);
    const poller = this.#pollers.get(id);
    if (!poller) throw new ContractError({ code: 'integration.not_found', message: `No poller runs for ${id}.` });
    return poller;
  }

  #iocDeps(config: FalconIncidentsConfig) {
    return { repository: this.#d.repository, iocs: this.#client(config).iocs, now: this.#now };
  }

  #updated(incident: Incident | undefined): Incident {
    if (!incident) throw new ContractError({ code: 'incident.not_found', message: 'The incident disappeared.' });
    this.#d.emit('incident.updated', incident);
    return incident;
  }

  async #emitSourceIncident(number: string | null): Promise<void> {
    if (number) this.#d.emit('incident.updated', await this.#d.repository.incident(number));
  }
}
