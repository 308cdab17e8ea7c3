// Everything about one log row: expected next to received, the reason, the run's times and count, and the keys.
import { Code, DataList, Drawer, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { LogRow } from '../../../src-shared/schemas/posture-log';
import { formatCount, formatTime } from './describe';
import { ResultChip } from './ResultChip';

function Side({ title, value, testId }: { title: string; value: string | null; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {title}
      </Text>
      <Text ff="monospace" size="sm" mt={4} style={{ wordBreak: 'break-word' }}>
        {value ?? '—'}
      </Text>
    </Paper>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

export function LogRowDrawer({ row, providerName, onClose }: { row: LogRow | undefined; providerName: (id: string) => string; onClose: () => void }) {
  return (
    <Drawer
      opened={row !== undefined}
      onClose={onClose}
      position="right"
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close details' }}
      title={
        row ? (
          <Title order={3} size="h4">
            {row.deviceName} · {row.checkName}
          </Title>
        ) : null
      }
    >
      {row && (
        <Stack gap="md">
          <Group gap="sm">
            <ResultChip result={row.result} size="lg" />
            <Text size="sm">{row.reason ?? 'No reason recorded.'}</Text>
          </Group>
          <SimpleGrid cols={2} spacing="sm">
            <Side title="Expected" value={row.expected} testId="drawer-expected" />
            <Side title="Received" value={row.received} testId="drawer-received" />
          </SimpleGrid>
          <DataList withDivider labelWidth={150}>
            <Item label="Time">{formatTime(row.at)}</Item>
            <Item label="First evaluated">{formatTime(row.firstEvaluatedAt)}</Item>
            <Item label="Last evaluated">{formatTime(row.lastEvaluatedAt)}</Item>
            <Item label="Evaluations">
              {formatCount(row.count)} {row.count === 1 ? 'poll' : 'polls'} with this result
            </Item>
            <Item label="Device">{row.deviceName}</Item>
            <Item label="Serial (as reported)">
              {row.serial ? (
                // Exactly as the provider sent it: spaces and line breaks shown, not collapsed.
                <Code data-testid="drawer-serial" style={{ whiteSpace: 'pre-wrap' }}>
                  {row.serial}
                </Code>
              ) : (
                <Text span c="dimmed" size="sm">
                  {row.serial === '' ? 'reported empty' : 'none reported'}
                </Text>
              )}
            </Item>
            <Item label="Match key">
              {row.serialKey ? (
                <Code data-testid="drawer-match-key">{row.serialKey}</Code>
              ) : (
                <Text span c="dimmed" size="sm">
                  none (the serial does not identify one machine)
                </Text>
              )}
            </Item>
            <Item label="Platform">
              {row.platform ?? (
                <Text span c="dimmed" size="sm">
                  unknown
                </Text>
              )}
            </Item>
            <Item label="Device key">
              <Code>{row.deviceKey}</Code>
            </Item>
            <Item label="Provider">
              {providerName(row.providerId)} <Code>{row.providerId}</Code>
            </Item>
            <Item label="Check">
              {row.checkName} <Code>{row.checkId}</Code>
            </Item>
            <Item label="Row id">
              <Code>{row.id}</Code>
            </Item>
          </DataList>
        </Stack>
      )}
    </Drawer>
  );
}
