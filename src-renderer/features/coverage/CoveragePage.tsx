// Coverage: for each pair of posture sources, the devices one knows and the other does not. The matrix picks a pair
// (kept in the address, so the Dashboard can link to it); the list below filters it, explains each device and exports it.
import { Alert, Anchor, Button, Drawer, Group, Loader, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CoverageReason, type CoverageFilter } from '../../../src-shared/schemas/coverage';
import { useCoverageDevices, useCoverageExport, useCoverageSummary } from '../../api/coverage';
import { ErrorNotice } from '../../app/ErrorNotice';
import { countOf } from '../../app/numbers';
import { SearchField } from '../../app/SearchField';
import { DeviceDetail } from '../devices/DeviceDetail';
import { ExportStatus } from '../posture-log/ExportStatus';
import { CoverageMatrix, type Pair } from './CoverageMatrix';
import { GapList } from './GapList';
import { reasonLook } from './describe';

function TooFewSources({ count }: { count: number }) {
  return (
    <Paper withBorder p="lg" data-testid="empty-state">
      <Text fw={600}>{count === 0 ? 'No posture sources yet' : 'One posture source so far'}</Text>
      <Text c="dimmed" size="sm">
        Coverage compares sources: an EDR with an MDM, or two EDRs. Add {count === 0 ? 'two' : 'another'} on{' '}
        <Anchor component={Link} to="/providers">
          Providers
        </Anchor>
        ; the matrix fills in after their first polls.
      </Text>
    </Paper>
  );
}

