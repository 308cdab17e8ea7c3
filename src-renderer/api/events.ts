// Push events invalidate the queries they make stale; the cache stays the only copy of server state.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { appKeys } from './app';
import { onEvent } from './client';
import { providerKeys } from './providers';

export function useContractEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      onEvent((event, payload) => {
        if (event === 'settings.changed') client.setQueryData(appKeys.settings, payload);
        if (event === 'providers.changed') {
          void client.invalidateQueries({ queryKey: providerKeys.all });
          void client.invalidateQueries({ queryKey: ['dashboard'] });
        }
        if (event === 'checks.changed') {
          void client.invalidateQueries({ queryKey: ['checks'] });
          // A provider's health says whether any check runs on it ("No checks").
          void client.invalidateQueries({ queryKey: providerKeys.all });
          void client.invalidateQueries({ queryKey: ['dashboard'] });
        }
        if (event === 'poll.status') {
          // A finished poll changes the inventory and the dashboard; progress alone does not.
          void client.invalidateQueries({ queryKey: ['posture.status'] });
          if ((payload as { state: string }).state !== 'polling') {
            void client.invalidateQueries({ queryKey: ['devices'] });
            void client.invalidateQueries({ queryKey: ['dashboard'] });
          }
        }
      }),
    [client],
  );
}
