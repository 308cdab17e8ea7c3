// One dense row per matched device: identity, current posture, a column per provider with its record's role,
// serial trust, possible matches.
import { Badge, Group, Table, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { DeviceListItem } from '../../../src-shared/schemas/inventory';
import type { PostureDevice } from '../../../src-shared/schemas/posture';
import type { PostureProviderConfig } from '../checks/CheckEditor';
import { ResultSummary } from './CurrentResults';
import { deviceName } from './DeviceDetail';
import { roleLook, serialStatusLook } from './describe';

function ProviderCell({ device, providerId }: { device: PostureDevice; providerId: string }) {
  const own = device.records.filter((r) => r.observation.providerId === providerId);
  if (own.length === 0) {
    const possible = device.possibleMatches.some((m) => m.providerId === providerId);
    return <Text size="xs" c="dimmed">{possible ? 'possible match' : 'not present'}</Text>;
  }
  const main = own.find((r) => r.role !== 'superseded') ?? own[0]!;
  const setAside = own.length - 1;
  const look = roleLook[main.role];
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={look.color}>{look.word}</Badge>
      {setAside > 0 && <Text size="xs" c="dimmed">+{setAside} superseded</Text>}
    </Group>
  );
}

export function DeviceTable({ devices, providers, selected, onOpen }: { devices: DeviceListItem[]; providers: PostureProviderConfig[]; selected: string | null; onOpen: (key: string) => void }) {
  return (
    <Table aria-label="Devices" highlightOnHover stickyHeader>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Serial</Table.Th>
          <Table.Th>Hostname</Table.Th>
          <Table.Th>Platform</Table.Th>
          <Table.Th>Posture</Table.Th>
          {providers.map((p) => <Table.Th key={p.id}>{p.name}</Table.Th>)}
          <Table.Th style={{ whiteSpace: 'nowrap' }}>Serial status</Table.Th>
          <Table.Th style={{ whiteSpace: 'nowrap' }}>Possible match</Table.Th>
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
              <Table.Td><Text size="sm" ff="monospace" truncate="end" maw={200} title={d.serial ?? undefined}>{d.serial ?? '—'}</Text></Table.Td>
              <Table.Td>
                {/* The row is clickable for the mouse; this button is its keyboard and screen-reader way in. */}
                <UnstyledButton onClick={(e) => { e.stopPropagation(); onOpen(d.key); }} aria-label={`Open ${deviceName(d)}`} fz="sm" c="var(--mantine-color-anchor)" td="underline" style={{ whiteSpace: 'nowrap' }}>
                  {d.hostname ?? <Text span size="sm" c="dimmed">no hostname</Text>}
                </UnstyledButton>
              </Table.Td>
              <Table.Td><Text size="sm">{d.platform ?? '—'}</Text></Table.Td>
              <Table.Td><ResultSummary rows={d.current} /></Table.Td>
              {providers.map((p) => <Table.Td key={p.id}><ProviderCell device={d} providerId={p.id} /></Table.Td>)}
              <Table.Td>
                <Tooltip label={d.serialProblem ?? status.hint} multiline w={320}>
                  <Badge size="sm" variant="light" color={status.color} style={{ flexShrink: 0 }}>{status.word}</Badge>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                {via.length > 0 ? (
                  <Badge size="sm" variant="outline" color="yellow" style={{ flexShrink: 0 }}>By {via.join(', ')}</Badge>
                ) : (
                  <><Text size="xs" c="dimmed" aria-hidden>—</Text><VisuallyHidden>none</VisuallyHidden></>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
