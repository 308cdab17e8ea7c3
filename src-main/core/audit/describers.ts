// What each acting channel records: the action's name, its target, a one-line summary, and the state compared
// before and after it. One describer per acting channel (the type demands it), reading state through `deps`.
import type { ActingChannel } from '../../../src-shared/channel-effects';
import type { ParsedReq, Res } from '../../../src-shared/contract';
import type { AuditChange, AuditTarget, CallContext } from '../../../src-shared/schemas/audit';
import type { Incident } from '../../../src-shared/schemas/incidents';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import type { ProviderConfig } from '../../../src-shared/schemas/providers';
import type { SinkConfig } from '../../../src-shared/schemas/sinks';
import { changedFields, secretReplaced } from './changes';

export interface Description {
  action: string;
  target: AuditTarget;
  summary: string;
  /** The state after the call, compared with what `before` returned. */
  after?: unknown;
  /** Changes the snapshots cannot show (a secret replaced, a note written). */
  extra?: AuditChange[];
  claimed?: string | null;
}

export interface Call<C extends ActingChannel> {
  req: ParsedReq<C>;
  /** Undefined when the call failed. */
  res: Res<C> | undefined;
  before: unknown;
  context: CallContext | undefined;
}

export interface Describer<C extends ActingChannel> {
  /** The state the call may change, read before it runs. */
  before?: (req: ParsedReq<C>) => unknown;
  describe: (call: Call<C>) => Description | Promise<Description>;
}

export type Describers = { [C in ActingChannel]: Describer<C> };

export interface DescribeDeps {
  provider(id: string): ProviderConfig | null;
  check(id: string): PostureCheck | null;
  ui(): unknown;
  preferences(): unknown;
  /** The configuration an import replaces (as the export writes it, without secrets). */
  configuration(): unknown;
  ruleSet(): unknown;
  incident(number: string): Promise<Incident | null>;
  enrichment(): Promise<unknown>;
  containmentSettings(): Promise<{ autoContainEnabled: boolean }>;
  pushedIoc(id: string): Promise<{ id: string; type: string; value: string; integrationId: string } | null>;
  behaviors(): Promise<unknown>;
  userName(userId: string): Promise<string | null>;
  sink(id: string): SinkConfig | null;
}

/** Entries describe the outcome in words; a failed call says what was attempted. */
const tried = (res: unknown, done: string, attempt: string) => (res === undefined ? attempt : done);

const providerTarget = (config: ProviderConfig | null, id: string): AuditTarget => ({ kind: 'provider', id, name: config?.name ?? null });
const providerName = (config: ProviderConfig | null, id: string) => (config ? `'${config.name}'` : id);
const incidentTarget = (number: string, incident: Incident | null): AuditTarget => ({ kind: 'incident', id: number, name: incident?.title ?? null });
const allOrOne = (deps: DescribeDeps, id: string | undefined): AuditTarget =>
  id ? providerTarget(deps.provider(id), id) : { kind: 'provider', id: null, name: 'all providers' };
const settled = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

/** The secret a provider input carries, if any: only whether there is one is ever looked at. */
const carriesSecret = (input: ParsedReq<'providers.save'>) =>
  Boolean('clientSecret' in input ? input.clientSecret : 'apiToken' in input ? input.apiToken : undefined);

