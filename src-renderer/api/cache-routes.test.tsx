import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { events, type EventName, type EventPayload } from '../../src-shared/contract';
import { appKeys } from './app';
import type { Transport } from './bridge';
import { cacheRoutes, routeEvent } from './cache-routes';
import { useContractEvents } from './events';
import { incidentKeys } from './incidents';
import { postureKeys } from './posture';
import { providerKeys } from './providers';
import { ruleKeys } from './rules';
import { userKeys } from './users';

/** A payload with only the fields a route reads; the routes must not need more. */
const payload = <E extends EventName>(_event: E, fields: object) => fields as EventPayload<E>;

let client: QueryClient;
const seed = (...keys: (readonly unknown[])[]) => keys.forEach((key) => client.setQueryData(key, ['cached']));
const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;

beforeEach(() => {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});

describe('push events to the query cache', () => {
  it('every event of the contract has been decided: a cache route or null', () => {
    expect(Object.keys(cacheRoutes).sort()).toEqual(Object.keys(events).sort());
  });

  it('settings.changed puts the new settings in the cache without a refetch', () => {
    const settings = payload('settings.changed', { theme: 'dark' });
    routeEvent(client, 'settings.changed', settings);
    expect(client.getQueryData(appKeys.settings)).toBe(settings);
  });

  it('providers.changed refreshes the providers and the dashboard, nothing else', () => {
    seed(providerKeys.all, postureKeys.dashboard, postureKeys.checks);
    routeEvent(client, 'providers.changed', payload('providers.changed', {}));
    expect([stale(providerKeys.all), stale(postureKeys.dashboard), stale(postureKeys.checks)]).toEqual([true, true, false]);
  });

  it('checks.changed refreshes every checks query, including the what-if of a draft', () => {
    seed(postureKeys.checks, postureKeys.whatIf(null), ['checks', 'posture-log']);
    routeEvent(client, 'checks.changed', payload('checks.changed', {}));
    expect([stale(postureKeys.checks), stale(postureKeys.whatIf(null)), stale(['checks', 'posture-log'])]).toEqual([true, true, true]);
  });

  it('poll progress refreshes the poll status only; a finished poll also the devices and the dashboard', () => {
    const devices = postureKeys.devices({} as never);
    seed(postureKeys.status, devices, postureKeys.dashboard);
    routeEvent(client, 'poll.status', payload('poll.status', { state: 'polling' }));
    expect([stale(postureKeys.status), stale(devices), stale(postureKeys.dashboard)]).toEqual([true, false, false]);
    routeEvent(client, 'poll.status', payload('poll.status', { state: 'idle' }));
    expect([stale(devices), stale(postureKeys.dashboard)]).toEqual([true, true]);
  });

  it('an updated incident refreshes the lists, its own detail and the IOCs; another incident stays', () => {
    seed(incidentKeys.list({}), incidentKeys.detail('INC0000001'), incidentKeys.detail('INC0000002'), incidentKeys.iocs);
    routeEvent(client, 'incident.created', payload('incident.created', { number: 'INC0000001' }));
    expect([
      stale(incidentKeys.list({})),
      stale(incidentKeys.detail('INC0000001')),
      stale(incidentKeys.detail('INC0000002')),
      stale(incidentKeys.iocs),
    ]).toEqual([true, true, false, false]);
    routeEvent(client, 'incident.updated', payload('incident.updated', { number: 'INC0000002' }));
    expect([stale(incidentKeys.detail('INC0000002')), stale(incidentKeys.iocs)]).toEqual([true, true]);
  });

  it("poller.status replaces a known integration's status in place and asks for the list when it is new", () => {
    client.setQueryData(incidentKeys.pollers, [
      { integrationId: 'a', phase: 'idle' },
      { integrationId: 'b', phase: 'idle' },
    ]);
    routeEvent(client, 'poller.status', payload('poller.status', { integrationId: 'b', phase: 'polling' }));
    expect(client.getQueryData(incidentKeys.pollers)).toEqual([
      { integrationId: 'a', phase: 'idle' },
      { integrationId: 'b', phase: 'polling' },
    ]);
    expect(stale(incidentKeys.pollers)).toBe(false);
    routeEvent(client, 'poller.status', payload('poller.status', { integrationId: 'c', phase: 'polling' }));
    expect(stale(incidentKeys.pollers)).toBe(true);
  });

  it('rules.changed refreshes the saved rule set; users.changed every user query and the dashboard', () => {
    seed(ruleKeys.set, userKeys.list({}), userKeys.detail('u1'), postureKeys.dashboard);
    routeEvent(client, 'rules.changed', payload('rules.changed', {}));
    routeEvent(client, 'users.changed', payload('users.changed', {}));
    expect([stale(ruleKeys.set), stale(userKeys.list({})), stale(userKeys.detail('u1')), stale(postureKeys.dashboard)]).toEqual([true, true, true, true]);
  });

  it('events that belong to one open screen leave the cache alone', () => {
    seed(providerKeys.all, postureKeys.status);
    routeEvent(client, 'providers.testProgress', payload('providers.testProgress', { providerId: 'p', step: {} }));
    routeEvent(client, 'postureLog.appended', payload('postureLog.appended', { rows: [] }));
    expect([stale(providerKeys.all), stale(postureKeys.status)]).toEqual([false, false]);
  });
});

describe('useContractEvents', () => {
  it('routes what the transport pushes, ignores names outside the contract, and stops listening on unmount', () => {
    const listeners = new Set<(message: { event: string; payload: unknown }) => void>();
    const transport: Transport = {
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    window.postureConsole = transport;
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    seed(ruleKeys.set);
    const { unmount } = renderHook(() => useContractEvents(), { wrapper });
    expect(listeners.size).toBe(1);
    act(() => listeners.forEach((l) => l({ event: 'no.such.event', payload: {} })));
    expect(stale(ruleKeys.set)).toBe(false);
    act(() => listeners.forEach((l) => l({ event: 'rules.changed', payload: {} })));
    expect(stale(ruleKeys.set)).toBe(true);
    unmount();
    expect(listeners.size).toBe(0);
  });
});
