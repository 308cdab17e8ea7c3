// Posture Log: every evaluation the polls recorded, filtered, sorted, watched live, opened row by row and exported to CSV.
import { Button, Group, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isPostureProviderKind } from '../../../src-shared/schemas/posture-kinds';
import { useLogChecks, useLogExport, usePostureLog, usePostureLogCount, usePostureLogTail } from '../../api/posture-log';
import { useProviders } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { isFiltered, logFilterOf, usePostureLogFilters } from '../../state/posture-log-filters';
import { useRequestedActions } from '../../state/requested-actions';
import { rowsLabel } from './describe';
import { ExportStatus } from './ExportStatus';
import { LogEmptyState, type EmptyReason } from './LogEmptyState';
import { LogFilterBar } from './LogFilterBar';
import { LogRowDrawer } from './LogRowDrawer';
import { LogTable } from './LogTable';

/** Deep links (`#/posture-log?result=fail&provider=<id>`, from the Dashboard) replace the filters once, then leave the URL. */
function useDeepLinkedFilters(): boolean {
  const [params, setParams] = useSearchParams();
  const applyLink = usePostureLogFilters((s) => s.applyLink);
  useEffect(() => {
    if (params.size === 0) return;
    applyLink(params);
    setParams({}, { replace: true });
  }, [params, applyLink, setParams]);
  return params.size > 0;
}

export function PostureLogPage() {
  const linkPending = useDeepLinkedFilters();
  const filters = usePostureLogFilters();
  const [text] = useDebouncedValue(filters.text, 300);
  const filter = useMemo(() => logFilterOf(filters, text), [filters, text]);
  const { sort, live, setSort, setLive, clear } = filters;
  const rangeError = filter.from !== undefined && filter.to !== undefined && filter.from > filter.to ? 'The end of the time range is before its start.' : null;
  const enabled = !linkPending && rangeError === null;

  const providers = useProviders();
  const checks = useLogChecks();
  const log = usePostureLog(filter, sort, { enabled });
  const count = usePostureLogCount(filter, { enabled });

  const postureProviders = useMemo(
    () => (providers.data ?? []).filter((p) => isPostureProviderKind(p.config.kind)).map((p) => ({ id: p.config.id, name: p.config.name })),
    [providers.data],
  );
  const providerName = useCallback(
    (id: string) => providers.data?.find((p) => p.config.id === id)?.config.name ?? `Removed provider ${id.slice(0, 8)}`,
    [providers.data],
  );
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.rows) ?? [], [log.data]);

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [atTop, setAtTop] = useState(true);
  const tail = usePostureLogTail(filter, sort, live, atTop);
  const exporter = useLogExport();
  const { fetchNextPage } = log;
  // Never cancel a refetch of the first page (a live refresh) to load a page after it: its cursor would be stale.
  const loadMore = useCallback(() => void fetchNextPage({ cancelRefetch: false }), [fetchNextPage]);

  // "Export the posture log" from the command palette: export the current filters once their count is known.
  const exportRequested = useRequestedActions((s) => s.pending === 'exportLog');
  const counted = enabled && count.isSuccess && !count.isPlaceholderData ? count.data.count : null;
  useEffect(() => {
    if (!exportRequested || counted === null || !useRequestedActions.getState().take('exportLog')) return;
    if (counted > 0 && exporter.job.phase !== 'running') exporter.start({ filter, sort });
  }, [exportRequested, counted, exporter, filter, sort]);

  const stale = log.isPlaceholderData || linkPending;
  let empty: EmptyReason | null = null;
  if (log.isSuccess && !stale && rows.length === 0) {
    // Filters first: rows of a removed provider can still be in the log, so "no providers" would mislead.
    if (isFiltered(filters)) empty = 'filtered';
    else if (providers.isSuccess && postureProviders.length === 0) empty = 'no-providers';
    else if (checks.isSuccess && checks.data.length === 0) empty = 'no-checks';
    else empty = 'no-polls';
  }

  return (
    <Stack gap="sm" h="calc(100dvh - var(--app-shell-header-height, 48px) - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" align="baseline">
          <Title order={2}>Posture Log</Title>
          <Text size="sm" data-testid="log-total" aria-live="polite">
            {!enabled ? '' : count.data ? rowsLabel(count.data.count) : count.isFetching ? 'Counting…' : ''}
          </Text>
          {(stale || log.isFetching) && log.data && <Loader size="xs" aria-label="Updating the posture log" />}
        </Group>
        <Group gap="md" wrap="nowrap">
          <Switch label="Live tail" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} title="Show rows from new polls as they arrive" />
          <Button
            leftSection={<IconDownload size={16} />}
            loading={exporter.job.phase === 'starting'}
            disabled={exporter.job.phase === 'running' || !enabled || !count.data?.count}
            onClick={() => exporter.start({ filter, sort })}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      <LogFilterBar providers={postureProviders} checks={checks.data ?? []} rangeError={rangeError} />
      <ExportStatus job={exporter.job} onCancel={exporter.cancel} onDismiss={exporter.dismiss} />
      {log.isError && <ErrorNotice error={log.error} />}
      {log.isPending && enabled && <Loader aria-label="Loading the posture log" />}
      {empty && <LogEmptyState reason={empty} onClear={clear} />}
      {/* A backwards custom range queries nothing, so it shows nothing rather than the last filter's rows. */}
      {enabled && rows.length > 0 && (
        <LogTable
          key={JSON.stringify([filter, sort])}
          rows={rows}
          total={count.data?.count}
          view={filter.view}
          sort={sort}
          onSort={setSort}
          providerName={providerName}
          hasMore={log.hasNextPage}
          loadingMore={log.isFetching}
          onNearEnd={loadMore}
          stale={stale}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onOpen={setOpenId}
          atTop={atTop}
          onAtTopChange={setAtTop}
          newRows={tail.newRows}
          onShowNewRows={tail.showNewRows}
        />
      )}
      <LogRowDrawer row={rows.find((r) => r.id === openId)} providerName={providerName} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
