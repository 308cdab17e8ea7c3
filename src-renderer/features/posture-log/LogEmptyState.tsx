// Why the log is empty, and where to go about it: no providers, no checks, no polls yet, or filters that match nothing.
import { Anchor, Button, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';

export type EmptyReason = 'no-providers' | 'no-checks' | 'no-polls' | 'filtered';

const copy: Record<EmptyReason, { title: string; text: string; link?: { to: string; label: string } }> = {
  'no-providers': {
    title: 'No posture providers yet',
    text: 'The log records what CrowdStrike Falcon ZTA and SentinelOne report at each poll. Connect one first.',
    link: { to: '/providers', label: 'Add a provider' },
  },
  'no-checks': {
    title: 'No posture checks yet',
    text: 'Polls only write to the log what checks evaluate. Add a check, such as a minimum ZTA score or "not infected".',
    link: { to: '/checks', label: 'Add a check' },
  },
  'no-polls': {
    title: 'Nothing evaluated yet',
    text: 'Rows appear when a provider’s poll finishes: right after it is added, then on its poll interval.',
    link: { to: '/dashboard', label: 'See when each provider last polled' },
  },
  filtered: {
    title: 'No rows for these filters',
    text: 'Nothing in the log matches the time range, providers, checks, results and search chosen above.',
  },
};

export function LogEmptyState({ reason, onClear }: { reason: EmptyReason; onClear: () => void }) {
  const { title, text, link } = copy[reason];
  return (
    <Paper withBorder p="lg" data-testid="empty-state">
      <Text fw={600}>{title}</Text>
      <Text c="dimmed" size="sm" mt={4}>
        {text}
      </Text>
      {link && (
        <Anchor component={Link} to={link.to} size="sm" mt="xs" display="inline-block">
          {link.label}
        </Anchor>
      )}
      {reason === 'filtered' && (
        <Button size="xs" variant="default" mt="sm" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Paper>
  );
}
