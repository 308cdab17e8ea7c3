// One row per user: level, name, active events, devices, last event, last reset; column headers sort on the server.
import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { UserSort, UserSummary } from '../../../src-shared/schemas/users';
import { formatTime } from '../posture-log/describe';
import { RiskLevelBadge } from './RiskLevelBadge';
import { formatCount } from '../../app/numbers';

export type SortState = { sort: UserSort; direction: 'asc' | 'desc' };

function SortHeader({ column, label, state, onSort }: { column: UserSort; label: string; state: SortState; onSort: (next: SortState) => void }) {
  const active = state.sort === column;
  const Icon = !active ? IconArrowsSort : state.direction === 'asc' ? IconArrowUp : IconArrowDown;
  // A new column starts with what an admin looks for first: most risk, most devices, newest event; names A to Z.
  const first = column === 'name' ? 'asc' : 'desc';
  return (
    <Table.Th aria-sort={active ? (state.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        onClick={() => onSort({ sort: column, direction: active ? (state.direction === 'asc' ? 'desc' : 'asc') : first })}
        aria-label={`Sort by ${label.toLowerCase()}`}
        fw={700}
        fz="sm"
      >
        <Group gap={4} wrap="nowrap">
          {label}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

const dimmed = (text: string): ReactNode => (
  <Text span size="sm" c="dimmed">
    {text}
  </Text>
);

export function UserTable({
  users,
  sort,
  onSort,
  selected,
  onOpen,
}: {
  users: UserSummary[];
  sort: SortState;
  onSort: (next: SortState) => void;
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  return (
    <Table aria-label="Users" highlightOnHover stickyHeader>
      <Table.Thead>
        <Table.Tr>
          <SortHeader column="risk" label="Risk" state={sort} onSort={onSort} />
          <SortHeader column="name" label="User" state={sort} onSort={onSort} />
          <Table.Th>Active events</Table.Th>
          <SortHeader column="devices" label="Devices" state={sort} onSort={onSort} />
          <SortHeader column="lastEvent" label="Last event" state={sort} onSort={onSort} />
          <Table.Th>Last reset</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((u) => (
          <Table.Tr
            key={u.id}
            onClick={() => onOpen(u.id)}
            style={{ cursor: 'pointer' }}
            bg={selected === u.id ? 'var(--mantine-color-default-hover)' : undefined}
            data-testid="user-row"
            data-level={u.level}
          >
            <Table.Td>
              <RiskLevelBadge level={u.level} />
            </Table.Td>
            <Table.Td>
              {/* The row is clickable for the mouse; this button is its keyboard and screen-reader way in. */}
              <UnstyledButton
                onClick={(e) => {
                  e.stopPropagation();
                  onOpen(u.id);
                }}
                aria-label={`Open ${u.displayName}`}
                fz="sm"
                c="var(--mantine-color-anchor)"
                td="underline"
              >
                {u.displayName}
              </UnstyledButton>
              {u.aliases.length > 1 && (
                <Text size="xs" c="dimmed">
                  also {u.aliases.filter((a) => a !== u.displayName).join(', ')}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{u.activeEvents}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{formatCount(u.devices)}</Text>
            </Table.Td>
            <Table.Td>{u.lastEventAt === null ? dimmed('none') : <Text size="sm">{formatTime(u.lastEventAt)}</Text>}</Table.Td>
            <Table.Td>{u.resetAt === null ? dimmed('never') : <Text size="sm">{formatTime(u.resetAt)}</Text>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
