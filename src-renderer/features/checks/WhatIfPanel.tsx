// What the draft would do on the current inventory before it is saved: counts, the saved version's counts, and the flips.
import { Alert, Anchor, Badge, Group, Loader, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { PostureCheckInput, ResultCounts, WhatIfResult } from '../../../src-shared/schemas/posture';
import { useWhatIf } from '../../api/posture';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { ResultBadge, resultLook } from './ResultBadge';
import { countOf, formatCount } from '../../app/numbers';

function Counts({ counts, testid }: { counts: ResultCounts; testid: string }) {
  return (
    <Group gap="xs" data-testid={testid}>
      {(['pass', 'fail', 'unknown'] as const).map((r) => (
        <Badge key={r} size="lg" variant="light" color={resultLook[r].color} data-testid={`${testid}-${r}`} data-count={counts[r]}>
          {formatCount(counts[r])} {r}
        </Badge>
      ))}
    </Group>
  );
}

function change(now: number, before: number): string {
  const d = now - before;
  return d === 0 ? 'no change' : d > 0 ? `+${d}` : String(d);
}

function Flips({ result }: { result: WhatIfResult }) {
  if (result.flipsTotal === 0) return <Text size="sm">No device would change its result.</Text>;
  const isNew = result.savedCounts === null;
  const expected = [...new Set(result.flips.map((f) => f.expected))];
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {isNew
          ? `Results per device, worst first (${countOf(result.flipsTotal, 'device')})`
          : `${countOf(result.flipsTotal, 'device')} would change, worst first`}
      </Text>
      {expected.length === 1 && (
        <Text size="xs">
          Expected:{' '}
          <Text span ff="monospace" size="xs">
            {expected[0]}
          </Text>
        </Text>
      )}
      <ScrollArea.Autosize mah={320} type="auto">
        <Table aria-label="Devices that would change" stickyHeader layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="32%">Device</Table.Th>
              <Table.Th w={150}>Before → after</Table.Th>
              {expected.length > 1 && <Table.Th>Expected</Table.Th>}
              <Table.Th>Received</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.flips.map((f) => (
              <Table.Tr key={f.deviceKey}>
                <Table.Td>
                  <Text size="sm" truncate="end" title={f.deviceName}>
                    {f.deviceName}
                  </Text>
                  {f.serial && (
                    <Text size="xs" c="dimmed" ff="monospace" truncate="end" title={f.serial}>
                      {f.serial}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" aria-label={`${f.before ?? 'new'} to ${f.after}`}>
                    <ResultBadge result={f.before} size="sm" style={{ flexShrink: 0 }} />
                    <IconArrowRight size={12} aria-hidden style={{ flexShrink: 0 }} />
                    <ResultBadge result={f.after} size="sm" style={{ flexShrink: 0 }} />
                  </Group>
                </Table.Td>
                {expected.length > 1 && (
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {f.expected}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {f.received ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{f.reason}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {result.flipsTotal > result.flips.length && (
        <Text size="xs" c="dimmed">
          Showing the first {result.flips.length} of {result.flipsTotal}.
        </Text>
      )}
    </Stack>
  );
}

/** `draft` is the debounced valid draft; `incomplete`: the form as it is now is not a valid check; `typing`: it changed since `draft`. */
export function WhatIfPanel({
  draft,
  incomplete,
  typing,
  providerName,
}: {
  draft: PostureCheckInput | null;
  incomplete: boolean;
  typing: boolean;
  providerName: string | undefined;
}) {
  const whatIf = useWhatIf(incomplete ? null : draft);
  const result = incomplete ? undefined : whatIf.data;
  const settled = !incomplete && !typing && draft !== null && !whatIf.isFetching && !whatIf.isPlaceholderData;
  return (
    <Paper withBorder p="md" component="section" aria-label="What-if" data-testid="what-if" data-state={settled ? 'ready' : 'pending'} h="100%">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            What-if
          </Title>
          {whatIf.isFetching && (
            <Group gap={6}>
              <Loader size="xs" />
              <Text size="xs" c="dimmed">
                Evaluating…
              </Text>
            </Group>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          The draft runs against the devices of the last poll; nothing is saved or logged.
        </Text>
        {incomplete && <Text size="sm">Complete the provider and the rule to see how many devices would pass.</Text>}
        {!incomplete && whatIf.isError && <ErrorNotice error={whatIf.error} />}
        {result && result.devices === 0 && (
          <Alert color="yellow" title="No devices to evaluate" data-testid="what-if-empty">
            The inventory of {providerName ?? 'this provider'} is empty: poll the provider first (
            <Anchor component={Link} to="/dashboard">
              Dashboard › Poll now
            </Anchor>
            ).
          </Alert>
        )}
        {result && result.devices > 0 && (
          <Stack gap="sm" style={{ opacity: settled ? 1 : 0.6 }}>
            <div>
              <Text size="sm" mb={4}>
                Draft on {countOf(result.devices, 'device')} (polled data as of {clockTime(result.evaluatedAt)}):
              </Text>
              <Counts counts={result.counts} testid="whatif" />
            </div>
            {result.savedCounts && (
              <div>
                <Text size="sm" mb={4}>
                  Saved version on the same devices:
                </Text>
                <Counts counts={result.savedCounts} testid="saved" />
                <Text size="xs" c="dimmed" mt={4}>
                  Pass {change(result.counts.pass, result.savedCounts.pass)}, fail {change(result.counts.fail, result.savedCounts.fail)}, unknown{' '}
                  {change(result.counts.unknown, result.savedCounts.unknown)}.
                </Text>
              </div>
            )}
            <Flips result={result} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
