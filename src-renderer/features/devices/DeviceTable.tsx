// One dense row per matched device: identity, current posture, a column per provider with its record's role,
// serial trust, possible matches.
import { Badge, Group, Table, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { DeviceListItem, DeviceSort, DeviceSortKey, DeviceSource } from '../../../src-shared/schemas/inventory';
import type { PostureDevice } from '../../../src-shared/schemas/posture';
import type { ProviderStatus } from '../../../src-shared/schemas/providers';
import { ResultSummary } from './CurrentResults';
import { deviceName } from './DeviceDetail';
import { roleLook, serialStatusLook } from './describe';

/** A provider column: its data, or why it has none. */
export interface ProviderColumn {
  id: string;
  name: string;
  source: DeviceSource | undefined;
  status: ProviderStatus | undefined;
}

/** Why a provider has no records in the inventory: its poll failed, or it has not been polled. */
export function unavailableWhy(column: ProviderColumn): string {
  if (column.status?.state === 'failing') return `${column.name}'s data is unavailable: ${column.status.detail}`;
  return `${column.name} has not been polled yet, so whether it reports these devices is not known.`;
}

function ProviderCell({ device, column }: { device: PostureDevice; column: ProviderColumn }) {
  // No records from this provider at all: say its data is missing, not that the device is.
  if (column.source && column.source.fetchedAt === null)
    return (
      <Text size="xs" c="dimmed" fs="italic" title={unavailableWhy(column)} style={{ whiteSpace: 'nowrap' }}>
        no data
      </Text>
    );
  const own = device.records.filter((r) => r.observation.providerId === column.id);
  if (own.length === 0) {
    const possible = device.possibleMatches.some((m) => m.providerId === column.id);
    return (
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {possible ? 'possible match' : 'not present'}
      </Text>
    );
  }
  const main = own.find((r) => r.role !== 'superseded') ?? own[0]!;
  const setAside = own.length - 1;
  const look = roleLook[main.role];
  return (
    <Group gap={4} wrap="wrap">
      {/* max-content: the word is never cut to "U…" beside "+1 superseded"; the note wraps instead. */}
      <Badge size="sm" variant="light" color={look.color} miw="max-content" title={look.hint}>
        {look.word}
      </Badge>
      {setAside > 0 && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          +{setAside} superseded
        </Text>
      )}
    </Group>
  );
}

function SortableTh({
  label,
  by,
  sort,
  onSort,
  wrap = false,
}: {
  label: ReactNode;
  by: DeviceSortKey;
  sort: DeviceSort | undefined;
  onSort: (sort: DeviceSort) => void;
  wrap?: boolean;
}) {
  const active = sort?.by === by;
  const Icon = !active ? IconArrowsSort : sort.dir === 'asc' ? IconArrowUp : IconArrowDown;
  const next: DeviceSort = { by, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' };
  return (
    <Table.Th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined} style={{ whiteSpace: wrap ? undefined : 'nowrap' }}>
      <UnstyledButton
        onClick={() => onSort(next)}
        fw={700}
        fz="sm"
        title={`Sort by ${String(label).toLowerCase()}, ${next.dir === 'asc' ? 'ascending' : 'descending'}`}
      >
        <Group gap={4} wrap={wrap ? 'wrap' : 'nowrap'}>
          {label}
          <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.45 }} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

export function DeviceTable({
  devices,
  providers,
  selected,
  onOpen,
  sort,
  onSort,
}: {
  devices: DeviceListItem[];
  providers: ProviderColumn[];
  selected: string | null;
  onOpen: (key: string) => void;
  sort: DeviceSort | undefined;
  onSort: (sort: DeviceSort) => void;
}) {
  return (
    // Many providers widen the table: it scrolls sideways in its frame rather than clipping the last columns.
    <Table.ScrollContainer minWidth={900} type="native">
      <Table aria-label="Devices" highlightOnHover stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <SortableTh label="Serial" by="serial" sort={sort} onSort={onSort} />
            <SortableTh label="Hostname" by="hostname" sort={sort} onSort={onSort} />
            <SortableTh label="Platform" by="platform" sort={sort} onSort={onSort} />
            <Table.Th>Posture</Table.Th>
            {providers.map((p) => (
              // Names wrap, so many providers do not push the last columns out; "no data" says why a column is empty.
              <Table.Th key={p.id} miw={110} title={p.source?.fetchedAt === null ? unavailableWhy(p) : p.name}>
                {p.name}
                {p.source?.fetchedAt === null && (
                  <Text span size="xs" c="dimmed" fw={400} display="block">
                    no data
                  </Text>
                )}
              </Table.Th>
            ))}
            <SortableTh label="Serial status" by="serialStatus" sort={sort} onSort={onSort} wrap />
            <Table.Th>Possible match</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((d) => {
            const status = serialStatusLook[d.serialStatus];
            const via = [...new Set(d.possibleMatches.map((m) => (m.via === 'mac' ? 'MAC' : 'hostname')))];
            return (
              <Table.Tr
                key={d.key}
                onClick={() => onOpen(d.key)}
                style={{ cursor: 'pointer' }}
                bg={selected === d.key ? 'var(--mantine-color-default-hover)' : undefined}
                data-testid="device-row"
                data-serial-status={d.serialStatus}
              >
                <Table.Td>
                  <Text size="sm" ff="monospace" truncate="end" maw={130} title={d.serial ?? undefined} data-testid="device-serial">
                    {d.serial ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {/* The row is clickable for the mouse; this button is its keyboard and screen-reader way in. */}
                  <UnstyledButton
                    onClick={(e) => {
                      e.stopPropagation();
                      onOpen(d.key);
                    }}
                    aria-label={`Open ${deviceName(d)}`}
                    fz="sm"
                    c="var(--mantine-color-anchor)"
                    td="underline"
                    style={{ whiteSpace: 'nowrap' }}
                    data-testid="device-hostname"
                  >
                    {d.hostname ?? (
                      <Text span size="sm" c="dimmed">
                        no hostname
                      </Text>
                    )}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{d.platform ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <ResultSummary rows={d.current} />
                </Table.Td>
                {providers.map((p) => (
                  <Table.Td key={p.id}>
                    <ProviderCell device={d} column={p} />
                  </Table.Td>
                ))}
                <Table.Td>
                  <Tooltip label={d.serialProblem ?? status.hint} multiline w={320}>
                    <Badge size="sm" variant="light" color={status.color} miw="max-content">
                      {status.word}
                    </Badge>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  {via.length > 0 ? (
                    <Badge size="sm" variant="outline" color="yellow" miw="max-content">
                      By {via.join(', ')}
                    </Badge>
                  ) : (
                    <>
                      <Text size="xs" c="dimmed" aria-hidden>
                        —
                      </Text>
                      <VisuallyHidden>none</VisuallyHidden>
                    </>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
