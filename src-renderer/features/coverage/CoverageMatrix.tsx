// The pair matrix: a row per source the devices are in, a column per source they are missing from, each cell a button
// with the count that opens that pair's list. A source without a successful poll reads "no data", never 0.
import { Table, Text, UnstyledButton } from '@mantine/core';
import type { CoverageSummary } from '../../../src-shared/schemas/coverage';
import { countOf, formatCount } from '../../app/numbers';

export interface Pair {
  presentIn: string;
  missingFrom: string;
}

export function CoverageMatrix({ summary, selected, onSelect }: { summary: CoverageSummary; selected: Pair | null; onSelect: (pair: Pair) => void }) {
  const { sources } = summary;
  const countOfPair = (a: string, b: string) => summary.pairs.find((p) => p.presentIn === a && p.missingFrom === b);
  return (
    <Table.ScrollContainer minWidth={200 + sources.length * 140} type="native">
      <Table aria-label="Coverage matrix" withTableBorder withColumnBorders data-testid="coverage-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Text size="xs" c="dimmed" fw={500}>
                Present in ↓ · missing from →
              </Text>
            </Table.Th>
            {sources.map((s) => (
              <Table.Th key={s.providerId} scope="col">
                {s.name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sources.map((a) => (
            <Table.Tr key={a.providerId}>
              <Table.Th scope="row">
                {a.name}
                <Text size="xs" c="dimmed" fw={400}>
                  {a.fetchedAt === null ? 'no data yet' : countOf(a.devices, 'device')}
                </Text>
              </Table.Th>
              {sources.map((b) => {
                if (a.providerId === b.providerId)
                  return (
                    <Table.Td key={b.providerId} c="dimmed" ta="center" aria-label="Same source">
                      —
                    </Table.Td>
                  );
                const pair = countOfPair(a.providerId, b.providerId);
                if (!pair)
                  return (
                    <Table.Td key={b.providerId} ta="center">
                      <Text size="xs" c="dimmed" fs="italic" title="One of the two sources has no successful poll, so the gap is not known.">
                        no data
                      </Text>
                    </Table.Td>
                  );
                const isSelected = selected?.presentIn === a.providerId && selected.missingFrom === b.providerId;
                return (
                  <Table.Td key={b.providerId} ta="center" bg={isSelected ? 'var(--mantine-color-default-hover)' : undefined}>
                    <UnstyledButton
                      onClick={() => onSelect({ presentIn: a.providerId, missingFrom: b.providerId })}
                      aria-pressed={isSelected}
                      aria-label={`${countOf(pair.count, 'device')} in ${a.name}, missing from ${b.name}`}
                      data-testid="coverage-cell"
                      data-present-in={a.name}
                      data-missing-from={b.name}
                      px="sm"
                      py={4}
                      style={{ borderRadius: 4 }}
                    >
                      <Text fw={700} size="lg" c={pair.count > 0 ? 'red' : 'teal'} component="span">
                        {formatCount(pair.count)}
                      </Text>
                    </UnstyledButton>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
