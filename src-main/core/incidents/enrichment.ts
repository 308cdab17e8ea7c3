// Host enrichment: reads each new incident's host from the Falcon Hosts API, maps it through the editable
// `enrichment_fields` mapping into the incident and the host CI table, and — when Falcon refuses — keeps
// the incident and says on its timeline what to fix.
import {
  EnrichmentMapping,
  seedEnrichmentMapping,
  type EnrichmentValue,
  type HostCi,
  type Incident,
  type IncidentProblem,
} from '../../../src-shared/schemas/incidents';
import type { FalconClient } from '../providers/crowdstrike/client';
import type { IncidentChange, IncidentRepository } from './operations';
import { describeProblem, parseInput, problemCode, problemText } from './problems';

export const ENRICHMENT_MAPPING_SETTING = 'enrichment.mapping';

export async function getEnrichmentMapping(repository: IncidentRepository): Promise<EnrichmentMapping> {
  const stored = EnrichmentMapping.safeParse(await repository.setting(ENRICHMENT_MAPPING_SETTING));
  return stored.success ? stored.data : { ...seedEnrichmentMapping };
}

/** Validates (each value a dotted path starting with `device.`) and saves; a bad mapping changes nothing. */
export async function setEnrichmentMapping(repository: IncidentRepository, input: unknown): Promise<EnrichmentMapping> {
  const mapping = parseInput(EnrichmentMapping, input, 'enrichment mapping');
  await repository.saveSetting({ key: ENRICHMENT_MAPPING_SETTING, value: mapping });
  return mapping;
}

/** Reads `device.a.b` from a Hosts API record (the `device`); a missing step reads as null. */
export function readHostPath(host: Readonly<Record<string, unknown>>, path: string): EnrichmentValue {
  let value: unknown = host;
  for (const step of path.split('.').slice(1)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[step];
  }
  return value === undefined ? null : (value as EnrichmentValue);
}

export function mapHost(host: Readonly<Record<string, unknown>>, mapping: EnrichmentMapping): Record<string, EnrichmentValue> {
  return Object.fromEntries(Object.entries(mapping).map(([field, path]) => [field, readHostPath(host, path)]));
}

/** The StackFlow troubleshooting row for a 403, verbatim; other failures keep their own diagnosis. */
export function enrichmentFailure(problem: IncidentProblem, scopeMissing: boolean): string {
  if (scopeMissing) return 'Host enrichment failing: Hosts scope not granted — Add Hosts:Read scope to the Falcon API client';
  return `Host enrichment failing: ${problemText(problem)}`;
}

const display = (value: EnrichmentValue): string => (Array.isArray(value) ? value.join(', ') || '(none)' : value === null ? '(empty)' : String(value));

export interface EnrichmentDeps {
  repository: IncidentRepository;
  hosts: Pick<FalconClient['hosts'], 'details'>;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

/** Enriches the incidents still pending, one Hosts API call for all their hosts. Returns them updated. */
export async function enrichIncidents(deps: EnrichmentDeps, incidents: readonly Incident[]): Promise<Incident[]> {
  const pending = incidents.filter((i) => i.enrichment.state === 'pending' && i.hostDeviceId);
  if (pending.length === 0) return [];
  const at = deps.now().toISOString();
  const ids = [...new Set(pending.map((i) => i.hostDeviceId as string))];
  const mapping = await getEnrichmentMapping(deps.repository);

  let records: Awaited<ReturnType<EnrichmentDeps['hosts']['details']>>;
  try {
    records = await deps.hosts.details(ids, { signal: deps.signal });
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    const problem = describeProblem(error);
    const message = enrichmentFailure(problem, problemCode(error) === 'falcon.scope_missing');
    return deps.repository.amendIncidents({
      at,
      changes: pending.map((incident) => ({
        number: incident.number,
        patch: { enrichment: { ...incident.enrichment, state: 'failed', at, problem } },
        timeline: [{ at, kind: 'enrichment_failed', actor: 'system', message, data: { code: problem.code } }],
      })),
    });
  }

  const byId = new Map(records.map((host) => [host.device_id, host]));
  const hosts: HostCi[] = [];
  for (const [deviceId, host] of byId)
    for (const incident of pending.filter((i) => i.hostDeviceId === deviceId).slice(0, 1))
      hosts.push({ deviceId, integrationId: incident.integrationId, fields: mapHost(host, mapping), firstSeenAt: at, updatedAt: at });
  const fieldsOf = new Map(hosts.map((h) => [h.deviceId, h.fields]));
  const changes = pending.map((incident): IncidentChange => {
    const deviceId = incident.hostDeviceId as string;
    const fields = fieldsOf.get(deviceId);
    const host = byId.get(deviceId);
    if (!fields || !host) {
      const problem: IncidentProblem = {
        code: 'falcon.host_not_found',
        message: `Falcon has no host with device id ${deviceId} (it may have been removed or hidden).`,
        fix: 'Check the host in the Falcon console under Host management.',
      };
      return {
        number: incident.number,
        patch: { enrichment: { ...incident.enrichment, state: 'failed', at, problem } },
        timeline: [{ at, kind: 'enrichment_failed', actor: 'system', message: enrichmentFailure(problem, false), data: { code: problem.code } }],
      };
    }
    const summary = Object.entries(fields)
      .map(([field, value]) => `${field} ${display(value)}`)
      .join('; ');
    return {
      number: incident.number,
      patch: {
        enrichment: { state: 'done', fields, at, problem: null },
        hostname: typeof host.hostname === 'string' && host.hostname ? host.hostname : incident.hostname,
      },
      timeline: [
        {
          at,
          kind: 'enrichment',
          actor: 'system',
          message: `Enriched from the Falcon Hosts API and linked to host CI ${deviceId}: ${summary}.`,
          data: { deviceId },
        },
      ],
    };
  });
  return deps.repository.amendIncidents({ at, hosts, changes });
}
