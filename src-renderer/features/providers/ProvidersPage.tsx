// Providers: every connection with its health, one-click Test with live steps, add / edit / remove.
import { Alert, Button, Group, List, Loader, Menu, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlayerPlay, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { providerKindLabels, ProviderKind, type ProviderView } from '../../../src-shared/schemas/providers';
import { useProviders, useRemoveProvider, useTestAllProviders, type TestAllOutcome } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { useRequestedActions } from '../../state/requested-actions';
import { ago, endpointOf } from './describe';
import { HealthBadge } from './HealthBadge';
import { ProviderForm } from './ProviderForm';
import { TestPanel } from './TestPanel';

type Editing = { kind: ProviderKind; existing?: ProviderView } | null;

function ProviderRow({ view, onEdit, selected, onSelect }: { view: ProviderView; onEdit: () => void; selected: boolean; onSelect: () => void }) {
  const remove = useRemoveProvider();
  const { config, secret } = view;
  return (
    <Table.Tr data-testid={`provider-${config.name}`} bg={selected ? 'var(--mantine-color-default-hover)' : undefined}>
      <Table.Td>
        <Text fw={600} size="sm">
          {config.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{providerKindLabels[config.kind]}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {endpointOf(config)}
        </Text>
      </Table.Td>
      <Table.Td>
        <HealthBadge status={view.status} />
        {view.status.state === 'failing' && (
          <Text size="xs" c="red" lineClamp={2} title={view.status.detail}>
            {view.status.detail}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{ago(view.health.lastTestAt)}</Text>
      </Table.Td>
      <Table.Td>
        {/* That a secret is set and when it changed: no part of it ever reaches this screen. */}
        {secret.configured ? (
          <Text
            size="sm"
            title={[secret.changedAt && `Changed ${new Date(secret.changedAt).toLocaleString()}`, secret.storedWith && `stored with ${secret.storedWith}`]
              .filter(Boolean)
              .join(', ')}
          >
            Set{secret.changedAt ? ` · changed ${ago(secret.changedAt)}` : ''}
          </Text>
        ) : (
          <Text size="sm" c="red">
            Missing
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" onClick={onSelect} aria-label={`Test ${config.name}`}>
            Test
          </Button>
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${config.name}`}>
            Edit
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            aria-label={`Remove ${config.name}`}
            loading={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove ${config.name}? Its stored secret is deleted too.`)) remove.mutate(config.id);
            }}
          >
            Remove
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function TestAllSummary({ outcomes, onDismiss }: { outcomes: TestAllOutcome[]; onDismiss: () => void }) {
  const failed = outcomes.filter((o) => !o.ok);
  return (
    <Alert
      color={failed.length ? 'red' : 'teal'}
      title={failed.length ? `${failed.length} of ${outcomes.length} providers failed the test` : `All ${outcomes.length} providers passed the test`}
      withCloseButton
      onClose={onDismiss}
      closeButtonLabel="Dismiss"
      data-testid="test-all-summary"
    >
      {failed.length > 0 && (
        <List size="sm">
          {failed.map((o) => (
            <List.Item key={o.providerId}>
              <b>{o.name}</b>: {o.problem ?? 'the test failed'} — press its Test for the steps and the fix.
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

export function ProvidersPage() {
  const providers = useProviders();
  const [editing, setEditing] = useState<Editing>(null);
  // The open Test panel is UI state shared with the command palette, which can open it from anywhere.
  const testing = useRequestedActions((s) => s.testPanel);
  const { openTest, closeTest, take } = useRequestedActions.getState();
  const testAll = useTestAllProviders();
  const runTestAll = () => {
    if (!providers.data?.length) return;
    closeTest();
    testAll.mutate(providers.data.map((p) => ({ id: p.config.id, name: p.config.name })));
  };
  // "Test all" from the command palette: run it once this page has the providers.
  const pendingTestAll = useRequestedActions((s) => s.pending === 'testAll');
  useEffect(() => {
    if (pendingTestAll && providers.data && take('testAll')) runTestAll();
  });

  const testedView = providers.data?.find((p) => p.config.id === testing?.providerId);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Providers</Title>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconPlayerPlay size={16} />}
            loading={testAll.isPending}
            disabled={!providers.data?.length}
            onClick={runTestAll}
          >
            Test all
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button leftSection={<IconPlus size={16} />}>Add provider</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {ProviderKind.options.map((kind) => (
                <Menu.Item key={kind} onClick={() => setEditing({ kind })}>
                  {providerKindLabels[kind]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      {testAll.isPending && (
        <Group gap="xs" role="status">
          <Loader size="xs" />
          <Text size="sm">Testing every provider…</Text>
        </Group>
      )}
      {testAll.data && !testAll.isPending && <TestAllSummary outcomes={testAll.data} onDismiss={() => testAll.reset()} />}
      {providers.isPending && <Loader aria-label="Loading providers" />}
      {providers.isError && <ErrorNotice error={providers.error} />}
      {providers.data?.length === 0 && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No providers yet</Text>
          <Text c="dimmed" size="sm">
            Add CrowdStrike Falcon or SentinelOne with the button above, then press Test to check the connection step by step.
          </Text>
        </Paper>
      )}
      {!!providers.data?.length && (
        <Paper withBorder>
          <Table aria-label="Providers" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Endpoint</Table.Th>
                <Table.Th>Health</Table.Th>
                <Table.Th>Last test</Table.Th>
                <Table.Th>Secret</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {providers.data.map((view) => (
                <ProviderRow
                  key={view.config.id}
                  view={view}
                  selected={testing?.providerId === view.config.id}
                  onSelect={() => openTest(view.config.id)}
                  onEdit={() => setEditing({ kind: view.config.kind, existing: view })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {testedView && testing && <TestPanel key={testing.nonce} view={testedView} />}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `${editing.existing ? 'Edit' : 'Add'} ${providerKindLabels[editing.kind]}` : ''}
        size="lg"
      >
        {editing && <ProviderForm kind={editing.kind} existing={editing.existing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
