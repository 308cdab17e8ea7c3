// Incidents over the contract: the list and one incident, its state, notes, containment, enrichment and IOCs;
// the detection pollers; pushed IOCs; and the response settings (enrichment mapping, auto-containment switch).
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  ContainmentRequest,
  ContainmentSettingsInput,
  EnrichmentMapping,
  IncidentCsvRequest,
  IncidentIocRequest,
  IncidentNote,
  IncidentQuery,
  IocDeleteRequest,
  IocPushRequest,
  PushedIocQuery,
  StateChange,
} from '../../src-shared/schemas/incidents';
import { call } from './client';
import { providerKeys } from './providers';

/** Prefixes match cache-routes.ts: incident events refresh `lists` and the incident's `detail`, poller events `pollers`. */
export const incidentKeys = {
  all: ['incidents'] as const,
  lists: ['incidents', 'list'] as const,
  list: (query: Partial<IncidentQuery>) => ['incidents', 'list', query] as const,
  details: ['incidents', 'detail'] as const,
  detail: (number: string) => ['incidents', 'detail', number] as const,
  pollers: ['incidents', 'pollers'] as const,
  enrichment: ['incidents', 'enrichment'] as const,
  containmentSettings: ['incidents', 'containmentSettings'] as const,
  iocs: ['iocs'] as const,
  iocList: (query: Partial<PushedIocQuery>) => ['iocs', query] as const,
};

/** The Falcon detections → incidents connections (shares the providers cache entry). */
export function useDetectionIntegrations() {
  return useQuery({
    queryKey: providerKeys.all,
    queryFn: () => call('providers.list', {}),
    select: (views) => views.filter((v) => v.config.kind === 'crowdstrike-falcon-incidents').map((v) => ({ value: v.config.id, label: v.config.name })),
  });
}

export function useIncidents(query: Partial<IncidentQuery>) {
  return useQuery({ queryKey: incidentKeys.list(query), queryFn: () => call('incidents.list', query), placeholderData: keepPreviousData });
}

export function useIncident(number: string) {
  return useQuery({ queryKey: incidentKeys.detail(number), queryFn: () => call('incidents.get', { number }) });
}

/** After a change to one incident: its detail, every list, and the IOCs it may have pushed. */
function refreshIncident(client: QueryClient, number: string) {
  void client.invalidateQueries({ queryKey: incidentKeys.detail(number) });
  void client.invalidateQueries({ queryKey: incidentKeys.lists });
  void client.invalidateQueries({ queryKey: incidentKeys.iocs });
}

function useIncidentMutation<T extends { number: string }>(mutationFn: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSuccess: (_result, input) => refreshIncident(client, input.number) });
}

export function useChangeIncidentState() {
  return useIncidentMutation((change: StateChange) => call('incidents.changeState', change));
}

export function useAddIncidentNote() {
  return useIncidentMutation((note: IncidentNote) => call('incidents.addNote', note));
}

export function useIncidentContainment() {
  return useIncidentMutation((request: ContainmentRequest) => call('incidents.containment', request));
}

export function useRetryEnrichment() {
  return useIncidentMutation((ref: { number: string }) => call('incidents.retryEnrichment', ref));
}

export function useAttachIoc() {
  return useIncidentMutation((request: IncidentIocRequest) => call('incidents.attachIoc', request));
}

/** Every incident matching the filter as CSV text (no paging). */
export function useExportIncidentsCsv() {
  return useMutation({ mutationFn: (filter: IncidentCsvRequest) => call('incidents.exportCsv', filter) });
}

export function usePollerStatus() {
  return useQuery({ queryKey: incidentKeys.pollers, queryFn: () => call('incidents.pollerStatus', {}), staleTime: 0 });
}

/** Polls one detections integration now; resolves with the batch when it has finished. */
export function usePollIncidentsNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) => call('incidents.pollNow', { integrationId }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: incidentKeys.pollers });
      void client.invalidateQueries({ queryKey: incidentKeys.lists });
    },
  });
}

/** Stops an integration's poll in flight; the poller's schedule goes on. */
export function useCancelIncidentPoll() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) => call('incidents.cancelPoll', { integrationId }),
    onSettled: () => void client.invalidateQueries({ queryKey: incidentKeys.pollers }),
  });
}

export function usePushedIocs(query: Partial<PushedIocQuery>) {
  return useQuery({ queryKey: incidentKeys.iocList(query), queryFn: () => call('iocs.list', query), placeholderData: keepPreviousData });
}

export function usePushIoc() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: IocPushRequest) => call('iocs.push', request),
    onSuccess: () => client.invalidateQueries({ queryKey: incidentKeys.iocs }),
  });
}

export function useDeleteIoc() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: IocDeleteRequest) => call('iocs.delete', request),
    onSuccess: () => client.invalidateQueries({ queryKey: incidentKeys.iocs }),
  });
}

export function useEnrichmentMapping() {
  return useQuery({ queryKey: incidentKeys.enrichment, queryFn: () => call('incidents.enrichment.get', {}) });
}

export function useSaveEnrichmentMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mapping: EnrichmentMapping) => call('incidents.enrichment.set', { mapping }),
    onSuccess: (saved) => client.setQueryData(incidentKeys.enrichment, saved),
  });
}

export function useContainmentSettings() {
  return useQuery({ queryKey: incidentKeys.containmentSettings, queryFn: () => call('incidents.containmentSettings.get', {}) });
}

export function useSaveContainmentSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ContainmentSettingsInput) => call('incidents.containmentSettings.set', input),
    onSuccess: (saved) => client.setQueryData(incidentKeys.containmentSettings, saved),
  });
}
