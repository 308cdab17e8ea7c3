// The one subscriber that keeps server state fresh: every push event goes through the cacheRoutes table.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { routeEvent } from './cache-routes';
import { onEvent } from './client';

export function useContractEvents(): void {
  const client = useQueryClient();
  useEffect(() => onEvent((event, payload) => routeEvent(client, event, payload)), [client]);
}
