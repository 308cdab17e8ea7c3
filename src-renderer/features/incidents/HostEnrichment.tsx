// Host details: the enrichment read when the incident was made (with Retry when it failed) and the host's
// configuration item, its latest mapped view. Both are key → value tables of the enrichment mapping.
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { HostCi, IncidentDetail } from '../../../src-shared/schemas/incidents';
import { useRetryEnrichment } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { EnrichmentChip } from './IncidentChips';

type JsonValue = IncidentDetail['enrichment']['fields'][string];

export function jsonText(value: JsonValue): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.length ? value.map(jsonText).join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function FieldTable({ fields, label }: { fields: Record<string, JsonValue>; label: string }) {
  const entries = Object.entries(fields);
  if (entries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No fields.
      </Text>
    );
  return (
    <Table aria-label={label} withRowBorders={false}>
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th w={170} fw={500}>
              <Text size="sm" c="dimmed">
                {key}
              </Text>
            </Table.Th>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-word' }}>
                {jsonText(value)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function HostEnrichment({ incident }: { incident: IncidentDetail }) {
  const retry = useRetryEnrichment();
  const { enrichment } = incident;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <EnrichmentChip state={enrichment.state} />
        {enrichment.at && (
          <Text size="xs" c="dimmed">
            read {clockTime(Date.parse(enrichment.at))}
          </Text>
        )}
      </Group>
      {enrichment.state === 'skipped' && (
        <Text size="sm" c="dimmed">
          Host enrichment is off for this integration (Providers → edit the integration).
        </Text>
      )}
      {enrichment.state === 'pending' && (
        <Text size="sm" c="dimmed">
          Reading the host from the Falcon Hosts API…
        </Text>
      )}
      {enrichment.problem && (
        <Alert color="red" variant="light" title={enrichment.problem.message} role="alert">
          {enrichment.problem.fix && <Text size="sm">Fix: {enrichment.problem.fix}</Text>}
          {enrichment.problem.observed && (
            <Text size="xs" c="dimmed">
              Observed: {enrichment.problem.observed}
            </Text>
          )}
        </Alert>
      )}
      {enrichment.state === 'failed' && (
        <Group>
          <Button size="xs" onClick={() => retry.mutate({ number: incident.number })} loading={retry.isPending}>
            Retry enrichment
          </Button>
        </Group>
      )}
      {retry.isError && <ErrorNotice error={retry.error} />}
      {Object.keys(enrichment.fields).length > 0 && <FieldTable fields={enrichment.fields} label="Host enrichment" />}
    </Stack>
  );
}

export function HostCiView({ host }: { host: HostCi | null }) {
  if (!host)
    return (
      <Text size="sm" c="dimmed">
        No configuration item: the alert named no host, or the host has not been read yet.
      </Text>
    );
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge variant="outline" color="gray">
          CI
        </Badge>
        <Text size="xs" ff="monospace">
          {host.deviceId}
        </Text>
        <Text size="xs" c="dimmed">
          first seen {clockTime(Date.parse(host.firstSeenAt))} · updated {clockTime(Date.parse(host.updatedAt))}
        </Text>
      </Group>
      <FieldTable fields={host.fields} label="Host configuration item" />
    </Stack>
  );
}
