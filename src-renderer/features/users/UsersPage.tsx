// Users: the people behind the devices by risk level, searchable and sortable, with each user's evidence, a reset,
// the risk behaviors' configuration and CSV export of the filtered list.
import { Anchor, Badge, Button, Chip, Drawer, Group, Loader, Pagination, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconAdjustments, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { UserRiskLevel } from '../../../src-shared/schemas/users';
import { useProviders } from '../../api/providers';
import { useExportUsers, useRiskBehaviors, useUsers } from '../../api/users';
import { ErrorNotice } from '../../app/ErrorNotice';
import { SearchField } from '../../app/SearchField';
import { BehaviorsForm } from './BehaviorsForm';
import { levelLook, levelsHighFirst } from './describe';
import { downloadCsv } from './download-csv';
import { UserDetailDrawer } from './UserDetail';
import { UserTable, type SortState } from './UserTable';
import { countOf, formatCount } from '../../app/numbers';

const PAGE_SIZE = 50;

export function UsersPage() {
  // This page stays live on its own; the shell may also listen (then the dashboard tile refreshes too).
  // Links from other screens may open this page filtered (?level=high, ?q=) or on one user (?user=).
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [levels, setLevels] = useState<UserRiskLevel[]>(params.getAll('level').flatMap((l) => UserRiskLevel.safeParse(l).data ?? []));
  const [sort, setSort] = useState<SortState>({ sort: 'risk', direction: 'desc' });
  const [page, setPage] = useState(1);
  const [debouncedText] = useDebouncedValue(text.trim(), 300);
  const [configuring, configure] = useDisclosure(false);
  const selected = params.get('user');
  const select = (userId: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (userId) next.set('user', userId);
      else next.delete('user');
      return next;
    });

  const providers = useProviders();
  const providerName = (id: string) => providers.data?.find((p) => p.config.id === id)?.config.name ?? id;
  const behaviors = useRiskBehaviors();
  const filter = { text: debouncedText || undefined, levels: levels.length ? levels : undefined };
  const users = useUsers({ ...filter, ...sort, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const exporter = useExportUsers();
  const total = users.data?.total ?? 0;
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;

  const exportCsv = async () => {
    const csv = await exporter.mutateAsync(filter);
    downloadCsv(csv, `users-${new Date().toISOString().slice(0, 10)}.csv`);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconAdjustments size={16} />} onClick={configure.open}>
            Risk behaviors
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
        Who uses each device, from SentinelOne&apos;s and Falcon&apos;s last logged-in user, raised by the enabled risk behaviors. A user&apos;s level is the
        highest among their events that count.
      </Text>

      <Group gap="sm" align="flex-end" component="search" aria-label="Filter users">
        <SearchField
          placeholder="User name or device"
          value={text}
          onSearch={(next) => {
            setText(next);
            setPage(1);
          }}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="level-filter-label">
            Risk level
          </Text>
          <Chip.Group
            multiple
            value={levels}
            onChange={(value) => {
              setLevels(value.flatMap((l) => UserRiskLevel.safeParse(l).data ?? []));
              setPage(1);
            }}
          >
            <Group gap={6} role="group" aria-labelledby="level-filter-label">
              {levelsHighFirst.map((l) => (
                <Chip key={l} value={l} size="sm" color={levelLook[l].color} variant="light" wrapperProps={{ 'data-testid': `level-chip-${l}` }}>
                  {levelLook[l].word}{' '}
                  <Badge size="xs" variant="transparent" color="gray" component="span">
                    {formatCount(users.data?.counts[l] ?? 0)}
                  </Badge>
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
        <Text size="sm" c="dimmed" ml="auto" role="status" aria-live="polite" data-testid="user-count">
          {users.data ? (total ? `${formatCount(first)}–${formatCount(Math.min(total, page * PAGE_SIZE))} of ${countOf(total, 'user')}` : '0 users') : ''}
        </Text>
      </Group>

      {exporter.isError && <ErrorNotice error={exporter.error} />}
      {users.isPending && <Loader aria-label="Loading users" />}
      {users.isError && <ErrorNotice error={users.error} />}
      {users.data && total === 0 && !filter.text && !filter.levels && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No users yet</Text>
          <Text c="dimmed" size="sm">
            Users come from the devices&apos; last logged-in user. Add a SentinelOne or Falcon ZTA provider on{' '}
            <Anchor component={Link} to="/providers">
              Providers
            </Anchor>{' '}
            and poll it.
          </Text>
        </Paper>
      )}
      {users.data && total === 0 && (filter.text || filter.levels) && (
        <Paper withBorder p="lg" data-testid="no-match">
          <Text size="sm">No user matches these filters.</Text>
        </Paper>
      )}
      {users.data && total > 0 && (
        <>
          <Paper withBorder style={{ opacity: users.isPlaceholderData ? 0.6 : 1 }}>
            <UserTable
              users={users.data.items}
              sort={sort}
              onSort={(next) => {
                setSort(next);
                setPage(1);
              }}
              selected={selected}
              onOpen={select}
            />
          </Paper>
          <Pagination
            total={Math.ceil(total / PAGE_SIZE)}
            value={page}
            onChange={setPage}
            size="sm"
            aria-label="User pages"
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          />
        </>
      )}

      <UserDetailDrawer userId={selected} providerName={providerName} onClose={() => select(null)} />
      <Drawer
        opened={configuring}
        onClose={configure.close}
        position="right"
        size="lg"
        title={
          <Title order={3} size="h4">
            Risk behaviors
          </Title>
        }
        closeButtonProps={{ 'aria-label': 'Close risk behaviors' }}
      >
        {behaviors.isError && <ErrorNotice error={behaviors.error} />}
        {behaviors.data && <BehaviorsForm behaviors={behaviors.data} onDone={configure.close} />}
      </Drawer>
    </Stack>
  );
}
