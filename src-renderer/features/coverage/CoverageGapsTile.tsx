// The Dashboard's coverage tile: the biggest gaps between posture sources, each linking to that pair's list.
import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useCoverageSummary } from '../../api/coverage';
import { countOf, formatCount } from '../../app/numbers';
import { coverageLink } from './describe';

const SHOWN = 3;

export function CoverageGapsTile() {
  const summary = useCoverageSummary();
  const names = new Map(summary.data?.sources.map((s) => [s.providerId, s.name]));
  const gaps = [...(summary.data?.pairs ?? [])]
    .filter((p) => p.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, SHOWN);
  const sources = summary.data?.sources.length ?? 0;
  return (
    <Paper withBorder p="md" role="region" aria-label="Coverage gaps">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Coverage gaps</Text>
          <Anchor component={Link} to="/coverage" size="sm">
            All pairs
          </Anchor>
        </Group>
        {summary.data && sources < 2 && (
          <Text size="sm" c="dimmed">
            Add a second posture source to see the devices one reports and the other does not.
          </Text>
        )}
        {summary.data && sources >= 2 && summary.data.pairs.length === 0 && (
          <Text size="sm" c="dimmed">
            Known after each source's first successful poll.
          </Text>
        )}
        {summary.data && summary.data.pairs.length > 0 && gaps.length === 0 && (
          <Text size="sm" c="teal">
            No gaps: every device is in every source.
          </Text>
        )}
        {gaps.map((p) => (
          <Anchor
            key={`${p.presentIn}:${p.missingFrom}`}
            component={Link}
            to={coverageLink(p)}
            underline="never"
            data-testid="coverage-gap"
            aria-label={`${countOf(p.count, 'device')} in ${names.get(p.presentIn)}, missing from ${names.get(p.missingFrom)}`}
          >
            <Group gap="sm" wrap="nowrap">
              <Text size="xl" fw={700} c="red" miw={70} ta="right">
                {formatCount(p.count)}
              </Text>
              <Text size="sm" c="var(--mantine-color-text)">
                in {names.get(p.presentIn)}, missing from {names.get(p.missingFrom)}
              </Text>
            </Group>
          </Anchor>
        ))}
      </Stack>
    </Paper>
  );
}
