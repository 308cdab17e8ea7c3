// Push events -> query-cache updates: one typed table, so every event's effect on server state is in one place.
import type { QueryClient } from '@tanstack/react-query';
import type { EventName, EventPayload } from '../../src-shared/contract';
import type { PollerStatus } from '../../src-shared/schemas/incidents';
import { appKeys } from './app';
import { auditKeys } from './audit';
import { coverageKeys } from './coverage';
import { incidentKeys } from './incidents';
import { postureKeys } from './posture';
import { providerKeys } from './providers';
import { ruleKeys } from './rules';
import { sinkKeys } from './sinks';
import { userKeys } from './users';

type CacheRoute<E extends EventName> = (client: QueryClient, payload: EventPayload<E>) => void;

const refresh = (client: QueryClient, ...keys: readonly (readonly unknown[])[]) => {
  for (const queryKey of keys) void client.invalidateQueries({ queryKey });
};

/**
 * What each push event does to the cache. Every event has an entry: `null` names an event that changes no cached
 * query (a screen listens for it through `onContractEvent` while it is open), so a new event must be decided here.
 */
export const cacheRoutes: { [E in EventName]: CacheRoute<E> | null } = {
  'settings.changed': (client, settings) => client.setQueryData(appKeys.settings, settings),
  'providers.changed': (client) => refresh(client, providerKeys.all, postureKeys.dashboard, coverageKeys.all),
  'providers.testProgress': null,
  // A provider's health says whether any check runs on it ("No checks").
  'checks.changed': (client) => refresh(client, postureKeys.checks, providerKeys.all, postureKeys.dashboard),
  'poll.status': (client, status) => {
    refresh(client, postureKeys.status);
    // A finished poll changes the inventory and the dashboard; progress alone does not.
    if (status.state !== 'polling') refresh(client, postureKeys.allDevices, postureKeys.dashboard, coverageKeys.all);
  },
  'postureLog.appended': null,
  'export.progress': null,
  'rules.changed': (client) => refresh(client, ruleKeys.set),
  'incident.created': (client, incident) => refresh(client, incidentKeys.lists, incidentKeys.detail(incident.number)),
  // Resolving may push the incident's IOCs to Falcon.
  'incident.updated': (client, incident) => refresh(client, incidentKeys.lists, incidentKeys.detail(incident.number), incidentKeys.iocs),
  'poller.status': (client, status) => {
    const current = client.getQueryData<PollerStatus[]>(incidentKeys.pollers);
    if (current?.some((s) => s.integrationId === status.integrationId))
      client.setQueryData(
        incidentKeys.pollers,
        current.map((s) => (s.integrationId === status.integrationId ? status : s)),
      );
    // An integration this screen has not heard of yet: ask for the whole list.
    else refresh(client, incidentKeys.pollers);
    if (status.phase !== 'polling') refresh(client, incidentKeys.lists);
  },
  // A new evaluation, a reset or new behaviors change the user lists, details and the dashboard's risk counts.
  'users.changed': (client) => refresh(client, userKeys.all, postureKeys.dashboard),
  'sinks.changed': (client) => refresh(client, sinkKeys.all),
  'sinks.testProgress': null,
  // Every admin action appends an entry: the Audit screen shows it without a reload.
  'audit.appended': (client) => refresh(client, auditKeys.all),
};

/** Applies one push event to the cache. */
export function routeEvent<E extends EventName>(client: QueryClient, event: E, payload: EventPayload<E>): void {
  const route: CacheRoute<E> | null = cacheRoutes[event];
  route?.(client, payload);
}
