// Incidents as values: made from a routed alert, grown by later alerts of the same Falcon aggregate, and
// moved New → In Progress → Resolved → Closed with every step stamped and explained.
import { ContractError } from '../../../src-shared/errors';
import {
  formatIncidentNumber,
  incidentStateLabels,
  incidentTransitions,
  transitionNeedsReason,
  type AlertSummary,
  type Incident,
  type IncidentPriority,
  type IncidentState,
} from '../../../src-shared/schemas/incidents';
import type { RuleOutcome } from '../../../src-shared/schemas/rules';
import type { TimelineInput } from '../store/incident-tx';

type CreateOutcome = Extract<RuleOutcome, { action: 'create_incident' }>;

/** The rule that matched, as the incident records it. */
export interface MatchedRule {
  index: number;
  id: string;
  name: string;
  outcome: CreateOutcome;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The fields the screens show, read defensively: EPP extras are absent on other products. */
export function summarizeAlert(alert: Readonly<Record<string, unknown>>): AlertSummary {
  const device = record(alert.device);
  return {
    compositeId: String(alert.composite_id),
    createdTimestamp: text(alert.created_timestamp) ?? '',
    aggregateId: text(alert.aggregate_id),
    severity: number(alert.severity),
    severityName: text(alert.severity_name),
    tactic: text(alert.tactic),
    technique: text(alert.technique),
    techniqueId: text(alert.technique_id),
    name: text(alert.display_name) ?? text(alert.name),
    product: text(alert.product),
    deviceId: text(device.device_id) ?? text(alert.agent_id),
    hostname: text(device.hostname),
    platform: text(device.platform_name) ?? text(alert.platform),
    filename: text(alert.filename),
    cmdline: text(alert.cmdline),
    userName: text(alert.user_name),
    sha256: text(alert.sha256),
    md5: text(alert.md5),
    falconLink: text(alert.falcon_host_link),
  };
}

export function incidentTitle(alert: AlertSummary): string {
  return `${alert.name ?? 'Falcon alert'} on ${alert.hostname ?? alert.deviceId ?? 'an unknown host'}`;
}

const PRIORITY_RANK: Record<IncidentPriority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

export function isMoreUrgent(a: IncidentPriority, b: IncidentPriority): boolean {
  return PRIORITY_RANK[a] < PRIORITY_RANK[b];
}

export function newIncident(input: { sequence: number; integrationId: string; alert: AlertSummary; rule: MatchedRule; hostEnrichment: boolean; at: string }): {
  incident: Incident;
  timeline: TimelineInput[];
} {
  const { alert, rule, at } = input;
  const number = formatIncidentNumber(input.sequence);
  const incident: Incident = {
    number,
    integrationId: input.integrationId,
    title: incidentTitle(alert),
    state: 'new',
    priority: rule.outcome.priority,
    assignmentGroup: rule.outcome.assignment_group ?? null,
    category: rule.outcome.category ?? null,
    rule: { index: rule.index, id: rule.id, name: rule.name },
    autoContain: rule.outcome.auto_contain_host,
    containment: rule.outcome.auto_contain_host ? 'auto_pending' : 'none',
    aggregateId: alert.aggregateId,
    alertIds: [alert.compositeId],
    severity: alert.severity,
    tactic: alert.tactic,
    hostDeviceId: alert.deviceId,
    hostname: alert.hostname,
    enrichment: { state: input.hostEnrichment && alert.deviceId ? 'pending' : 'skipped', fields: {}, at: null, problem: null },
    createdAt: at,
    updatedAt: at,
    inProgressAt: null,
    resolvedAt: null,
    closedAt: null,
  };
  const timeline: TimelineInput[] = [
    {
      at,
      kind: 'created',
      actor: 'system',
      message: `Created ${rule.outcome.priority} from alert ${alert.name ?? alert.compositeId} (severity ${alert.severity ?? 'unknown'}${alert.tactic ? `, ${alert.tactic}` : ''}) by rule ${rule.index + 1} "${rule.name}".`,
      data: { compositeId: alert.compositeId, ruleId: rule.id, ruleIndex: rule.index },
    },
  ];
  if (input.hostEnrichment && !alert.deviceId)
    timeline.push({ at, kind: 'enrichment_failed', actor: 'system', message: 'Host enrichment skipped: the alert names no host (no device id).' });
  return { incident, timeline };
}

/** A later alert of the same aggregate joins the open incident; a more urgent rule raises its priority. */
export function linkAlert(incident: Incident, alert: AlertSummary, rule: MatchedRule, at: string): { incident: Incident; timeline: TimelineInput[] } {
  if (incident.alertIds.includes(alert.compositeId)) return { incident, timeline: [] };
  const timeline: TimelineInput[] = [
    {
      at,
      kind: 'alert_linked',
      actor: 'system',
      message: `Alert ${alert.name ?? alert.compositeId} (severity ${alert.severity ?? 'unknown'}) of the same Falcon detection linked by rule ${rule.index + 1} "${rule.name}".`,
      data: { compositeId: alert.compositeId, ruleId: rule.id, ruleIndex: rule.index },
    },
  ];
  let priority = incident.priority;
  if (isMoreUrgent(rule.outcome.priority, incident.priority)) {
    priority = rule.outcome.priority;
    timeline.push({ at, kind: 'priority_raised', actor: 'system', message: `Priority raised from ${incident.priority} to ${priority} by the linked alert.` });
  }
  const severity = Math.max(incident.severity ?? 0, alert.severity ?? 0) || null;
  return { incident: { ...incident, priority, severity, alertIds: [...incident.alertIds, alert.compositeId], updatedAt: at }, timeline };
}

export function incidentNotFound(number: string): ContractError {
  return new ContractError({ code: 'incident.not_found', message: `There is no incident ${number}.`, fix: 'Reload the incident list.' });
}

export function iocNotFound(id: string): ContractError {
  return new ContractError({ code: 'ioc.not_found', message: `No live IOC with id ${id} was pushed from this console.`, fix: 'Reload the IOC list.' });
}

/** Checks a state change and returns the incident after it, with its timeline entry. */
export function transition(
  incident: Incident,
  change: { to: IncidentState; actor: string; reason?: string | undefined },
  at: string,
): { incident: Incident; timeline: TimelineInput[] } {
  const from = incident.state;
  const allowed = incidentTransitions[from];
  const label = (s: IncidentState) => incidentStateLabels[s];
  if (!allowed.includes(change.to))
    throw new ContractError({
      code: 'incident.illegal_transition',
      message:
        from === change.to
          ? `${incident.number} is already ${label(from)}.`
          : allowed.length === 0
            ? `${incident.number} is ${label(from)}, which is final: it cannot move to ${label(change.to)}.`
            : `${incident.number} is ${label(from)}; it can move to ${allowed.map(label).join(' or ')}, not ${label(change.to)}.`,
      fix: allowed.length === 0 ? 'Open a new incident if the problem came back.' : `Move it to ${allowed.map(label).join(' or ')} first.`,
    });
  const reason = change.reason?.trim() || undefined;
  if (transitionNeedsReason(from, change.to) && !reason)
    throw new ContractError({
      code: 'incident.reason_required',
      message: change.to === 'resolved' ? `Say how ${incident.number} was resolved.` : `Say why ${incident.number} is being reopened.`,
      fix: 'Fill in the reason and try again.',
      issues: [{ path: 'reason', message: 'A reason is required for this change.' }],
    });
  const next: Incident = { ...incident, state: change.to, updatedAt: at };
  if (change.to === 'in_progress') {
    next.inProgressAt = incident.inProgressAt ?? at;
    // Reopening clears the resolution it undoes.
    next.resolvedAt = null;
  }
  if (change.to === 'resolved') next.resolvedAt = at;
  if (change.to === 'closed') next.closedAt = at;
  const verb = from === 'resolved' && change.to === 'in_progress' ? 'Reopened' : `${label(from)} → ${label(change.to)}`;
  return {
    incident: next,
    timeline: [
      {
        at,
        kind: 'state_changed',
        actor: change.actor,
        message: reason ? `${verb}: ${reason}` : verb,
        data: { from, to: change.to, ...(reason ? { reason } : {}) },
      },
    ],
  };
}
