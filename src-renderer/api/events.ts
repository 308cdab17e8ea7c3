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
        if (event === 'providers.changed') void client.invalidateQueries({ queryKey: providerKeys.all });
      }),
    [client],
  );
}