export function createDescribers(deps: DescribeDeps): Describers {
  return {
    'settings.update': {
      before: () => deps.ui(),
      describe: ({ res }) => ({
        action: 'settings.changed',
        target: { kind: 'settings', id: 'appearance', name: 'Appearance' },
        summary: tried(res, 'Changed appearance settings', 'Tried to change appearance settings'),
        after: res ?? undefined,
      }),
    },
    'preferences.update': {
      before: () => deps.preferences(),
      describe: ({ res }) => ({
        action: 'preferences.changed',
        target: { kind: 'preferences', id: 'preferences', name: 'Retention, notifications and secret storage' },
        summary: tried(res, 'Changed preferences', 'Tried to change preferences'),
        after: res ?? undefined,
      }),
    },
    'config.import': {
      before: () => deps.configuration(),
      describe: ({ res }) => ({
        action: 'configuration.imported',
        target: { kind: 'configuration', id: null, name: 'Configuration file' },
        summary: res
          ? `Imported a configuration: ${res.providers} providers, ${res.checks} checks, ${res.rules} rules${res.needSecrets.length ? `; ${res.needSecrets.length} need their secret` : ''}`
          : 'Tried to import a configuration',
        after: res ? deps.configuration() : undefined,
      }),
    },

    'providers.save': {
      before: (input) => (input.id ? deps.provider(input.id) : null),
      describe: ({ req, res, before }) => {
        const was = before as ProviderConfig | null;
        const id = res?.config.id ?? req.id ?? null;
        const after = res?.config;
        const secret = carriesSecret(req);
        const fields = res ? changedFields(was, after) : [];
        const action = !was ? 'provider.added' : secret && fields.length === 0 ? 'secret.replaced' : 'provider.edited';
        const name = after?.name ?? was?.name ?? req.name;
        const summaries: Record<string, string> = {
          'provider.added': `Added provider '${name}' (${req.kind})`,
          'provider.edited': `Edited provider '${name}'${secret ? ' and replaced its secret' : ''}`,
          'secret.replaced': `Replaced the secret of provider '${name}'`,
        };
        return {
          action,
          target: { kind: 'provider', id, name },
          summary: res ? summaries[action]! : `Tried to ${was ? 'edit' : 'add'} provider '${name}'`,
          after,
          extra: secret && res ? [secretReplaced(req.kind === 'sentinelone' ? 'apiToken' : 'clientSecret', was !== null)] : [],
        };
      },
    },
    'providers.remove': {
      before: ({ id }) => deps.provider(id),
      describe: ({ req, res, before }) => {
        const was = before as ProviderConfig | null;
        return {
          action: 'provider.removed',
          target: providerTarget(was, req.id),
          summary: res?.removed ? `Removed provider ${providerName(was, req.id)} and its secret` : `Tried to remove provider ${providerName(was, req.id)}`,
          after: res?.removed ? null : was,
        };
      },
    },
    'providers.test': {
      before: ({ id }) => deps.provider(id),
      describe: ({ req, res, before }) => {
        const was = before as ProviderConfig | null;
        const failed = res?.steps.filter((s) => s.status === 'fail').map((s) => s.title) ?? [];
        return {
          action: 'provider.tested',
          target: providerTarget(was, req.id),
          summary: !res
            ? `Tried to test provider ${providerName(was, req.id)}`
            : res.ok
              ? `Tested provider ${providerName(was, req.id)}: all checks passed`
              : `Tested provider ${providerName(was, req.id)}: ${failed.length ? `failed at ${failed.join(', ')}` : 'problems found'}`,
          // A Test that follows Falcon's region redirect saves where the connection's requests now go.
          after: deps.provider(req.id),
        };
      },
    },

    'checks.save': {
      before: (input) => (input.id ? deps.check(input.id) : null),
      describe: ({ req, res, before }) => {
        const was = before as PostureCheck | null;
        const provider = deps.provider(req.providerId);
        return {
          action: was ? 'check.changed' : 'check.created',
          target: { kind: 'check', id: res?.id ?? req.id ?? null, name: res?.name ?? req.name },
          summary: `${res ? (was ? 'Changed' : 'Created') : was ? 'Tried to change' : 'Tried to create'} check '${req.name}' on ${providerName(provider, req.providerId)}`,
          after: res,
        };
      },
    },
    'checks.remove': {
      before: ({ id }) => deps.check(id),
      describe: ({ req, res, before }) => {
        const was = before as PostureCheck | null;
        return {
          action: 'check.removed',
          target: { kind: 'check', id: req.id, name: was?.name ?? null },
          summary: res?.removed ? `Removed check '${was?.name ?? req.id}'` : `Tried to remove check '${was?.name ?? req.id}'`,
          after: res?.removed ? null : was,
        };
      },
    },

    'posture.pollNow': {
      describe: ({ req, res }) => ({
        action: 'posture.polled',
        target: providerTarget(deps.provider(req.providerId), req.providerId),
        summary: res
          ? `Polled ${providerName(deps.provider(req.providerId), req.providerId)} now: ${res.outcome}`
          : `Tried to poll ${providerName(deps.provider(req.providerId), req.providerId)}`,
      }),
    },
    'posture.cancel': {
      describe: ({ req, res }) => ({
        action: 'posture.poll_cancelled',
        target: providerTarget(deps.provider(req.providerId), req.providerId),
        summary: res?.cancelled
          ? `Cancelled the poll of ${providerName(deps.provider(req.providerId), req.providerId)}`
          : `Asked to cancel the poll of ${providerName(deps.provider(req.providerId), req.providerId)} (none was running)`,
      }),
    },
    'posture.pause': {
      describe: ({ req, res }) => ({
        action: 'posture.paused',
        target: allOrOne(deps, req.providerId),
        summary: `${res ? 'Paused' : 'Tried to pause'} polling of ${req.providerId ? providerName(deps.provider(req.providerId), req.providerId) : 'all providers'}`,
      }),
    },
    'posture.resume': {
      describe: ({ req, res }) => ({
        action: 'posture.resumed',
        target: allOrOne(deps, req.providerId),
        summary: `${res ? 'Resumed' : 'Tried to resume'} polling of ${req.providerId ? providerName(deps.provider(req.providerId), req.providerId) : 'all providers'}`,
      }),
    },

    'rules.save': {
      before: () => deps.ruleSet(),
      describe: ({ req, res, context }) => {
        // The CLI's `rules import FILE` validates with rules.import and saves with this channel.
        const imported = context?.command === 'rules import';
        return {
          action: imported ? 'rules.imported' : 'rules.saved',
          target: { kind: 'rules', id: null, name: 'Detection rule set' },
          summary: `${res ? (imported ? 'Imported' : 'Saved') : imported ? 'Tried to import' : 'Tried to save'} the detection rule set (${req.rules.length} rules)`,
          after: res?.ruleSet,
        };
      },
    },

    'incidents.changeState': {
      before: ({ number }) => settled(deps.incident(number)).then((i) => (i ? { state: i.state } : null)),
      describe: async ({ req, res, before }) => {
        const from = (before as { state: string } | null)?.state;
        return {
          action: 'incident.state_changed',
          target: incidentTarget(req.number, res ?? null),
          summary: `${res ? 'Moved' : 'Tried to move'} ${req.number} ${from ? `from ${from} ` : ''}to ${req.to}${req.reason ? `: ${req.reason}` : ''}`,
          after: res ? { state: res.state } : undefined,
          claimed: req.actor,
        };
      },
    },
    'incidents.addNote': {
      describe: ({ req, res }) => ({
        action: 'incident.note_added',
        target: incidentTarget(req.number, res ?? null),
        summary: `${res ? 'Added' : 'Tried to add'} a note to ${req.number}`,
        extra: [{ field: 'note', before: null, after: req.text }],
        claimed: req.actor,
      }),
    },
    'incidents.containment': {
      before: ({ number }) => settled(deps.incident(number)).then((i) => (i ? { containment: i.containment } : null)),
      describe: ({ req, res }) => {
        const contain = req.action === 'contain';
        return {
          action: contain ? 'host.contained' : 'host.containment_lifted',
          target: { kind: 'host', id: res?.hostname ?? null, name: `${req.number}${res?.hostname ? ` (${res.hostname})` : ''}` },
          summary: `${res ? '' : 'Tried to '}${contain ? (res ? 'Contained' : 'contain') : res ? 'Lifted containment of' : 'lift containment of'} the host of ${req.number}${req.reason ? `: ${req.reason}` : ''}`,
          after: res ? { containment: res.containment } : undefined,
          claimed: req.actor,
        };
      },
    },
    'incidents.retryEnrichment': {
      describe: ({ req, res }) => ({
        action: 'incident.enrichment_retried',
        target: incidentTarget(req.number, res ?? null),
        summary: `${res ? 'Retried' : 'Tried to retry'} host enrichment of ${req.number}`,
      }),
    },
    'incidents.attachIoc': {
      describe: ({ req, res }) => ({
        action: 'incident.ioc_attached',
        target: incidentTarget(req.number, res ?? null),
        summary: `${res ? 'Attached' : 'Tried to attach'} ${req.input.type} ${req.input.value} to ${req.number}`,
        extra: [{ field: 'ioc', before: null, after: { type: req.input.type, value: req.input.value, action: req.input.action } }],
        claimed: req.actor,
      }),
    },
    'incidents.pollNow': {
      describe: ({ req, res }) => ({
        action: 'detections.polled',
        target: providerTarget(deps.provider(req.integrationId), req.integrationId),
        summary: `${res ? 'Polled' : 'Tried to poll'} detections of ${providerName(deps.provider(req.integrationId), req.integrationId)} now`,
      }),
    },
    'incidents.cancelPoll': {
      describe: ({ req, res }) => ({
        action: 'detections.poll_cancelled',
        target: providerTarget(deps.provider(req.integrationId), req.integrationId),
        summary: res?.cancelled
          ? `Cancelled the detections poll of ${providerName(deps.provider(req.integrationId), req.integrationId)}`
          : `Asked to cancel the detections poll of ${providerName(deps.provider(req.integrationId), req.integrationId)} (none was running)`,
      }),
    },
    'incidents.enrichment.set': {
      before: () => settled(deps.enrichment()),
      describe: ({ res }) => ({
        action: 'enrichment.changed',
        target: { kind: 'enrichment', id: null, name: 'Host enrichment mapping' },
        summary: `${res ? 'Changed' : 'Tried to change'} the host enrichment mapping`,
        after: res,
      }),
    },
    'incidents.containmentSettings.set': {
      before: () => settled(deps.containmentSettings()).then((s) => (s ? { autoContainEnabled: s.autoContainEnabled } : null)),
      describe: ({ req, res }) => ({
        action: 'containment.switch_changed',
        target: { kind: 'containment', id: null, name: 'Automatic containment switch' },
        summary: `${res ? 'Turned' : 'Tried to turn'} automatic containment ${req.autoContainEnabled ? 'on' : 'off'}`,
        after: res ? { autoContainEnabled: res.autoContainEnabled } : undefined,
        claimed: req.actor,
      }),
    },

    'iocs.push': {
      describe: ({ req, res }) => ({
        action: 'ioc.pushed',
        target: {
          kind: 'ioc',
          id: res?.status === 'created' ? res.ioc.id : res?.status === 'duplicate' ? res.existingId : null,
          name: `${req.input.type} ${req.input.value}`,
        },
        summary: !res
          ? `Tried to push ${req.input.type} ${req.input.value}`
          : res.status === 'created'
            ? `Pushed ${req.input.type} ${req.input.value} (${req.input.action}) to Falcon`
            : `Pushed ${req.input.type} ${req.input.value}: Falcon already had it, nothing created`,
        extra:
          res?.status === 'created'
            ? [
                {
                  field: 'ioc',
                  before: null,
                  after: { type: req.input.type, value: req.input.value, action: req.input.action, severity: req.input.severity ?? null },
                },
              ]
            : [],
        claimed: req.actor,
      }),
    },
    'iocs.delete': {
      before: ({ id }) => settled(deps.pushedIoc(id)),
      describe: ({ req, res, before }) => {
        const was = before as { type: string; value: string } | null;
        const name = was ? `${was.type} ${was.value}` : null;
        return {
          action: 'ioc.deleted',
          target: { kind: 'ioc', id: req.id, name },
          summary: `${res ? 'Deleted' : 'Tried to delete'} IOC ${name ?? req.id} from Falcon`,
          claimed: req.actor,
        };
      },
    },

    'users.reset': {
      describe: async ({ req, res }) => ({
        action: 'user.risk_reset',
        target: { kind: 'user', id: req.userId, name: res?.user.displayName ?? (await deps.userName(req.userId)) },
        summary: `${res ? 'Reset' : 'Tried to reset'} the risk score of ${req.userId}: ${req.reason}`,
        extra: [{ field: 'reason', before: null, after: req.reason }],
        claimed: req.actor,
      }),
    },
    'users.behaviors.set': {
      before: () => settled(deps.behaviors()),
      describe: ({ res }) => ({
        action: 'risk_behaviors.changed',
        target: { kind: 'risk_behaviors', id: null, name: 'User risk behaviors' },
        summary: `${res ? 'Changed' : 'Tried to change'} the user risk behaviors`,
        after: res,
      }),
    },

    'sinks.save': {
      before: (input) => (input.id ? deps.sink(input.id) : null),
      describe: ({ req, res, before }) => {
        const was = before as SinkConfig | null;
        const after = res?.config;
        const token = 'token' in req && Boolean(req.token);
        const fields = res ? changedFields(was, after) : [];
        const action = !was ? 'sink.added' : token && fields.length === 0 ? 'secret.replaced' : 'sink.edited';
        const name = after?.name ?? was?.name ?? req.name;
        const summaries: Record<string, string> = {
          'sink.added': `Added sink '${name}' (${req.kind})`,
          'sink.edited': `Edited sink '${name}'${token ? ' and replaced its token' : ''}`,
          'secret.replaced': `Replaced the token of sink '${name}'`,
        };
        return {
          action,
          target: sinkTarget(after ?? was, res?.config.id ?? req.id ?? null),
          summary: res ? summaries[action]! : `Tried to ${was ? 'edit' : 'add'} sink '${name}'`,
          after,
          extra: token && res ? [secretReplaced('token', was !== null)] : [],
        };
      },
    },
    'sinks.remove': {
      before: ({ id }) => deps.sink(id),
      describe: ({ req, res, before }) => {
        const was = before as SinkConfig | null;
        return {
          action: 'sink.removed',
          target: sinkTarget(was, req.id),
          summary: `${res?.removed ? 'Removed' : 'Tried to remove'} sink '${was?.name ?? req.id}', its queue and its token`,
          after: res?.removed ? null : was,
        };
      },
    },
    'sinks.test': {
      before: ({ id }) => deps.sink(id),
      describe: ({ req, res, before }) => ({
        action: 'sink.tested',
        target: sinkTarget(before as SinkConfig | null, req.id),
        summary: res
          ? `Tested sink '${(before as SinkConfig | null)?.name ?? req.id}': ${res.ok ? 'passed' : 'problems found'}`
          : `Tried to test sink ${req.id}`,
      }),
    },
    'sinks.retryDeadLetters': {
      before: ({ id }) => deps.sink(id),
      describe: ({ req, res, before }) => ({
        action: 'sink.dead_letters_retried',
        target: sinkTarget(before as SinkConfig | null, req.id),
        summary: `${res ? `Queued ${res.count}` : 'Tried to queue'} dead letters of sink '${(before as SinkConfig | null)?.name ?? req.id}' again`,
      }),
    },
    'sinks.discardDeadLetters': {
      before: ({ id }) => deps.sink(id),
      describe: ({ req, res, before }) => ({
        action: 'sink.dead_letters_discarded',
        target: sinkTarget(before as SinkConfig | null, req.id),
        summary: `${res ? `Discarded ${res.count}` : 'Tried to discard'} dead letters of sink '${(before as SinkConfig | null)?.name ?? req.id}'`,
      }),
    },
  };
}

const sinkTarget = (config: SinkConfig | null | undefined, id: string | null): AuditTarget => ({ kind: 'sink', id, name: config?.name ?? null });
