// The trail, newest first, virtualized: a row per entry with time, actor, action, target and outcome; the next page
// loads as the end comes into view.
import { Badge, Group, Loader, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { AuditEntry } from '../../../src-shared/schemas/audit';
import { formatTime } from '../posture-log/describe';
import { actorText, surfaceColor, surfaceLabel } from './describe';

const ROW_HEIGHT = 56;
/** Rows before the end at which the next page is asked for. */
const PREFETCH_ROWS = 40;

export function AuditList({
  entries,
  hasMore,
  loadingMore,
  onNearEnd,
  onOpen,
}: {
  entries: AuditEntry[];
  hasMore: boolean;
  loadingMore: boolean;
  onNearEnd: () => void;
  onOpen: (entry: AuditEntry) => void;
}) {
  'use no memo'; // TanStack Virtual returns a mutable instance that the React Compiler must not memoize.
  const scrollRef = useRef<HTMLDivElement>(null);
  // Known and handled: 'use no memo' above keeps the compiler away from the virtualizer instance.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: entries.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the scroller is measured (and in tests) a screenful of rows still renders.
    initialRect: { width: 1000, height: 720 },
    getItemKey: (index) => entries[index]?.id ?? 'loader',
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= entries.length - PREFETCH_ROWS) onNearEnd();
  }, [hasMore, loadingMore, lastIndex, entries.length, onNearEnd]);

  return (
    <div
      ref={scrollRef}
      style={{ height: 'calc(100vh - 320px)', minHeight: 320, overflow: 'auto' }}
      role="list"
      aria-label="Audit entries"
      data-testid="audit-list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const entry = entries[item.index];
          return (
            <div
              key={item.key}
              role="listitem"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {entry ? (
                <UnstyledButton
                  onClick={() => onOpen(entry)}
                  w="100%"
                  h="100%"
                  px="sm"
                  style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
                  data-testid="audit-row"
                  data-action={entry.action}
                  data-surface={entry.actor.surface}
                  aria-label={`Entry ${entry.seq}: ${entry.summary}`}
                >
                  <Group gap="sm" wrap="nowrap">
                    <Text size="xs" c="dimmed" w={150} style={{ flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}>
                      {formatTime(Date.parse(entry.at))}
                    </Text>
                    <Badge color={surfaceColor[entry.actor.surface]} variant="light" w={80} style={{ flexShrink: 0 }} data-testid="audit-surface">
                      {surfaceLabel(entry.actor)}
                    </Badge>
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" truncate="end">
                        {entry.summary}
                      </Text>
                      <Text size="xs" c="dimmed" truncate="end">
                        {entry.action} · {actorText(entry.actor)}
                      </Text>
                    </div>
                    {entry.outcome === 'failed' && (
                      <Badge color="red" variant="light" style={{ flexShrink: 0 }}>
                        failed
                      </Badge>
                    )}
                  </Group>
                </UnstyledButton>
              ) : (
                <Group justify="center" h="100%">
                  <Loader size="sm" aria-label="Loading older entries" />
                </Group>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
