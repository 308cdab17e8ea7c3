// Sinks: where events are forwarded (syslog, Splunk HEC, OTLP), each with its lag, rate and last error, the
// layered Test with cause and fix, and the dead letters a sink refused for good.
import { Alert, Badge, Button, Group, Menu, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { SinkKind, sinkKindLabels, type SinkConfig, type SinkView } from '../../../src-shared/schemas/sinks';
import { useDeadLetterAction, useDeadLetters, useRemoveSink, useSinks, useSinkTest } from '../../api/sinks';
import { ErrorNotice } from '../../app/ErrorNotice';
import { formatCount } from '../../app/numbers';
import { TestSteps } from '../providers/TestSteps';
import { SinkForm } from './SinkForm';

type Editing = { kind: SinkKind; existing?: SinkView } | null;
type Panel = { sinkId: string; what: 'test' | 'dead' } | null;

function endpointOf(config: SinkConfig): string {
  if (config.kind === 'syslog') return `${config.transport}://${config.host}:${config.port}`;
  return config.url;
}

function ago(iso: string | null): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

function StatusCell({ view }: { view: SinkView }) {
  const s = view.status;
  const state = !view.config.enabled ? 'off' : s.lastError && (s.retryAt || s.pending > 0) ? 'failing' : s.pending > 0 ? 'sending' : 'up to date';
  const color = { off: 'gray', failing: 'red', sending: 'blue', 'up to date': 'teal' }[state];
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <Badge color={color} variant="light" data-testid={`sink-state-${view.config.name}`}>
          {state}
        </Badge>
        <Text size="xs" c="dimmed">
          {formatCount(s.delivered)} delivered · {s.ratePerMinute.toFixed(1)}/min
        </Text>
      </Group>
      <Text size="xs" data-testid={`sink-lag-${view.config.name}`}>
        {s.pending === 0 ? 'Nothing waiting' : `${formatCount(s.pending)} waiting, oldest ${ago(s.oldestPendingAt)}`}
        {s.dropped > 0 && ` · ${formatCount(s.dropped)} dropped by the cap`}
        {s.deadLetters > 0 && ` · ${formatCount(s.deadLetters)} dead letters`}
      </Text>
      {s.lastError && state === 'failing' && (
        <Text size="xs" c="red" title={s.lastError.fix}>
          {s.lastError.message} Fix: {s.lastError.fix}
          {s.retryAt && ` Next try ${new Date(s.retryAt).toLocaleTimeString()}.`}
        </Text>
      )}
    </Stack>
  );
}

function TestPanel({ view }: { view: SinkView }) {
  const test = useSinkTest(view.config.id);
  const { run } = test;
  useEffect(() => run(), [run]);
  return (
    <Paper withBorder p="md" component="section" aria-label={`Test of ${view.config.name}`}>
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
            <Badge color={test.report.ok ? 'teal' : 'red'} variant="filled" data-testid="sink-test-verdict">
              {test.report.ok ? 'All checks passed' : 'Problems found'}
            </Badge>
          )}
        </Group>
        <TestSteps steps={test.steps} />
        {test.error && <ErrorNotice error={test.error} />}
      </Stack>
    </Paper>
  );
}

function DeadLettersPanel({ view }: { view: SinkView }) {
  const letters = useDeadLetters(view.config.id);
  const retry = useDeadLetterAction(view.config.id, 'retry');
  const discard = useDeadLetterAction(view.config.id, 'discard');
  const refetch = () => void letters.refetch();
  return (
    <Paper withBorder p="md" component="section" aria-label={`Dead letters of ${view.config.name}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Dead letters: {view.config.name}
          </Title>
          <Group gap="xs">
            <Button size="xs" disabled={!letters.data?.length} loading={retry.isPending} onClick={() => retry.mutate(undefined, { onSuccess: refetch })}>
              Retry all
            </Button>
            <Button
              size="xs"
              color="red"
              variant="subtle"
              disabled={!letters.data?.length}
              loading={discard.isPending}
              onClick={() => {
                if (window.confirm('Discard every dead letter of this sink? They are not sent.')) discard.mutate(undefined, { onSuccess: refetch });
              }}
            >
              Discard all
            </Button>
          </Group>
        </Group>
        {letters.error && <ErrorNotice error={letters.error} />}
        {letters.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            Nothing refused: every event this sink took was accepted.
          </Text>
        )}
        {!!letters.data?.length && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Refused</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {letters.data.map((l) => (
                <Table.Tr key={l.eventId}>
                  <Table.Td>{new Date(l.deadAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{l.summary}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {l.eventId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{l.reason}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => retry.mutate([l.eventId], { onSuccess: refetch })}>
                        Retry
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => discard.mutate([l.eventId], { onSuccess: refetch })}>
                        Discard
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

export function SinksPage() {
  const sinks = useSinks();
  const remove = useRemoveSink();
  const [editing, setEditing] = useState<Editing>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const panelView = sinks.data?.find((s) => s.config.id === panel?.sinkId);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Sinks</Title>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button leftSection={<IconPlus size={16} />}>Add sink</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {SinkKind.options.map((kind) => (
              <Menu.Item key={kind} onClick={() => setEditing({ kind })}>
                {sinkKindLabels[kind]}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Text size="sm" c="dimmed">
        Posture changes, incidents, user-risk changes and audit entries go to your SOC systems through a durable outbox: nothing is lost while a receiver is
        down, up to each sink&apos;s cap.
      </Text>
      {sinks.error && <ErrorNotice error={sinks.error} />}
      {sinks.data?.length === 0 && (
        <Alert variant="light" title="No sinks yet">
          Add a syslog receiver, a Splunk HTTP Event Collector or an OpenTelemetry collector to forward events.
        </Alert>
      )}
      {!!sinks.data?.length && (
        <Table verticalSpacing="xs" aria-label="Sinks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Destination</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Token</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sinks.data.map((view) => (
              <Table.Tr key={view.config.id} data-testid={`sink-${view.config.name}`}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {view.config.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{sinkKindLabels[view.config.kind]}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {endpointOf(view.config)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusCell view={view} />
                </Table.Td>
                <Table.Td>
                  {view.token === null ? (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  ) : view.token.configured ? (
                    <Text size="sm">Set</Text>
                  ) : (
                    <Text size="sm" c={view.config.kind === 'splunk-hec' ? 'red' : 'dimmed'}>
                      {view.config.kind === 'splunk-hec' ? 'Missing' : 'None'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" aria-label={`Test ${view.config.name}`} onClick={() => setPanel({ sinkId: view.config.id, what: 'test' })}>
                      Test
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Edit ${view.config.name}`}
                      onClick={() => setEditing({ kind: view.config.kind, existing: view })}
                    >
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Dead letters of ${view.config.name}`}
                      onClick={() => setPanel({ sinkId: view.config.id, what: 'dead' })}
                    >
                      Dead letters
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${view.config.name}`}
                      onClick={() => {
                        if (window.confirm(`Remove ${view.config.name}? Events waiting for it and its stored token are deleted too.`))
                          remove.mutate(view.config.id);
                      }}
                    >
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {panelView && panel?.what === 'test' && <TestPanel key={`test-${panelView.config.id}`} view={panelView} />}
      {panelView && panel?.what === 'dead' && <DeadLettersPanel key={`dead-${panelView.config.id}`} view={panelView} />}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.existing ? `Edit ${editing.existing.config.name}` : editing ? `Add ${sinkKindLabels[editing.kind]}` : ''}
        size="lg"
      >
        {editing && <SinkForm kind={editing.kind} existing={editing.existing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
