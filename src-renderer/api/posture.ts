// Posture over the contract: checks and their what-if, the matched device inventory, the dashboard, and polling.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeviceQuery } from '../../src-shared/schemas/inventory';
import type { PollStatus, PostureCheckInput } from '../../src-shared/schemas/posture';
import { call } from './client';

/** Prefixes match cache-routes.ts: checks.changed, poll.status and providers.changed refresh these. */
export const postureKeys = {
  checks: ['checks'] as const,
  whatIf: (draft: PostureCheckInput | null) => ['checks', 'whatIf', draft] as const,
  allDevices: ['devices'] as const,
  devices: (query: DeviceQuery) => ['devices', 'list', query] as const,
  device: (key: string | null) => ['devices', 'detail', key] as const,
  dashboard: ['dashboard'] as const,
  status: ['posture.status'] as const,
};

export function useChecks() {
  return useQuery({ queryKey: postureKeys.checks, queryFn: () => call('checks.list', {}) });
}

export function useSaveCheck() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PostureCheckInput) => call('checks.save', input),
    onSuccess: () => client.invalidateQueries({ queryKey: postureKeys.checks }),
  });
}

export function useRemoveCheck() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('checks.remove', { id }),
    onSuccess: () => client.invalidateQueries({ queryKey: postureKeys.checks }),
  });
}

/** The draft evaluated on the current inventory; `null` while the draft is incomplete. Keeps the last answer while the next one runs. */
export function useWhatIf(draft: PostureCheckInput | null, limit = 100) {
  return useQuery({
    queryKey: postureKeys.whatIf(draft),
    queryFn: () => call('checks.whatIf', { draft: draft!, limit }),
    enabled: draft !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function useDevices(query: DeviceQuery) {
  return useQuery({ queryKey: postureKeys.devices(query), queryFn: () => call('devices.list', query), placeholderData: keepPreviousData });
}

export function useDevice(key: string | null) {
  return useQuery({ queryKey: postureKeys.device(key), queryFn: () => call('devices.get', { key: key! }), enabled: key !== null });
}

export function useDashboard() {
  return useQuery({ queryKey: postureKeys.dashboard, queryFn: () => call('dashboard.summary', {}) });
}

/** The scheduler's state per provider; poll.status events refresh it while a poll runs. */
export function usePollStatus() {
  return useQuery({ queryKey: postureKeys.status, queryFn: () => call('posture.status', {}), staleTime: 0 });
}

/** Resolves when the poll has finished (succeeded, failed or cancelled). */
export function usePollNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) => call('posture.pollNow', { providerId }),
    onMutate: () => client.invalidateQueries({ queryKey: postureKeys.status }),
    onSettled: () => client.invalidateQueries({ queryKey: postureKeys.dashboard }),
  });
}

export function useCancelPoll() {
  return useMutation({ mutationFn: (providerId: string) => call('posture.cancel', { providerId }) });
}

function useSchedulerSwitch(channel: 'posture.pause' | 'posture.resume') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) => call(channel, { providerId }),
    // The answer is the new state of every provider: no need to ask again.
    onSuccess: (statuses: PollStatus[]) => client.setQueryData(postureKeys.status, statuses),
  });
}

export function usePausePolling() {
  return useSchedulerSwitch('posture.pause');
}

export function useResumePolling() {
  return useSchedulerSwitch('posture.resume');
}