export function CoveragePage() {
  const [params, setParams] = useSearchParams();
  const pair: Pair | null =
    params.get('presentIn') && params.get('missingFrom') ? { presentIn: params.get('presentIn')!, missingFrom: params.get('missingFrom')! } : null;
  const [text, setText] = useState('');
  const [platform, setPlatform] = useState<string | null>(null);
  const [reason, setReason] = useState<CoverageReason | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [debouncedText] = useDebouncedValue(text.trim(), 300);

  const summary = useCoverageSummary();
  const sources = summary.data?.sources ?? [];
  const names = new Map(sources.map((s) => [s.providerId, s.name]));
  const pairKnown = pair !== null && summary.data?.pairs.some((p) => p.presentIn === pair.presentIn && p.missingFrom === pair.missingFrom);
  const filter: CoverageFilter | null = pairKnown
    ? { ...pair, text: debouncedText || undefined, platform: platform ?? undefined, reasons: reason ? [reason] : undefined }
    : null;
  const devices = useCoverageDevices(filter);
  const exporter = useCoverageExport();
  const items = devices.data?.pages.flatMap((p) => p.items) ?? [];
  const total = devices.data?.pages[0]?.total ?? 0;
  const platforms = devices.data?.pages[0]?.platforms ?? [];
  const openItem = items.find((i) => i.key === opened);

  const choose = (next: Pair) => {
    setParams({ presentIn: next.presentIn, missingFrom: next.missingFrom });
    setPlatform(null);
    setReason(null);
    setSelected(null);
  };
  const pairTitle = pair ? `In ${names.get(pair.presentIn) ?? 'a removed source'}, missing from ${names.get(pair.missingFrom) ?? 'a removed source'}` : '';

  return (
    <Stack gap="md">
      <Title order={2}>Coverage</Title>
      <Text size="sm" c="dimmed" maw={860}>
        Devices one source reports and another does not: enrolled in the MDM but without an EDR sensor, or a sensor on a machine no MDM manages. Devices are
        matched on their serial number only; a MAC address or hostname link is shown as a possible match.
      </Text>
      {summary.isPending && <Loader aria-label="Loading coverage" />}
      {summary.isError && <ErrorNotice error={summary.error} />}
      {summary.data && sources.length < 2 && <TooFewSources count={sources.length} />}
      {summary.data && sources.length >= 2 && (
        <Paper withBorder p="sm">
          <CoverageMatrix summary={summary.data} selected={pair} onSelect={choose} />
        </Paper>
      )}
      {summary.data && sources.length >= 2 && !pair && (
        <Text size="sm" c="dimmed">
          Choose a count in the matrix to list those devices.
        </Text>
      )}
      {pair && summary.data && !pairKnown && (
        <Alert color="gray" title="No data for this pair">
          One of these sources has no successful poll yet (or was removed), so which devices it lacks is not known.
        </Alert>
      )}

      {filter && (
        <section aria-labelledby="coverage-pair">
          <Stack gap="sm">
            <Group justify="space-between" wrap="nowrap">
              <Group gap="sm" align="baseline">
                <Title order={3} size="h4" id="coverage-pair">
                  {pairTitle}
                </Title>
                <Text size="sm" role="status" aria-live="polite" data-testid="gap-total">
                  {devices.data ? countOf(total, 'device') : ''}
                </Text>
                {devices.isFetching && devices.data && <Loader size="xs" aria-label="Updating the list" />}
              </Group>
              <Button
                leftSection={<IconDownload size={16} />}
                loading={exporter.job.phase === 'starting'}
                disabled={exporter.job.phase === 'running' || !total}
                onClick={() => exporter.start({ filter })}
              >
                Export CSV
              </Button>
            </Group>
            <Group gap="sm" align="flex-end" component="search" aria-label="Filter devices with a gap">
              <SearchField placeholder="Hostname or serial" value={text} onSearch={setText} />
              <Select
                label="Platform"
                placeholder="All platforms"
                clearable
                data={platform && !platforms.includes(platform) ? [...platforms, platform] : platforms}
                value={platform}
                onChange={setPlatform}
                w={180}
              />
              <Select
                label="Reason"
                placeholder="Any reason"
                clearable
                data={CoverageReason.options.map((r) => ({ value: r, label: reasonLook[r].word }))}
                value={reason}
                onChange={(v) => setReason(CoverageReason.safeParse(v).data ?? null)}
                w={300}
              />
            </Group>
            <ExportStatus job={exporter.job} onCancel={exporter.cancel} onDismiss={exporter.dismiss} />
            {devices.isError && <ErrorNotice error={devices.error} />}
            {devices.isPending && <Loader aria-label="Loading devices" />}
            {devices.data && total === 0 && (
              <Paper withBorder p="lg" data-testid="no-gaps">
                <Text size="sm">
                  {debouncedText || platform || reason
                    ? 'No device with this gap matches these filters.'
                    : 'No gap: every device of the first source is in the second.'}
                </Text>
              </Paper>
            )}
            {devices.data && total > 0 && (
              <Paper withBorder style={{ opacity: devices.isPlaceholderData ? 0.6 : 1 }}>
                <GapList
                  items={items}
                  total={total}
                  hasMore={devices.hasNextPage}
                  loadingMore={devices.isFetchingNextPage}
                  onNearEnd={() => void devices.fetchNextPage()}
                  selectedKey={selected}
                  onSelect={setSelected}
                  onOpen={setOpened}
                />
              </Paper>
            )}
          </Stack>
        </section>
      )}

      <Drawer
        opened={opened !== null}
        onClose={() => setOpened(null)}
        position="right"
        size="xl"
        title={openItem?.hostname ? `Device ${openItem.hostname}` : 'Device'}
      >
        {opened && (
          <Stack gap="md">
            {openItem && pair && (
              <Alert color={reasonLook[openItem.reason].color} title={`Why it is not in ${names.get(pair.missingFrom) ?? 'that source'}`} data-testid="gap-why">
                <Text size="sm" fw={600}>
                  {reasonLook[openItem.reason].word}
                </Text>
                <Text size="sm">{openItem.why}</Text>
              </Alert>
            )}
            <DeviceDetail deviceKey={opened} providerNames={names} />
          </Stack>
        )}
      </Drawer>
    </Stack>
  );
}
