// Checks: the posture checks of each provider, with an enabled switch, edit and remove, and the editor with its what-if.
import { Anchor, Badge, Button, Group, Loader, Modal, Paper, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isPostureProviderKind, postureAttributes, type PostureCheck } from '../../../src-shared/schemas/posture';
import { providerKindLabels } from '../../../src-shared/schemas/providers';
import { useChecks, useRemoveCheck, useSaveCheck } from '../../api/posture';
import { useProviders } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { CheckEditor, type PostureProviderConfig } from './CheckEditor';
import { ruleText } from './ruleText';
import { countOf } from '../../app/numbers';

type Editing = { existing?: PostureCheck; providerId?: string } | null;

function CheckRow({ check, onEdit }: { check: PostureCheck; onEdit: () => void }) {
  const save = useSaveCheck();
  const remove = useRemoveCheck();
  const providers = useProviders();
  const sourceName = (id: string) => providers.data?.find((v) => v.config.id === id)?.config.name;
  // While the switch's save is in flight, show where it is going.
  const enabled = save.isPending ? !check.enabled : check.enabled;
  return (
    <Table.Tr data-testid={`check-${check.name}`}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {check.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{postureAttributes[check.rule.attribute].label}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {ruleText(check.rule, sourceName)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Switch
          checked={enabled}
          disabled={save.isPending}
          onChange={(e) => save.mutate({ ...check, enabled: e.currentTarget.checked })}
          onLabel="On"
          offLabel="Off"
          size="md"
          aria-label={`Enabled: ${check.name}`}
        />
        {save.isError && (
          <Text size="xs" c="red">
            {save.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${check.name}`}>
            Edit
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            loading={remove.isPending}
            aria-label={`Remove ${check.name}`}
            onClick={() => {
              if (window.confirm(`Remove the check "${check.name}"? Its rows stay in the posture log.`)) remove.mutate(check.id);
            }}
          >
            Remove
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function ProviderChecks({
  title,
  subtitle,
  checks,
  onEdit,
  onAdd,
}: {
  title: string;
  subtitle: string;
  checks: PostureCheck[];
  onEdit: (c: PostureCheck) => void;
  onAdd?: () => void;
}) {
  return (
    <Paper withBorder component="section" aria-label={`Checks on ${title}`}>
      <Group justify="space-between" p="sm">
        <div>
          <Title order={3} size="h5">
            {title}
          </Title>
          <Text size="xs" c="dimmed">
            {subtitle}
          </Text>
        </div>
        <Group gap="xs">
          <Badge variant="light" color="gray">
            {countOf(checks.length, 'check')}
          </Badge>
          {onAdd && (
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={onAdd} aria-label={`Add a check on ${title}`}>
              Add check
            </Button>
          )}
        </Group>
      </Group>
      {checks.length === 0 ? (
        <Text size="sm" c="dimmed" px="sm" pb="sm">
          No checks on this provider yet; its devices are polled but not evaluated.
        </Text>
      ) : (
        <Table aria-label={`Checks on ${title}`} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Attribute</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Enabled</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {checks.map((c) => (
              <CheckRow key={c.id} check={c} onEdit={() => onEdit(c)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

export function ChecksPage() {
  const providers = useProviders();
  const checks = useChecks();
  // `?add=<providerId>` (the Dashboard's "Add a check") opens the editor on that provider.
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Editing>(() => (params.get('add') ? { providerId: params.get('add')! } : null));
  useEffect(() => {
    if (params.has('add')) setParams({}, { replace: true });
  }, [params, setParams]);
  const posture = (providers.data ?? []).map((v) => v.config).filter((c): c is PostureProviderConfig => isPostureProviderKind(c.kind));
  const known = new Set(posture.map((p) => p.id));
  const orphans = (checks.data ?? []).filter((c) => !known.has(c.providerId));
  const loading = providers.isPending || checks.isPending;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Checks</Title>
        <Button leftSection={<IconPlus size={16} />} disabled={posture.length === 0} onClick={() => setEditing({})}>
          Add check
        </Button>
      </Group>
      {loading && <Loader aria-label="Loading checks" />}
      {providers.isError && <ErrorNotice error={providers.error} />}
      {checks.isError && <ErrorNotice error={checks.error} />}
      {!loading && posture.length === 0 && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No posture providers yet</Text>
          <Text c="dimmed" size="sm">
            Checks run on CrowdStrike Falcon ZTA and SentinelOne connections. Add one on the{' '}
            <Anchor component={Link} to="/providers">
              Providers
            </Anchor>{' '}
            page first.
          </Text>
        </Paper>
      )}
      {checks.data &&
        posture.map((p) => (
          <ProviderChecks
            key={p.id}
            title={p.name}
            subtitle={providerKindLabels[p.kind]}
            checks={checks.data.filter((c) => c.providerId === p.id)}
            onEdit={(existing) => setEditing({ existing })}
            onAdd={() => setEditing({ providerId: p.id })}
          />
        ))}
      {orphans.length > 0 && (
        <ProviderChecks
          title="Provider not found"
          subtitle="These checks point at a provider that no longer exists; edit them to choose another one."
          checks={orphans}
          onEdit={(existing) => setEditing({ existing })}
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.existing ? `Edit check: ${editing.existing.name}` : 'New posture check'}
        size="72rem"
      >
        {editing && <CheckEditor providers={posture} existing={editing.existing} providerId={editing.providerId} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
