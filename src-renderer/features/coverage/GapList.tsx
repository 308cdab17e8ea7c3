// The devices of one pair as a virtualized table: only the rows on screen are in the DOM, pages load as the end comes
// near, and the keyboard moves the selection (arrows, Page Up/Down, Home/End) and opens a device (Enter).
import { Badge, Box, Group, Loader, Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { CoverageItem } from '../../../src-shared/schemas/coverage';
import { serialStatusLook } from '../devices/describe';
import { reasonLook } from './describe';

const ROW_HEIGHT = 38;
const PREFETCH_ROWS = 40;
const COLUMNS = 6;

export interface GapListProps {
  items: CoverageItem[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onNearEnd: () => void;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  onOpen: (key: string) => void;
}

export function GapList(props: GapListProps) {
  'use no memo'; // TanStack Virtual returns a mutable instance that the React Compiler must not memoize.
  const { items, total, hasMore, loadingMore, onNearEnd, selectedKey, onSelect, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    overscan: 12,
    // Before the first measurement (and where nothing is measured): a screenful of rows.
    initialRect: { width: 960, height: 560 },
    getItemKey: (index) => items[index]?.key ?? 'loader',
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= items.length - PREFETCH_ROWS) onNearEnd();
  }, [hasMore, loadingMore, lastIndex, items.length, onNearEnd]);

  const selectedIndex = selectedKey === null ? -1 : items.findIndex((i) => i.key === selectedKey);
  const move = (index: number) => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    const item = items[next];
    if (!item) return;
    onSelect(item.key);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const steps: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex + 1),
      ArrowUp: () => move(selectedIndex < 0 ? 0 : selectedIndex - 1),
      PageDown: () => move(selectedIndex + page),
      PageUp: () => move(selectedIndex - page),
      Home: () => move(0),
      End: () => move(items.length - 1),
      Enter: () => {
        const item = items[Math.max(0, selectedIndex)];
        if (!item) return;
        onSelect(item.key);
        onOpen(item.key);
      },
    };
    const step = steps[e.key];
    if (!step || e.target !== e.currentTarget) return;
    e.preventDefault();
    step();
  };

  const paddingTop = rows.length ? rows[0]!.start - ROW_HEIGHT : 0;
  const paddingBottom = rows.length ? virtualizer.getTotalSize() - (rows.at(-1)!.end - ROW_HEIGHT) : 0;

  return (
    <Box
      ref={scrollRef}
      tabIndex={0}
      role="region"
      aria-label="Devices with a gap. Arrow keys move the selection, Enter opens the device."
      onKeyDown={onKeyDown}
      h="min(60vh, 560px)"
      style={{ overflow: 'auto', outlineOffset: -2 }}
      data-testid="gap-scroller"
    >
      <Table aria-label="Devices with a gap" aria-rowcount={total + 1} stickyHeader layout="fixed" miw={960} highlightOnHover>
        <colgroup>
          <col style={{ width: 200 }} />
          <col style={{ width: 150 }} />
          <col style={{ width: 100 }} />
          <col style={{ width: 110 }} />
          <col style={{ width: 190 }} />
          <col />
        </colgroup>
        <Table.Thead style={{ zIndex: 2 }}>
          <Table.Tr aria-rowindex={1} h={ROW_HEIGHT}>
            <Table.Th>Device</Table.Th>
            <Table.Th>Serial</Table.Th>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Serial status</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Why it did not match</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr aria-hidden>
              <td colSpan={COLUMNS} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {rows.map((row) => {
            const item = items[row.index];
            if (!item)
              return (
                <Table.Tr key="loader" h={ROW_HEIGHT}>
                  <Table.Td colSpan={COLUMNS}>
                    <Group gap="xs">
                      <Loader size="xs" />
                      <Text size="sm" c="dimmed">
                        Loading more devices…
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            const selected = item.key === selectedKey;
            const reason = reasonLook[item.reason];
            const serial = serialStatusLook[item.serialStatus];
            return (
              <Table.Tr
                key={item.key}
                h={ROW_HEIGHT}
                aria-rowindex={row.index + 2}
                aria-selected={selected}
                bg={selected ? 'var(--mantine-color-default-hover)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => {
                  onSelect(item.key);
                  onOpen(item.key);
                }}
                data-testid="gap-row"
                data-reason={item.reason}
              >
                <Table.Td>
                  <Text size="sm" truncate="end" title={item.hostname ?? undefined} data-testid="gap-hostname">
                    {item.hostname ?? 'no hostname'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text
                    size="sm"
                    ff="monospace"
                    truncate="end"
                    c={item.serial ? undefined : 'dimmed'}
                    title={item.serial ?? undefined}
                    data-testid="gap-serial"
                  >
                    {item.serial ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.platform ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={serial.color} title={serial.hint} miw="max-content">
                    {serial.word}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={reason.color} title={reason.hint} maw="100%">
                    {reason.word}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" truncate="end" title={item.why}>
                    {item.why}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden>
              <td colSpan={COLUMNS} style={{ height: paddingBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
