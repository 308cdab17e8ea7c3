// Runs the Test as soon as it opens (the admin pressed Test) and shows the steps live.
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { ProviderView } from '../../../src-shared/schemas/providers';
import { useProviderTest } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { TestSteps } from './TestSteps';

export function TestPanel({ view }: { view: ProviderView }) {
  const test = useProviderTest(view.config.id);
  const { run } = test;
  useEffect(() => run(), [run]);
  return (
    <Paper withBorder p="md" aria-label={`Test of ${view.config.name}`} component="section">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Test: {view.config.name}
          </Title>
          {test.running && (
            <Badge color="blue" variant="light">
              Running…
            </Badge>
          )}
          {test.report && (
            <Badge color={test.report.ok ? 'teal' : 'red'} variant="filled" data-testid="test-verdict">
              {test.report.ok ? 'All checks passed' : 'Problems found'}
            </Badge>
          )}
        </Group>
        {test.steps.length === 0 && test.running && (
          <Text size="sm" c="dimmed">
            Starting…
          </Text>
        )}
        <TestSteps steps={test.steps} />
        {test.error && <ErrorNotice error={test.error} />}
      </Stack>
    </Paper>
  );
}
