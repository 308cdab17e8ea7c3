// A device's current posture: the latest result of each check, as a compact summary for the table row and
// as a table with expected next to received for the detail panel.
import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import type { LogRow, PostureResult } from '../../../src-shared/schemas/posture-log';
import { resultLabel } from '../posture-log/describe';
import { ResultChip } from '../posture-log/ResultChip';
import { ago } from '../dashboard/when';
import { countOf, formatCount } from '../../app/numbers';

const ORDER: PostureResult[] = ['fail', 'unknown', 'pass'];

/** "1 fail · 2 pass", worst first, with each check's result in the tooltip. */
export function ResultSummary({ rows }: { rows: LogRow[] }) {
  if (rows.length === 0)
    return (
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        not evaluated
      </Text>
    );
  const counts = ORDER.map((result) => [result, rows.filter((r) => r.result === result).length] as const).filter(([, n]) => n > 0);
  const detail = rows.map((r) => `${r.checkName}: ${resultLabel[r.result].label.toLowerCase()}${r.received === null ? '' : ` (${r.received})`}`).join('\n');
  return (
    <Tooltip label={detail} multiline w={320} style={{ whiteSpace: 'pre-line' }}>
      <Group gap={4} wrap="wrap" data-testid="device-results" aria-label={`Current results: ${counts.map(([r, n]) => `${formatCount(n)} ${r}`).join(', ')}`}>
        {counts.map(([result, n]) => (
          <Badge
            key={result}
            size="sm"
            variant="light"
            color={resultLabel[result].color}
            data-result={result}
            style={{ flexShrink: 0, minWidth: 'max-content' }}
          >
            {formatCount(n)} {resultLabel[result].label.toLowerCase()}
          </Badge>
        ))}
      </Group>
    </Tooltip>
  );
}

export function CurrentResultsTable({ rows, providerName, now }: { rows: LogRow[]; providerName: (id: string) => string; now: number }) {
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No check has evaluated this device yet. Results appear after the next poll of a provider with checks.
      </Text>
    );
  return (
    <Table aria-label="Current results" verticalSpacing={4} data-testid="current-results">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Check</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th>Expected</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Since</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <Text size="sm">{r.checkName}</Text>
              <Text size="xs" c="dimmed">
                {providerName(r.providerId)}
              </Text>
            </Table.Td>
            <Table.Td>
              <ResultChip result={r.result} />
              {r.reason && (
                <Text size="xs" mt={2}>
                  {r.reason}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {r.expected ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {r.received ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Tooltip label={`Last evaluated ${ago(r.lastEvaluatedAt, now)}, ${countOf(r.count, 'evaluation')} with this result`}>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {ago(r.firstEvaluatedAt, now)}
                </Text>
              </Tooltip>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
