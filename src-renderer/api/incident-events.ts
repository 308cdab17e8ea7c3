// Push events of the detections pipeline invalidate the rules and incident queries they make stale.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Incident, PollerStatus } from '../../src-shared/schemas/incidents';
import { onEvent } from './client';
import { incidentKeys } from './incidents';
import { ruleKeys } from './rules';

export function useIncidentEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      onEvent((event, payload) => {
        if (event === 'rules.changed') void client.invalidateQueries({ queryKey: ruleKeys.set });
        if (event === 'incident.created' || event === 'incident.updated') {
          void client.invalidateQueries({ queryKey: incidentKeys.lists });
          void client.invalidateQueries({ queryKey: incidentKeys.detail((payload as Incident).number) });
          // Resolving may push the incident's IOCs to Falcon.
          if (event === 'incident.updated') void client.invalidateQueries({ queryKey: incidentKeys.iocs });
        }
        if (event === 'poller.status') {
          const status = payload as PollerStatus;
          const current = client.getQueryData<PollerStatus[]>(incidentKeys.pollers);
          if (current?.some((s) => s.integrationId === status.integrationId))
            client.setQueryData(incidentKeys.pollers, current.map((s) => (s.integrationId === status.integrationId ? status : s)));
          // An integration this screen has not heard of yet: ask for the whole list.
          else void client.invalidateQueries({ queryKey: incidentKeys.pollers });
          if (status.phase !== 'polling') void client.invalidateQueries({ queryKey: incidentKeys.lists });
        }
      }),
    [client],
  );
}
