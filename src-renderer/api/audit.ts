// The audit trail over the contract: pages of entries (newest first), the chain check and CSV export.
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditFilter } from '../../src-shared/schemas/audit';
import { call } from './client';

/** Every key starts with 'audit', so `audit.appended` refreshes them all at once. */
export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter) => ['audit', 'list', filter] as const,
};

export const AUDIT_PAGE_SIZE = 200;

export function useAuditTrail(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam }) => call('audit.query', { ...filter, limit: AUDIT_PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

/** Checks the chain now; the answer names the first broken entry. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => call('audit.verify', {}) });
}

/** The filtered trail as CSV text; the page turns it into a download. */
export function useExportAudit() {
  return useMutation({ mutationFn: async (filter: AuditFilter) => (await call('audit.export', filter)).csv });
}
