// The posture log: keyset pages for the virtualized table, the total, the live tail, and CSV export with progress.
import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ExportProgress, ExportRequest, LogAppended, LogFilter, LogPage, LogRow, LogSort } from '../../src-shared/schemas/posture-log';
import { searchNeedles } from '../../src-shared/schemas/posture-log-values';
import { ContractError } from '../../src-shared/contract-error';
import { call, onContractEvent } from './client';
import { logPageRequest } from './log-page-request';
/** How long the pages of a filter no screen shows stay cached (the default is five minutes). */
export const LOG_PAGES_GC_MS = 30_000;

export const postureLogKeys = {
  all: ['postureLog'] as const,
  pages: (filter: LogFilter, sort: LogSort) => ['postureLog', 'pages', filter, sort] as const,
  count: (filter: LogFilter) => ['postureLog', 'count', filter] as const,
};

/** The keyset pages of a filter and sort: shared by the table's hook and the first page fetched before the app mounts. */
export function postureLogPages(filter: LogFilter, sort: LogSort) {
  return infiniteQueryOptions({
    queryKey: postureLogKeys.pages(filter, sort),
    queryFn: ({ pageParam }) => call('postureLog.query', logPageRequest(filter, sort, pageParam)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: LogPage) => last.nextCursor ?? undefined,
    // Thousands of scrolled rows per filter: let a filter left behind (or the closed screen) free them soon.
    gcTime: LOG_PAGES_GC_MS,
  });
}

/** Pages of the log for this filter and sort, fetched one keyset page at a time as the table scrolls. */
export function usePostureLog(filter: LogFilter, sort: LogSort, options: { enabled: boolean }) {
  return useInfiniteQuery({
    ...postureLogPages(filter, sort),
    // The old rows stay on screen (dimmed) while a new filter loads, instead of flashing an empty table.
    placeholderData: keepPreviousData,
    enabled: options.enabled,
  });
}

/** The total of a filter: shared by the hook and the first screen's start. */
export function postureLogCount(filter: LogFilter) {
  return queryOptions({ queryKey: postureLogKeys.count(filter), queryFn: () => call('postureLog.count', filter) });
}

/** How many rows the filter matches in all. */
export function usePostureLogCount(filter: LogFilter, options: { enabled: boolean }) {
  return useQuery({
    ...postureLogCount(filter),
    placeholderData: keepPreviousData,
    enabled: options.enabled,
  });
}

/** Saved checks, for the check filter and names. Its own key until a shared checks hook lands; `checks.changed` refreshes every ['checks', …]. */
export const logChecksQuery = queryOptions({ queryKey: ['checks', 'posture-log'], queryFn: () => call('checks.list', {}) });

export function useLogChecks() {
  return useQuery(logChecksQuery);
}

/** Whether a pushed row belongs to the filter, so the "new rows" pill counts only what the table would show. */
function matches(row: LogRow, filter: LogFilter): boolean {
  if (filter.from !== undefined && row.at < filter.from) return false;
  if (filter.to !== undefined && row.at > filter.to) return false;
  if (filter.providerIds && !filter.providerIds.includes(row.providerId)) return false;
  if (filter.checkIds && !filter.checkIds.includes(row.checkId)) return false;
  if (filter.results && !filter.results.includes(row.result)) return false;
  if (filter.text) {
    // The store's search: device name and match key.
    const searched = `${row.deviceName}\n${row.serialKey ?? ''}`.toLowerCase();
    if (!searchNeedles(filter.text).some((needle) => searched.includes(needle))) return false;
  }
  return true;
}

/**
 * The live tail. While `live`, each `postureLog.appended` refreshes the total; at the top of the table it also
 * refetches the first page (dropping the others, so a refresh is one request, not one per page scrolled);
 * scrolled away, it counts the matching new rows for a "show" pill instead of moving what the admin reads.
 */
