// One entry in full: when, who (surface, OS user, web session or CLI command), what, the outcome, and each changed field.
import { Badge, Code, Drawer, Stack, Table, Text, Title } from '@mantine/core';
import type { AuditEntry } from '../../../src-shared/schemas/audit';
import { formatTime } from '../posture-log/describe';
import { surfaceColor, surfaceLabel, valueText } from './describe';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

export function AuditDetail({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        <Title order={3} size="h4">
          {entry ? `Entry ${entry.seq}: ${entry.action}` : ''}
        </Title>
      }
      closeButtonProps={{ 'aria-label': 'Close entry' }}
    >
      {entry && (
        <Stack gap="sm" data-testid="audit-detail">
          <Text>{entry.summary}</Text>
          <Field label="Time">
            {formatTime(Date.parse(entry.at))} ({entry.at})
          </Field>
          <Field label="Actor">
            <Badge color={surfaceColor[entry.actor.surface]} variant="light" mr={6}>
              {surfaceLabel(entry.actor)}
            </Badge>
            OS user {entry.actor.osUser}
            {entry.actor.session && <> · access session {entry.actor.session}</>}
            {entry.actor.command && <> · command “{entry.actor.command}”</>}
            {entry.actor.claimed && <> · named in the request: {entry.actor.claimed}</>}
          </Field>
          <Field label="Target">
            {entry.target.kind}
            {entry.target.name && `: ${entry.target.name}`}
            {entry.target.id && (
              <Text span size="xs" c="dimmed">
                {' '}
                ({entry.target.id})
              </Text>
            )}
          </Field>
          <Field label="Outcome">
            <Badge color={entry.outcome === 'succeeded' ? 'teal' : 'red'} variant="light">
              {entry.outcome}
            </Badge>
            {entry.error && (
              <Text size="sm" mt={4}>
                {entry.error.message} <Code>{entry.error.code}</Code>
              </Text>
            )}
          </Field>
          <Field label="Channel">
            <Code>{entry.channel}</Code> · id <Code>{entry.id}</Code>
          </Field>
          <Title order={4} size="h5" mt="sm">
            Changes
          </Title>
          {entry.changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              No field changed.
            </Text>
          ) : (
            <Table aria-label="Changed fields" withTableBorder data-testid="audit-changes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Before</Table.Th>
                  <Table.Th>After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entry.changes.map((c) => (
                  <Table.Tr key={c.field}>
                    <Table.Td>
                      <Code>{c.field}</Code>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{valueText(c.before)}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{valueText(c.after)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
