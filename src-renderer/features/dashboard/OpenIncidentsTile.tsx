// The dashboard's "open incidents by priority" tile; each count links to the filtered incident list.
import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useIncidents } from '../../api/incidents';
import { useIncidentFilters } from '../incidents/incident-filters';
import { formatCount } from '../../app/numbers';

const priorities = ['P1', 'P2', 'P3', 'P4'] as const;
const open = ['new', 'in_progress'] as const;

function PriorityCount({ priority }: { priority: (typeof priorities)[number] }) {
  const page = useIncidents({ state: [...open], priority: [priority], limit: 1 });
  return (
    <Anchor
      component={Link}
      to="/incidents"
      underline="never"
      data-testid={`open-${priority}`}
      // The incident list keeps its filters in UI state: set them on the way there.
      onClick={() => {
        const filters = useIncidentFilters.getState();
        filters.clear();
        filters.setStates([...open]);
        filters.setPriorities([priority]);
      }}
    >
      <Stack gap={0} align="center">
        <Text size="xl" fw={700} c={priority === 'P1' ? 'red' : priority === 'P2' ? 'orange' : undefined}>
          {page.data ? formatCount(page.data.total) : '–'}
        </Text>
        <Text size="xs" c="dimmed">
          {priority}
        </Text>
      </Stack>
    </Anchor>
  );
}

export function OpenIncidentsTile() {
  return (
    <Paper withBorder p="md" role="region" aria-label="Open incidents by priority">
      <Stack gap="xs">
        <Text fw={600}>Open incidents by priority</Text>
        <Group gap="lg">
          {priorities.map((p) => (
            <PriorityCount key={p} priority={p} />
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}
