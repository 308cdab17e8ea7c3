// The ordered rule list: first match wins, so order is the admin's main tool. Reorder by dragging the
// handle, by the handle's keyboard mode (Space, arrows, Space), with Alt+↑/↓ on a rule, or the Move buttons.
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Badge, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconGripVertical } from '@tabler/icons-react';
import type { KeyboardEvent } from 'react';
import type { DetectionRule } from '../../../src-shared/schemas/rules';
import { ActionChip, PriorityChip } from '../incidents/IncidentChips';

const itemId = (id: string) => `rule-item-${id}`;

/** Focus follows the rule that moved, so repeated Alt+↓ keeps moving the same rule. */
function refocus(id: string) {
  requestAnimationFrame(() => document.getElementById(itemId(id))?.focus());
}

function RuleItem({
  rule,
  index,
  count,
  selected,
  problems,
  onSelect,
  onMove,
}: {
  rule: DetectionRule;
  index: number;
  count: number;
  selected: boolean;
  problems: number;
  onSelect: () => void;
  onMove: (to: number) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: rule.id });
  const onKeyDown = (e: KeyboardEvent) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const to = index + (e.key === 'ArrowUp' ? -1 : 1);
    if (to < 0 || to >= count) return;
    onMove(to);
    refocus(rule.id);
  };
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      p={6}
      data-testid={`rule-item-${index + 1}`}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        opacity: isDragging ? 0.6 : 1,
        borderColor: selected ? 'var(--mantine-primary-color-filled)' : undefined,
        background: selected ? 'var(--mantine-primary-color-light)' : undefined,
      }}
    >
      <Group gap={6} wrap="nowrap">
        <ActionIcon
          ref={setActivatorNodeRef}
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={`Drag ${rule.name} to reorder`}
          style={{ cursor: 'grab' }}
          {...attributes}
          {...listeners}
        >
          <IconGripVertical size={16} />
        </ActionIcon>
        <UnstyledButton
          id={itemId(rule.id)}
          onClick={onSelect}
          onKeyDown={onKeyDown}
          aria-current={selected ? 'true' : undefined}
          aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
          style={{ flex: 1, minWidth: 0 }}
        >
          <Text size="sm" fw={600} truncate>
            <Text span c="dimmed" size="xs">
              {index + 1}.{' '}
            </Text>
            {rule.name}
          </Text>
          <Group gap={4} mt={2}>
            <ActionChip action={rule.action} size="xs" />
            {rule.priority && rule.action === 'create_incident' && <PriorityChip priority={rule.priority} size="xs" />}
            {problems > 0 && (
              <Badge size="xs" color="red" variant="outline">
                {problems === 1 ? '1 problem' : `${problems} problems`}
              </Badge>
            )}
          </Group>
        </UnstyledButton>
        <Stack gap={0}>
          <ActionIcon variant="subtle" size="xs" aria-label={`Move ${rule.name} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            <IconArrowUp size={14} />
          </ActionIcon>
          <ActionIcon variant="subtle" size="xs" aria-label={`Move ${rule.name} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            <IconArrowDown size={14} />
          </ActionIcon>
        </Stack>
      </Group>
    </Paper>
  );
}

export function RuleList({
  rules,
  selectedId,
  problems,
  onSelect,
  onReorder,
}: {
  rules: DetectionRule[];
  selectedId: string | null;
  problems: Map<number, Record<string, string>>;
  onSelect: (id: string) => void;
  onReorder: (rules: DetectionRule[]) => void;
}) {
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const nameOf = (id: string | number) => rules.find((r) => r.id === id)?.name ?? String(id);
  const positionOf = (id: string | number) => rules.findIndex((r) => r.id === id) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${nameOf(active.id)}, position ${positionOf(active.id)} of ${rules.length}. Arrow keys move it, Space drops it, Escape cancels.`,
    onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} is over position ${positionOf(over.id)}.` : undefined),
    onDragEnd: ({ active, over }) => (over ? `${nameOf(active.id)} dropped at position ${positionOf(over.id)}.` : `${nameOf(active.id)} dropped.`),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
  };
  const move = (from: number, to: number) => onReorder(arrayMove(rules, from, to));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    move(positionOf(active.id) - 1, positionOf(over.id) - 1);
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements }}>
      <SortableContext items={rules.map((r) => r.id)} strategy={verticalListSortingStrategy}>
        <Stack gap={6} role="list" aria-label="Rules in order">
          {rules.map((rule, index) => (
            <div role="listitem" key={rule.id}>
              <RuleItem
                rule={rule}
                index={index}
                count={rules.length}
                selected={rule.id === selectedId}
                problems={Object.keys(problems.get(index) ?? {}).length}
                onSelect={() => onSelect(rule.id)}
                onMove={(to) => move(index, to)}
              />
            </div>
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
}
