// The dashboard's "users by risk level" tile: a count per level, each linking to the Users page filtered to it.
import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RiskCounts } from '../../../src-shared/schemas/users';
import { levelLook, levelsHighFirst } from './describe';
import { formatCount } from '../../app/numbers';

export function UsersByRiskTile({ counts }: { counts: RiskCounts | undefined }) {
  return (
    <Paper withBorder p="md" role="region" aria-label="Users by risk level">
      <Stack gap="xs">
        <Text fw={600}>Users by risk level</Text>
        {!counts && (
          <Text size="sm" c="dimmed">
            User risk is not available.
          </Text>
        )}
        {counts && (
          <Group gap="lg">
            {levelsHighFirst.map((level) => (
              <Anchor key={level} component={Link} to={`/users?level=${level}`} underline="never" data-testid={`users-${level}`}>
                <Stack gap={0} align="center">
                  <Text size="xl" fw={700} c={level === 'none' ? 'dimmed' : levelLook[level].color}>
                    {formatCount(counts[level])}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {levelLook[level].word}
                  </Text>
                </Stack>
              </Anchor>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
