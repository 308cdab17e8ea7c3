// User risk over the contract: users by level, one user's detail, reset, the risk behaviors and CSV export.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RiskBehaviors, UserFilter, UserQuery, UserReset } from '../../src-shared/schemas/users';
import { call } from './client';

/** Every key starts with 'users', so `users.changed` refreshes them all at once. */
export const userKeys = {
  all: ['users'] as const,
  list: (query: Partial<UserQuery>) => ['users', 'list', query] as const,
  detail: (userId: string | null) => ['users', 'detail', userId] as const,
  behaviors: ['users', 'behaviors'] as const,
};

export function useUsers(query: Partial<UserQuery>) {
  return useQuery({ queryKey: userKeys.list(query), queryFn: () => call('users.list', query), placeholderData: keepPreviousData });
}

export function useUser(userId: string | null) {
  return useQuery({ queryKey: userKeys.detail(userId), queryFn: () => call('users.get', { userId: userId! }), enabled: userId !== null });
}

export function useResetUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: UserReset) => call('users.reset', request),
    onSuccess: (detail) => {
      client.setQueryData(userKeys.detail(detail.user.id), detail);
      void client.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}

export function useRiskBehaviors() {
  return useQuery({ queryKey: userKeys.behaviors, queryFn: () => call('users.behaviors.get', {}) });
}

export function useSaveRiskBehaviors() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (behaviors: RiskBehaviors) => call('users.behaviors.set', { behaviors }),
    onSuccess: (saved) => {
      client.setQueryData(userKeys.behaviors, saved);
      void client.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}

/** The filtered list as CSV text; the page turns it into a download. */
export function useExportUsers() {
  return useMutation({ mutationFn: async (filter: UserFilter) => (await call('users.exportCsv', filter)).csv });
}
