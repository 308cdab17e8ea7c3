// An honest empty state for a section whose feature has not landed yet.
import { Paper, Stack, Text, Title } from '@mantine/core';

export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <Stack gap="md" maw={720}>
      <Title order={2}>{title}</Title>
      <Paper withBorder p="lg" data-testid="empty-state">
        <Text fw={600}>Nothing here yet</Text>
        <Text c="dimmed" size="sm" mt={4}>{what}</Text>
      </Paper>
    </Stack>
  );
}
