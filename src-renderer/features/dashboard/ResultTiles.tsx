// Current pass / fail / unknown over every device and check; each tile opens the posture log filtered to it.
import { Paper, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { ResultCounts } from '../../../src-shared/schemas/posture';
import { formatCount } from '../../app/numbers';
import { postureLogLink } from '../../state/posture-log-filters';
import { resultLook } from '../checks/ResultBadge';

export function ResultTiles({ results }: { results: ResultCounts }) {
  const total = results.pass + results.fail + results.unknown;
  return (
    <SimpleGrid cols={3} spacing="md" component="section" aria-label="Current posture results">
      {(['pass', 'fail', 'unknown'] as const).map((result) => {
        const look = resultLook[result];
        const share = total ? Math.round((results[result] / total) * 100) : 0;
        return (
          <UnstyledButton
            key={result}
            component={Link}
            to={postureLogLink({ result })}
            aria-label={`${look.word}: ${results[result]} results (${share}%). Open them in the posture log`}
            data-testid={`tile-${result}`}
          >
            <Paper withBorder p="md" style={{ borderLeft: `4px solid var(--mantine-color-${look.color}-6)` }}>
              <Text size="sm" c="dimmed">
                {look.word}
              </Text>
              <Text fz={28} fw={700} data-testid={`count-${result}`}>
                {formatCount(results[result])}
              </Text>
              <Text size="xs" c="dimmed">
                {total ? `${share}% of ${formatCount(total)} device checks` : 'No results yet'}
              </Text>
            </Paper>
          </UnstyledButton>
        );
      })}
    </SimpleGrid>
  );
}
