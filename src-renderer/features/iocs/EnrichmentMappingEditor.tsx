// Which host details an incident is enriched with: incident field → dotted path into the Falcon Hosts
// record (the seed's enrichment_fields). Edited as rows, checked by the EnrichmentMapping schema, saved together.
import { ActionIcon, Alert, Button, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { EnrichmentMapping, seedEnrichmentMapping } from '../../../src-shared/schemas/incidents';
import { useEnrichmentMapping, useSaveEnrichmentMapping } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';

type Row = { key: number; field: string; path: string };

const rowsOf = (mapping: Record<string, string>): Row[] => Object.entries(mapping).map(([field, path], key) => ({ key, field, path }));

function MappingRows({ saved, save }: { saved: Record<string, string>; save: ReturnType<typeof useSaveEnrichmentMapping> }) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(saved));
  const [nextKey, setNextKey] = useState(rows.length);
  const duplicates = new Set(rows.map((r) => r.field).filter((f, i, all) => f && all.indexOf(f) !== i));
  const mapping = Object.fromEntries(rows.map((r) => [r.field.trim(), r.path.trim()]));
  const parsed = EnrichmentMapping.safeParse(mapping);
  const problemOf = (field: string) => (parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === field.trim())?.message);
  const general = parsed.success ? [] : parsed.error.issues.filter((i) => i.path.length === 0).map((i) => i.message);
  const dirty = JSON.stringify(mapping) !== JSON.stringify(saved);
  const update = (key: number, patch: Partial<Row>) => {
    save.reset();
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const replaceAll = (next: Record<string, string>) => {
    save.reset();
    const fresh = Object.entries(next).map(([field, path], i) => ({ key: nextKey + i, field, path }));
    setNextKey(nextKey + fresh.length);
    setRows(fresh);
  };
  return (
    <Stack gap="xs">
      <Table aria-label="Enrichment mapping" withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Incident field</Table.Th>
            <Table.Th>Host path</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => {
            const problem = duplicates.has(row.field) ? `${row.field} is listed twice.` : problemOf(row.field);
            return (
              <Table.Tr key={row.key}>
                <Table.Td>
                  <TextInput
                    aria-label={`Incident field ${i + 1}`}
                    size="xs"
                    ff="monospace"
                    value={row.field}
                    onChange={(e) => update(row.key, { field: e.currentTarget.value })}
                    error={problem}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Host path for ${row.field || `field ${i + 1}`}`}
                    size="xs"
                    ff="monospace"
                    placeholder="device.hostname"
                    value={row.path}
                    onChange={(e) => update(row.key, { path: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${row.field || `field ${i + 1}`}`}
                    onClick={() => setRows(rows.filter((r) => r.key !== row.key))}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {general.length > 0 && (
        <Text size="xs" c="red">
          {general.join(' ')}
        </Text>
      )}
      {save.isError && <ErrorNotice error={save.error} />}
      {save.isSuccess && !dirty && (
        <Text size="xs" c="teal" role="status">
          Saved. New incidents are enriched with these fields.
        </Text>
      )}
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => {
            setRows([...rows, { key: nextKey, field: '', path: 'device.' }]);
            setNextKey(nextKey + 1);
          }}
        >
          Add field
        </Button>
        <Button size="xs" variant="default" onClick={() => replaceAll(seedEnrichmentMapping)}>
          Reset to the StackFlow defaults
        </Button>
        <Button size="xs" variant="default" disabled={!dirty} onClick={() => replaceAll(saved)}>
          Discard
        </Button>
        <Button
          size="xs"
          disabled={!dirty || !parsed.success || duplicates.size > 0}
          loading={save.isPending}
          onClick={() => parsed.success && save.mutate(parsed.data)}
        >
          Save mapping
        </Button>
      </Group>
    </Stack>
  );
}

export function EnrichmentMappingEditor() {
  const mapping = useEnrichmentMapping();
  // Above the rows: they start afresh when the saved mapping changes, and the outcome of Save must outlive that.
  const save = useSaveEnrichmentMapping();
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        When an incident is created, these fields are read from the host&apos;s Falcon record (
        <Text span ff="monospace" size="sm">
          device.…
        </Text>
        , Hosts API) and kept on the incident and its host CI. Needs Hosts: Read on the integration.
      </Text>
      {mapping.isPending && <Loader size="sm" aria-label="Loading the enrichment mapping" />}
      {mapping.isError && <ErrorNotice error={mapping.error} />}
      {/* Keyed by the saved mapping so a save elsewhere (or a reload) starts the rows afresh. */}
      {mapping.data && <MappingRows key={JSON.stringify(mapping.data)} saved={mapping.data} save={save} />}
      {mapping.data && Object.keys(mapping.data).length === 0 && <Alert color="yellow">No fields are mapped: incidents will carry no host details.</Alert>}
    </Stack>
  );
}
