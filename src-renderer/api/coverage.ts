// Coverage over the contract: the pair counts, the devices of a pair page by page, and the CSV of exactly that set.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CoverageExportRequest, CoverageFilter, CoveragePage } from '../../src-shared/schemas/coverage';
import { call } from './client';
import { useCsvExport } from './posture-log';

/** Devices per request: a few screens of the list. */
export const COVERAGE_PAGE_SIZE = 200;

/** Prefix matches cache-routes.ts: a finished poll and a provider change refresh every ['coverage', …]. */
export const coverageKeys = {
  all: ['coverage'] as const,
  summary: ['coverage', 'summary'] as const,
  pages: (filter: CoverageFilter) => ['coverage', 'pages', filter] as const,
};

export function useCoverageSummary() {
  return useQuery({ queryKey: coverageKeys.summary, queryFn: () => call('coverage.summary', {}) });
}

/** The filtered devices, fetched a page at a time as the list scrolls; `null` asks for nothing. */
export function useCoverageDevices(filter: CoverageFilter | null) {
  return useInfiniteQuery({
    queryKey: coverageKeys.pages(filter ?? {}),
    queryFn: ({ pageParam }) => call('coverage.query', { filter: filter ?? {}, offset: pageParam, limit: COVERAGE_PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: (last: CoveragePage, pages: CoveragePage[]) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return loaded < last.total && last.items.length > 0 ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
    enabled: filter !== null,
  });
}

export function useCoverageExport() {
  return useCsvExport((request: CoverageExportRequest) => call('coverage.export', request));
}
