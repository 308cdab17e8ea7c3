// Network containment from incidents. A rule's auto_contain_host acts only while the global safety switch
// is on (off by default); manual contain and lift come from an admin who confirmed in the UI. Every
// decision lands on the timeline with Falcon's answer (202 = accepted, pending until the sensor confirms).
import { ContractError } from '../../../src-shared/errors';
import {
  ContainmentSettings,
  defaultContainmentSettings,
  type ContainmentAction,
  type ContainmentSettingsInput,
  type HostCi,
  type Incident,
  type IncidentProblem,
  type TimelineKind,
} from '../../../src-shared/schemas/incidents';
import type { FalconClient } from '../providers/crowdstrike/client';
import { getEnrichmentMapping } from './enrichment';
import type { IncidentChange, IncidentRepository } from './operations';
import { describeProblem, problemText } from './problems';

export const CONTAINMENT_SETTING = 'containment.settings';

export async function getContainmentSettings(repository: IncidentRepository): Promise<ContainmentSettings> {
  const stored = ContainmentSettings.safeParse(await repository.setting(CONTAINMENT_SETTING));
  return stored.success ? stored.data : defaultContainmentSettings;
}

export async function setContainmentSettings(repository: IncidentRepository, input: ContainmentSettingsInput, now: () => Date): Promise<ContainmentSettings> {
  const settings: ContainmentSettings = { autoContainEnabled: input.autoContainEnabled, changedBy: input.actor, changedAt: now().toISOString() };
  await repository.saveSetting({ key: CONTAINMENT_SETTING, value: settings });
  return settings;
}

export interface ContainmentDeps {
  repository: IncidentRepository;
  containment: Pick<FalconClient['containment'], 'contain' | 'lift'>;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

const hostName = (incident: Incident) => incident.hostname ?? incident.hostDeviceId ?? 'the host';

/** The host CI with its containment field (whatever the mapping calls device.status) set to the pending state. */
async function pendingHost(repository: IncidentRepository, deviceId: string, status: string, at: string): Promise<HostCi[]> {
  const [ci, mapping] = await Promise.all([repository.hostCi(deviceId), getEnrichmentMapping(repository)]);
  const field = Object.entries(mapping).find(([, path]) => path === 'device.status')?.[0];
  if (!ci || !field) return [];
  return [{ ...ci, fields: { ...ci.fields, [field]: status }, updatedAt: at }];
}

interface Attempt {
  change: IncidentChange;
  hosts: HostCi[];
}

/** Calls Falcon and describes the outcome; a refusal is an outcome, not an exception. */
async function attempt(deps: ContainmentDeps, incident: Incident, action: ContainmentAction, actor: string, why: string): Promise<Attempt> {
  const at = deps.now().toISOString();
  const deviceId = incident.hostDeviceId;
  const verb = action === 'contain' ? 'Containment' : 'Containment lift';
  const refuse = (problem: IncidentProblem): Attempt => ({
    hosts: [],
    change: {
      number: incident.number,
      patch: { containment: 'refused' },
      timeline: [
        {
          at,
          kind: 'containment_refused',
          actor,
          message: `${verb} of ${hostName(incident)} failed (${why}): ${problemText(problem)}`,
          data: { action, code: problem.code, ...(problem.observed ? { observed: problem.observed } : {}) },
        },
      ],
    },
  });
  if (!deviceId)
    return refuse({ code: 'incident.no_host', message: 'the alert names no host (no device id).', fix: 'Contain the host from the Falcon console.' });
  let accepted: string[];
  try {
    accepted = await (action === 'contain' ? deps.containment.contain([deviceId], deps.signal) : deps.containment.lift([deviceId], deps.signal));
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    return refuse(describeProblem(error));
  }
  if (!accepted.includes(deviceId))
    return refuse({
      code: 'falcon.not_accepted',
      message: `Falcon did not accept device ${deviceId}.`,
      fix: 'Check the host in the Falcon console; it may have been removed.',
    });
  const pending = action === 'contain' ? 'containment_pending' : 'lift_containment_pending';
  const kind: TimelineKind = action === 'contain' ? 'containment_requested' : 'containment_lifted';
  return {
    hosts: await pendingHost(deps.repository, deviceId, pending, at),
    change: {
      number: incident.number,
      patch: { containment: action === 'contain' ? 'requested' : 'lift_requested' },
      timeline: [
        {
          at,
          kind,
          actor,
          message: `${verb} of ${hostName(incident)} requested (${why}): Falcon accepted it (HTTP 202); ${pending} until the sensor confirms.`,
          data: { action, deviceId, result: 'accepted', hostStatus: pending },
        },
      ],
    },
  };
}

/** Acts on rules' auto_contain_host for incidents still waiting for that decision. */
export async function autoContain(deps: ContainmentDeps, incidents: readonly Incident[]): Promise<Incident[]> {
  const waiting = incidents.filter((i) => i.containment === 'auto_pending');
  if (waiting.length === 0) return [];
  const settings = await getContainmentSettings(deps.repository);
  const at = deps.now().toISOString();
  const attempts: Attempt[] = [];
  for (const incident of waiting) {
    const why = `automatic, rule ${incident.rule.index + 1} "${incident.rule.name}"`;
    if (!settings.autoContainEnabled) {
      attempts.push({
        hosts: [],
        change: {
          number: incident.number,
          patch: { containment: 'skipped' },
          timeline: [
            {
              at,
              kind: 'containment_skipped',
              actor: 'system',
              message: `Automatic containment of ${hostName(incident)} skipped: rule ${incident.rule.index + 1} "${incident.rule.name}" asks for it, but the containment safety switch is off. Contain the host from this incident, or turn on automatic containment in Settings.`,
              data: { reason: 'safety_switch_off' },
            },
          ],
        },
      });
      continue;
    }
    attempts.push(await attempt(deps, incident, 'contain', 'system', why));
  }
  return deps.repository.amendIncidents({ at, hosts: attempts.flatMap((a) => a.hosts), changes: attempts.map((a) => a.change) });
}

/** Manual contain or lift, after the admin confirmed. A refused call is recorded and returned, not thrown. */
export async function requestContainment(
  deps: ContainmentDeps,
  incident: Incident,
  request: { action: ContainmentAction; actor: string; reason?: string | undefined },
): Promise<Incident> {
  if (!incident.hostDeviceId)
    throw new ContractError({
      code: 'incident.no_host',
      message: `${incident.number} has no host to ${request.action === 'contain' ? 'contain' : 'release'}: its alert names no device.`,
      fix: 'Use the Falcon console for this host.',
    });
  const why = `manual${request.reason?.trim() ? `: ${request.reason.trim()}` : ''}`;
  const result = await attempt(deps, incident, request.action, request.actor, why);
  const [updated] = await deps.repository.amendIncidents({ at: deps.now().toISOString(), hosts: result.hosts, changes: [result.change] });
  return updated ?? incident;
}