export function usePostureLogTail(filter: LogFilter, sort: LogSort, live: boolean, atTop: boolean) {
  const client = useQueryClient();
  const filterKey = JSON.stringify([filter, sort]);
  const [pending, setPending] = useState({ key: filterKey, rows: 0 });

  const showNewRows = () => {
    const pagesKey = postureLogKeys.pages(filter, sort);
    client.setQueryData<InfiniteData<LogPage, string | undefined>>(
      pagesKey,
      (data) => data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) },
    );
    void client.invalidateQueries({ queryKey: pagesKey, exact: true });
    setPending({ key: filterKey, rows: 0 });
  };

  const onAppended = useEffectEvent((appended: LogAppended) => {
    void client.invalidateQueries({ queryKey: postureLogKeys.count(filter) });
    const fresh = appended.rows.filter((row) => matches(row, filter)).length;
    // The other views change at every poll even when no run opened; only the changes view can skip empty news.
    if (fresh === 0 && filter.view === 'changes') return;
    if (atTop) showNewRows();
    else setPending((p) => ({ key: filterKey, rows: (p.key === filterKey ? p.rows : 0) + fresh }));
  });

  useEffect(() => {
    if (!live) return;
    return onContractEvent('postureLog.appended', (appended) => onAppended(appended));
  }, [live]);

  return { newRows: pending.key === filterKey ? pending.rows : 0, showNewRows };
}

export type ExportJob =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running' | 'done' | 'cancelled'; exportId: string; file: string; progress: ExportProgress | null }
  | { phase: 'failed'; message: string; fix?: string | undefined };

/** The web host serves a finished export by id (same origin, session cookie); the browser saves it. */
function downloadInBrowser(exportId: string) {
  const link = document.createElement('a');
  link.href = `/api/exports/${encodeURIComponent(exportId)}`;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * A CSV export of exactly a filter and sort, with its progress. Progress events are heard for as long as the
 * screen is open, because the first (even the last) can arrive before `postureLog.export` answers.
 */
export function useLogExport() {
  return useCsvExport((request: ExportRequest) => call('postureLog.export', request));
}

/**
 * Any CSV export job (`begin` starts it: the posture log's, the coverage list's), with its progress, cancel and, in
 * the browser, the download: every export is a job of the same kind in the main process.
 */
export function useCsvExport<R>(begin: (request: R) => Promise<{ exportId: string; file: string | null }>) {
  const [job, setJob] = useState<ExportJob>({ phase: 'idle' });
  const early = useRef(new Map<string, ExportProgress>());
  const active = useRef<string | null>(null);

  const apply = (progress: ExportProgress) => {
    if (progress.state === 'failed') {
      active.current = null;
      setJob({ phase: 'failed', message: progress.error ?? 'The export could not be written.' });
      return;
    }
    if (progress.state !== 'running') active.current = null;
    setJob({ phase: progress.state, exportId: progress.exportId, file: progress.file ?? '', progress });
    // In Electron the save dialog already put the file where the admin chose; the browser needs a download.
    if (progress.state === 'done' && !window.postureConsole) downloadInBrowser(progress.exportId);
  };

  const onProgress = useEffectEvent((progress: ExportProgress) => {
    if (progress.exportId === active.current) apply(progress);
    else early.current.set(progress.exportId, progress);
  });
  useEffect(() => onContractEvent('export.progress', (progress) => onProgress(progress)), []);

  const start = useMutation({
    mutationFn: begin,
    onMutate: () => {
      early.current.clear();
      setJob({ phase: 'starting' });
    },
    onSuccess: ({ exportId, file }) => {
      // The admin closed the save dialog: nothing happened, so nothing to say.
      if (file === null) return setJob({ phase: 'idle' });
      active.current = exportId;
      setJob({ phase: 'running', exportId, file, progress: null });
      const seen = early.current.get(exportId);
      if (seen) apply(seen);
    },
    onError: (error) => setJob({ phase: 'failed', message: error.message, fix: error instanceof ContractError ? error.fix : undefined }),
  });

  const cancel = useMutation({
    // Every export job is cancelled by its id, whatever it exports.
    mutationFn: (exportId: string) => call('postureLog.cancelExport', { exportId }),
  });

  return {
    job,
    start: start.mutate,
    cancel: () => {
      if (job.phase === 'running') cancel.mutate(job.exportId);
    },
    dismiss: () => setJob({ phase: 'idle' }),
  };
}
