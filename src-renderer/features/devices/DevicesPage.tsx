// Devices: the cross-provider inventory, paged and filtered on the server, with a panel that explains each match.
import { Anchor, Drawer, Group, Loader, Pagination, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { DeviceSort } from '../../../src-shared/schemas/inventory';
import { SerialStatus, isPostureProviderKind } from '../../../src-shared/schemas/posture';
import { useDevices } from '../../api/posture';
import { useProviders } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { countOf, formatCount } from '../../app/numbers';
import { SearchField } from '../../app/SearchField';
import type { PostureProviderConfig } from '../checks/CheckEditor';
import { DeviceDetail } from './DeviceDetail';
import { DeviceTable, type ProviderColumn } from './DeviceTable';
import { serialStatusLook } from './describe';

const PAGE_SIZE = 50;

export function DevicesPage() {
  // Links from other screens may open this page filtered (?q=, ?provider=, ?serialStatus=).
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [providerId, setProviderId] = useState<string | null>(params.get('provider'));
  const [serialStatus, setSerialStatus] = useState<SerialStatus | null>(SerialStatus.safeParse(params.get('serialStatus')).data ?? null);
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<DeviceSort | undefined>(undefined);
  const [selected, setSelected] = useState<string | null>(params.get('device'));
  const [debouncedText] = useDebouncedValue(text.trim(), 300);

  const providers = useProviders();
  const posture = (providers.data ?? []).map((v) => v.config).filter((c): c is PostureProviderConfig => isPostureProviderKind(c.kind));
  const providerNames = new Map(posture.map((p) => [p.id, p.name]));
  const devices = useDevices({
    text: debouncedText || undefined,
    providerId: providerId ?? undefined,
    serialStatus: serialStatus ?? undefined,
    sort,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const total = devices.data?.total ?? 0;
  const filtered = Boolean(debouncedText || providerId || serialStatus);
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const selectedName = devices.data?.items.find((d) => d.key === selected)?.hostname;
  const columns: ProviderColumn[] = posture.map((p) => ({
    id: p.id,
    name: p.name,
    source: devices.data?.sources.find((s) => s.providerId === p.id),
    status: providers.data?.find((v) => v.config.id === p.id)?.status,
  }));

  return (
    <Stack gap="md">
      <Title order={2}>Devices</Title>
      <Group gap="sm" align="flex-end" component="search" aria-label="Filter devices">
        <SearchField
          placeholder="Hostname or serial"
          value={text}
          onSearch={(next) => {
            setText(next);
            setPage(1);
          }}
        />
        <Select
          label="Provider"
          placeholder="All providers"
          clearable
          data={posture.map((p) => ({ value: p.id, label: p.name }))}
          value={providerId}
          onChange={(v) => {
            setProviderId(v);
            setPage(1);
          }}
          w={240}
        />
        <Select
          label="Serial status"
          placeholder="Any serial status"
          clearable
          data={SerialStatus.options.map((s) => ({ value: s, label: serialStatusLook[s].word }))}
          value={serialStatus}
          onChange={(v) => {
            setSerialStatus(SerialStatus.safeParse(v).data ?? null);
            setPage(1);
          }}
          w={200}
        />
        <Text size="sm" c="dimmed" ml="auto" role="status" aria-live="polite" data-testid="device-count">
          {devices.data ? (total ? `${formatCount(first)}–${formatCount(Math.min(total, page * PAGE_SIZE))} of ${countOf(total, 'device')}` : '0 devices') : ''}
        </Text>
      </Group>

      {devices.isPending && <Loader aria-label="Loading devices" />}
      {devices.isError && <ErrorNotice error={devices.error} />}
      {devices.data && total === 0 && !filtered && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No devices yet</Text>
          <Text c="dimmed" size="sm">
            The inventory fills in when a posture provider is polled. Add one on{' '}
            <Anchor component={Link} to="/providers">
              Providers
            </Anchor>{' '}
            or press Poll now on the{' '}
            <Anchor component={Link} to="/dashboard">
              Dashboard
            </Anchor>
            .
          </Text>
        </Paper>
      )}
      {devices.data && total === 0 && filtered && (
        <Paper withBorder p="lg" data-testid="no-match">
          <Text size="sm">No device matches these filters.</Text>
        </Paper>
      )}
      {devices.data && total > 0 && (
        <>
          <Paper withBorder style={{ opacity: devices.isPlaceholderData ? 0.6 : 1 }}>
            <DeviceTable
              devices={devices.data.items}
              providers={columns}
              selected={selected}
              onOpen={setSelected}
              sort={sort}
              onSort={(next) => {
                setSort(next);
                setPage(1);
              }}
            />
          </Paper>
          <Pagination
            total={Math.ceil(total / PAGE_SIZE)}
            value={page}
            onChange={setPage}
            size="sm"
            withEdges
            aria-label="Device pages"
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          />
        </>
      )}

      <Drawer
        opened={selected !== null}
        onClose={() => setSelected(null)}
        position="right"
        size="xl"
        title={selectedName ? `Device ${selectedName}` : 'Device'}
      >
        {selected && <DeviceDetail deviceKey={selected} providerNames={providerNames} />}
      </Drawer>
    </Stack>
  );
}
