// IOCs pushed to Falcon from this console: the StackFlow push form validated per field, a duplicate check
// before every create, a local record of who pushed what for which incident, deletion, and the optional
// push of an incident's IOCs when it is resolved.
import { ContractError } from '../../../src-shared/errors';
import {
  IocInput,
  type Incident,
  type IncidentIoc,
  type IncidentPriority,
  type IocPlatform,
  type IocPushResult,
  type IocSeverity,
  type PushedIoc,
  type TimelineKind,
} from '../../../src-shared/schemas/incidents';
import type { FalconClient } from '../providers/crowdstrike/client';
import type { IocInput as FalconIocInput } from '../providers/crowdstrike/iocs';
import { iocNotFound } from './incident-lifecycle';
import type { IncidentChange, IncidentRepository } from './operations';
import { describeProblem, parseInput, problemCode, problemText } from './problems';

/** What Falcon records as the indicator's source. */
export const IOC_SOURCE = 'Posture Console';
const DAY_MS = 86_400_000;

export interface IocDeps {
  repository: IncidentRepository;
  iocs: Pick<FalconClient['iocs'], 'create' | 'delete'>;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

export function parseIocInput(input: unknown): IocInput {
  return parseInput(IocInput, input, 'IOC');
}

/** The push form in Falcon's wire names (reference §6); applied globally, with an absolute expiration. */
export function falconIndicator(input: IocInput, now: Date): FalconIocInput {
  return {
    type: input.type,
    value: input.value,
    action: input.action,
    ...(input.severity ? { severity: input.severity } : {}),
    platforms: input.platforms,
    applied_globally: true,
    source: IOC_SOURCE,
    ...(input.description ? { description: input.description } : {}),
    ...(input.source_incident ? { tags: [input.source_incident] } : {}),
    ...(input.expiration_days ? { expiration: new Date(now.getTime() + input.expiration_days * DAY_MS).toISOString() } : {}),
  };
}

/** The StackFlow troubleshooting row for a 403, verbatim; other failures keep their diagnosis. */
function pushError(error: unknown): ContractError {
  if (problemCode(error) === 'falcon.scope_missing')
    return new ContractError({
      code: 'falcon.scope_missing',
      message: 'IOC push 403: IOC Management scope missing.',
      fix: 'Add IOC Management:Write scope to the Falcon API client',
    });
  const problem = describeProblem(error);
  return new ContractError({ code: problem.code, message: `IOC push failed: ${problem.message}`, ...(problem.fix ? { fix: problem.fix } : {}) });
}

const iocLabel = (i: { type: string; value: string }) => `${i.type} ${i.value}`;

/** Pushes one IOC after the duplicate check; records it locally and on its source incident's timeline. */
export async function pushIoc(deps: IocDeps, request: { integrationId: string; input: unknown; actor: string }): Promise<IocPushResult> {
  const input = parseIocInput(request.input);
  const number = input.source_incident;
  if (number) await deps.repository.incident(number);
  const now = deps.now();
  let created: Awaited<ReturnType<IocDeps['iocs']['create']>>;
  try {
    created = await deps.iocs.create(falconIndicator(input, now), {
      comment: `Pushed by ${request.actor}${number ? ` for ${number}` : ''} from ${IOC_SOURCE}`,
      signal: deps.signal,
    });
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    const failure = pushError(error);
    if (number) await deps.repository.amendIncidents({ at: now.toISOString(), changes: [pushFailedChange(number, input, request.actor, failure, now)] });
    throw failure;
  }
  const at = now.toISOString();
  const falconId = created.created ? created.ioc.id : created.existingId;
  const pushed: PushedIoc | null = created.created
    ? {
        id: created.ioc.id || `unrecorded:${input.type}:${input.value}`,
        integrationId: request.integrationId,
        type: input.type,
        value: input.value,
        action: input.action,
        severity: input.severity ?? null,
        platforms: input.platforms,
        description: input.description ?? null,
        sourceIncident: number ?? null,
        expiration: input.expiration_days ? new Date(now.getTime() + input.expiration_days * DAY_MS).toISOString() : null,
        pushedBy: request.actor,
        pushedAt: at,
        deletedBy: null,
        deletedAt: null,
      }
    : null;
  await deps.repository.recordIocPush({
    at,
    pushed,
    ...(number ? { incidentIoc: { number, type: input.type, value: input.value, pushedId: falconId } } : {}),
    ...(number
      ? {
          change: {
            number,
            timeline: [
              {
                at,
                kind: 'ioc_pushed' as TimelineKind,
                actor: request.actor,
                message: created.created
                  ? `IOC ${iocLabel(input)} pushed to Falcon (${input.action}${input.severity ? `, ${input.severity}` : ''}, ${input.platforms.join('/')}); Falcon id ${falconId}.`
                  : `IOC ${iocLabel(input)} is already in Falcon (id ${falconId}); nothing was created.`,
                data: { iocId: falconId, created: created.created },
              },
            ],
          },
        }
      : {}),
  });
  return pushed ? { status: 'created', ioc: pushed } : { status: 'duplicate', existingId: falconId, type: input.type, value: input.value };
}

function pushFailedChange(number: string, ioc: { type: string; value: string }, actor: string, failure: ContractError, now: Date): IncidentChange {
  return {
    number,
    timeline: [
      {
        at: now.toISOString(),
        kind: 'ioc_push_failed',
        actor,
        message: `${problemText(failure)} (${iocLabel(ioc)})`,
        data: { code: failure.code },
      },
    ],
  };
}

/** Deletes a pushed IOC from Falcon, then marks the local record deleted (who, when). */
export async function deleteIoc(deps: IocDeps, request: { id: string; actor: string }): Promise<PushedIoc> {
  const ioc = await deps.repository.pushedIoc(request.id);
  if (!ioc || ioc.deletedAt) throw iocNotFound(request.id);
  try {
    await deps.iocs.delete([ioc.id], { comment: `Deleted by ${request.actor} from ${IOC_SOURCE}`, signal: deps.signal });
  } catch (error) {
    const problem = describeProblem(error);
    throw new ContractError({ code: problem.code, message: `Deleting the IOC failed: ${problem.message}`, ...(problem.fix ? { fix: problem.fix } : {}) });
  }
  const { ioc: deleted } = await deps.repository.recordIocDeletion({ id: ioc.id, actor: request.actor, at: deps.now().toISOString() });
  return deleted;
}

/** An admin attaches an IOC to an incident (pushed now or when the incident is resolved). */
export async function attachIncidentIoc(
  deps: Pick<IocDeps, 'repository' | 'now'>,
  request: { number: string; input: unknown; actor: string },
): Promise<Incident> {
  const draft = request.input !== null && typeof request.input === 'object' ? { ...request.input, source_incident: request.number } : request.input;
  const input = parseIocInput(draft);
  const at = deps.now().toISOString();
  const ioc: IncidentIoc = { type: input.type, value: input.value, origin: 'manual', input, addedBy: request.actor, addedAt: at, pushedId: null };
  const { incident } = await deps.repository.attachIoc({
    ioc,
    at,
    change: { number: request.number, timeline: [{ at, kind: 'ioc_added', actor: request.actor, message: `IOC ${iocLabel(input)} added (${input.action}).` }] },
  });
  return incident;
}

const SEVERITY_OF_PRIORITY: Record<IncidentPriority, IocSeverity> = { P1: 'critical', P2: 'high', P3: 'medium', P4: 'low' };
const PLATFORM_OF: Record<string, IocPlatform> = { windows: 'windows', mac: 'mac', linux: 'linux' };

/** How a file hash from an alert is pushed on resolve: blocked (prevent), at the incident's priority, on its alerts' platforms. */
export function resolvePushInput(incident: Incident, ioc: IncidentIoc, alertPlatforms: readonly (string | null)[]): IocInput {
  if (ioc.input) return ioc.input;
  const platforms = [...new Set(alertPlatforms.flatMap((p) => PLATFORM_OF[(p ?? '').toLowerCase()] ?? []))];
  return parseIocInput({
    type: ioc.type,
    value: ioc.value,
    action: ioc.type === 'md5' || ioc.type === 'sha256' ? 'prevent' : 'detect',
    severity: SEVERITY_OF_PRIORITY[incident.priority],
    description: `From ${incident.number}: ${incident.title}`.slice(0, 200),
    source_incident: incident.number,
    platforms: platforms.length ? platforms : ['windows', 'mac', 'linux'],
  });
}

/** On resolve (when the integration asks for it): pushes every IOC of the incident not yet in Falcon. */
export async function pushIncidentIocs(deps: IocDeps, incident: Incident, actor: string): Promise<IocPushResult[]> {
  const detail = await deps.repository.incidentDetail(incident.number);
  const platforms = detail.alerts.map((a) => a.platform);
  const results: IocPushResult[] = [];
  for (const ioc of detail.iocs.filter((i) => !i.pushedId)) {
    try {
      results.push(await pushIoc(deps, { integrationId: incident.integrationId, input: resolvePushInput(incident, ioc, platforms), actor }));
    } catch (error) {
      // Without the scope every other push fails the same way; the timeline already says why.
      if (error instanceof ContractError && error.code === 'falcon.scope_missing') break;
      if (deps.signal?.aborted) throw error;
    }
  }
  return results;
}
