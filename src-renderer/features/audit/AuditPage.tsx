// Audit: every admin action with its actor (desktop, web host session, CLI command), filters, the entry's before and
// after, CSV export of the filtered trail, and Verify, which checks the hash chain and names the first broken entry.
import { Button, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { AuditEntry, AuditFilter, AuditSurface } from '../../../src-shared/schemas/audit';
import { useAuditTrail, useExportAudit, useVerifyAudit } from '../../api/audit';
import { ErrorNotice } from '../../app/ErrorNotice';
import { countOf } from '../../app/numbers';
import { SearchField } from '../../app/SearchField';
import { downloadCsv } from '../users/download-csv';
import { AuditDetail } from './AuditDetail';
import { AuditList } from './AuditList';
import { VerifyResult } from './VerifyResult';

const surfaces = [
  { value: '', label: 'All' },
  { value: 'desktop', label: 'Desktop' },
  { value: 'web', label: 'Web host' },
  { value: 'cli', label: 'CLI' },
];

/** A datetime-local value (no zone) as the ISO instant the filter takes. */
const instant = (local: string): string | undefined => {
  const ms = Date.parse(local);
  return local && !Number.isNaN(ms) ? new Date(ms).toISOString() : undefined;
};

export function AuditPage() {
  const [search, setSearch] = useState('');
  const [surface, setSurface] = useState<AuditSurface | null>(null);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const [texts] = useDebouncedValue({ search: search.trim(), actor: actor.trim(), action: action.trim(), target: target.trim() }, 300);

  const filter: AuditFilter = {
    ...(texts.search && { search: texts.search }),
    ...(texts.actor && { actor: texts.actor }),
    ...(texts.action && { action: texts.action }),
    ...(texts.target && { target: texts.target }),
    ...(surface && { surface }),
    ...(instant(from) && { from: instant(from) }),
    ...(instant(to) && { to: instant(to) }),
  };
  const trail = useAuditTrail(filter);
  const verify = useVerifyAudit();
  const exporter = useExportAudit();
  const entries = trail.data?.pages.flatMap((p) => p.entries) ?? [];
  const total = trail.data?.pages[0]?.total ?? 0;
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = trail;
  const more = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = Object.keys(filter).length > 0;

  const exportCsv = async () => {
    const csv = await exporter.mutateAsync(filter);
    downloadCsv(csv, `audit-${new Date().toISOString().slice(0, 10)}.csv`);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Audit</Title>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconShieldCheck size={16} />} onClick={() => verify.mutate()} loading={verify.isPending}>
            Verify
          </Button>
          <Button
            leftSection={<IconDownload size={16} />}
            onClick={() => void exportCsv().catch(() => undefined)}
            loading={exporter.isPending}
            disabled={total === 0}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Every change an admin made, from the desktop app, the web host or the command line, with before and after values (secrets only as changed). Entries are
        chained with a key kept in the vault: Verify checks that none was edited, removed or reordered.
      </Text>
      {verify.data && <VerifyResult result={verify.data} onClose={() => verify.reset()} />}
      {verify.isError && <ErrorNotice error={verify.error} />}
      {exporter.isError && <ErrorNotice error={exporter.error} />}

      <Group gap="sm" align="flex-end" component="search" aria-label="Filter the audit trail">
        <SearchField placeholder="Text anywhere in an entry" value={search} onSearch={setSearch} />
        <NativeSelect
          label="Surface"
          data={surfaces}
          value={surface ?? ''}
          onChange={(e) => setSurface((e.currentTarget.value || null) as AuditSurface | null)}
          w={140}
        />
        <TextInput label="Actor" placeholder="OS user, session, name" value={actor} onChange={(e) => setActor(e.currentTarget.value)} w={180} />
        <TextInput label="Action" placeholder="provider, ioc.pushed" value={action} onChange={(e) => setAction(e.currentTarget.value)} w={170} />
        <TextInput label="Target" placeholder="Name or id" value={target} onChange={(e) => setTarget(e.currentTarget.value)} w={170} />
        <TextInput label="From" type="datetime-local" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={200} />
        <TextInput label="To" type="datetime-local" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={200} />
        <Text size="sm" c="dimmed" ml="auto" role="status" aria-live="polite" data-testid="audit-count">
          {trail.data ? countOf(total, 'entry', 'entries') : ''}
        </Text>
      </Group>

      {trail.isPending && <Loader aria-label="Loading the audit trail" />}
      {trail.isError && <ErrorNotice error={trail.error} />}
      {trail.data && total === 0 && (
        <Paper withBorder p="lg" data-testid="audit-empty">
          <Text size="sm">{filtered ? 'No entry matches these filters.' : 'No admin action has been recorded yet.'}</Text>
        </Paper>
      )}
      {trail.data && total > 0 && (
        <Paper withBorder>
          <AuditList entries={entries} hasMore={hasNextPage} loadingMore={isFetchingNextPage} onNearEnd={more} onOpen={setOpen} />
        </Paper>
      )}
      <AuditDetail entry={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
