// The layered Test as it runs: each step with ✓ / ✗, what was observed, and on failure the cause and fix.
import { Badge, Group, List, Loader, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMinus, IconX } from '@tabler/icons-react';
import type { TestStep } from '../../../src-shared/schemas/providers';

const look = {
  pass: { color: 'teal', icon: <IconCheck size={14} />, word: 'Passed' },
  warn: { color: 'yellow', icon: <IconAlertTriangle size={14} />, word: 'Warning' },
  fail: { color: 'red', icon: <IconX size={14} />, word: 'Failed' },
  skip: { color: 'gray', icon: <IconMinus size={14} />, word: 'Skipped' },
  running: { color: 'blue', icon: <Loader size={10} color="white" />, word: 'Running' },
} as const;

export function TestSteps({ steps }: { steps: TestStep[] }) {
  return (
    <List spacing="xs" listStyleType="none" aria-label="Test steps" aria-live="polite">
      {steps.map((step) => {
        const l = look[step.status];
        return (
          <List.Item key={step.id} data-testid={`step-${step.id}`} data-status={step.status}>
            <Group align="flex-start" gap="sm" wrap="nowrap">
              <ThemeIcon color={l.color} size="sm" radius="xl" aria-hidden>
                {l.icon}
              </ThemeIcon>
              <Stack gap={2} style={{ flex: 1 }}>
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {step.title}
                  </Text>
                  <Badge size="xs" variant="light" color={l.color}>
                    {l.word}
                  </Badge>
                  {step.durationMs !== undefined && (
                    <Text size="xs" c="dimmed">
                      {step.durationMs} ms
                    </Text>
                  )}
                </Group>
                <Text size="sm">{step.observed}</Text>
                {(step.cause || step.fix) && (
                  <Paper withBorder p="xs" bg="var(--mantine-color-default-hover)">
                    {step.cause && (
                      <Text size="sm">
                        <b>Cause:</b> {step.cause}
                      </Text>
                    )}
                    {step.fix && (
                      <Text size="sm">
                        <b>Fix:</b> {step.fix}
                      </Text>
                    )}
                  </Paper>
                )}
              </Stack>
            </Group>
          </List.Item>
        );
      })}
    </List>
  );
}
