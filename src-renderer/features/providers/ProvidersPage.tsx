// Providers: every connection with its health, one-click Test with live steps, add / edit / remove.
import { Badge, Button, Group, Loader, Menu, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { providerKindLabels, ProviderKind, type ProviderView } from '../../../src-shared/schemas/providers';
import { useProviders, useRemoveProvider } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { ago, endpointOf, healthLabel, healthOf } from './describe';
import { ProviderForm } from './ProviderForm';
import { TestPanel } from './TestPanel';

type Editing = { kind: ProviderKind; existing?: ProviderView } | null;

function ProviderRow({ view, onEdit, selected, onSelect }: { view: ProviderView; onEdit: () => void; selected: boolean; onSelect: () => void }) {
  const remove = useRemoveProvider();
  const health = healthLabel[healthOf(view)];
  const { config } = view;
  return (
    <Table.Tr data-testid={`provider-${config.name}`} bg={selected ? 'var(--mantine-color-default-hover)' : undefined}>
      <Table.Td><Text fw={600} size="sm">{config.name}</Text></Table.Td>
      <Table.Td><Text size="sm">{providerKindLabels[config.kind]}</Text></Table.Td>
      <Table.Td><Text size="sm" ff="monospace">{endpointOf(config)}</Text></Table.Td>
      <Table.Td>
        <Badge variant="light" color={health.color}>{health.label}</Badge>
        {view.health.lastError && <Text size="xs" c="red" lineClamp={2} title={view.health.lastError}>{view.health.lastError}</Text>}
      </Table.Td>
      <Table.Td><Text size="sm">{ago(view.health.lastTestAt)}</Text></Table.Td>
      <Table.Td><Text size="sm" ff="monospace">{view.secret.configured ? view.secret.hint : <Text span c="red" size="sm">missing</Text>}</Text></Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" onClick={onSelect} aria-label={`Test ${config.name}`}>Test</Button>
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${config.name}`}>Edit</Button>
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

export function ProvidersPage() {
  const providers = useProviders();
  const [editing, setEditing] = useState<Editing>(null);
  const [testing, setTesting] = useState<{ id: string; nonce: number } | null>(null);

  const testedView = providers.data?.find((p) => p.config.id === testing?.id);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Providers</Title>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button leftSection={<IconPlus size={16} />}>Add provider</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {ProviderKind.options.map((kind) => (
              <Menu.Item key={kind} onClick={() => setEditing({ kind })}>{providerKindLabels[kind]}</Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {providers.isPending && <Loader aria-label="Loading providers" />}
      {providers.isError && <ErrorNotice error={providers.error} />}
      {providers.data?.length === 0 && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No providers yet</Text>
          <Text c="dimmed" size="sm">Add CrowdStrike Falcon or SentinelOne with the button above, then press Test to check the connection step by step.</Text>
        </Paper>
      )}
      {!!providers.data?.length && (
        <Paper withBorder>
          <Table aria-label="Providers" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Endpoint</Table.Th><Table.Th>Health</Table.Th>
                <Table.Th>Last test</Table.Th><Table.Th>Secret</Table.Th><Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {providers.data.map((view) => (
                <ProviderRow
                  key={view.config.id}
                  view={view}
                  selected={testing?.id === view.config.id}
                  onSelect={() => setTesting({ id: view.config.id, nonce: Date.now() })}
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
