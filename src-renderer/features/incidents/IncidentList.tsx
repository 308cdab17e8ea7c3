// The incident list: filters by state, priority and text, pages of 25, and Export CSV of everything the filter matches.
import { Anchor, Button, Chip, Group, Loader, Pagination, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { IncidentPriority, IncidentState, incidentStateLabels, type IncidentCsvRequest } from '../../../src-shared/schemas/incidents';
import { useExportIncidentsCsv, useIncidents } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { fromNow, useNow } from '../dashboard/when';
import { PriorityChip, StateChip } from './IncidentChips';
import { INCIDENT_PAGE_SIZE, useIncidentFilters } from './incident-filters';
import { PollerStrip } from './PollerStrip';
import { countOf } from '../../app/numbers';

/** Hands CSV text to the browser as a file download (works the same in Electron's renderer). */
function downloadCsv(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL can go once the event loop has moved on.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function Filters() {
  const f = useIncidentFilters();
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      <TextInput
        label="Search"
        placeholder="Number, title, host, rule, group"
        leftSection={<IconSearch size={14} />}
        value={f.text}
        onChange={(e) => f.setText(e.currentTarget.value)}
        w={280}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="state-filter">
          State
        </Text>
        <Chip.Group multiple value={f.states} onChange={(v) => f.setStates(v as IncidentState[])}>
          <Group gap={4} role="group" aria-labelledby="state-filter">
            {IncidentState.options.map((s) => (
              <Chip key={s} value={s} size="xs">
                {incidentStateLabels[s]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="priority-filter">
          Priority
        </Text>
        <Chip.Group multiple value={f.priorities} onChange={(v) => f.setPriorities(v as IncidentPriority[])}>
          <Group gap={4} role="group" aria-labelledby="priority-filter">
            {IncidentPriority.options.map((p) => (
              <Chip key={p} value={p} size="xs">
                {p}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      {(f.states.length > 0 || f.priorities.length > 0 || f.text) && (
        <Button variant="subtle" size="xs" onClick={f.clear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}

export function IncidentList() {
  const { states, priorities, text, page, setPage } = useIncidentFilters(
    useShallow((s) => ({ states: s.states, priorities: s.priorities, text: s.text, page: s.page, setPage: s.setPage })),
  );
  const [search] = useDebouncedValue(text.trim(), 250);
  const filter: IncidentCsvRequest = {
    ...(states.length ? { state: states } : {}),
    ...(priorities.length ? { priority: priorities } : {}),
    ...(search ? { text: search } : {}),
  };
  const incidents = useIncidents({ ...filter, limit: INCIDENT_PAGE_SIZE, offset: (page - 1) * INCIDENT_PAGE_SIZE });
  const exportCsv = useExportIncidentsCsv();
  const now = useNow();
  const total = incidents.data?.total ?? 0;
  const filtered = Object.keys(filter).length > 0;

  const onExport = () =>
    exportCsv.mutate(filter, {
      onSuccess: ({ csv }) => downloadCsv(csv, `incidents-${new Date().toISOString().slice(0, 10)}.csv`),
    });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Incidents</Title>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={onExport} loading={exportCsv.isPending} disabled={total === 0}>
          Export CSV
        </Button>
      </Group>
      <PollerStrip />
      <Filters />
      {exportCsv.isError && <ErrorNotice error={exportCsv.error} />}
      {incidents.isPending && <Loader aria-label="Loading incidents" />}
      {incidents.isError && <ErrorNotice error={incidents.error} />}
      {incidents.data && total === 0 && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>{filtered ? 'No incident matches these filters' : 'No incidents yet'}</Text>
          <Text c="dimmed" size="sm">
            {filtered
              ? 'Clear or widen the filters.'
              : 'Incidents appear when a polled alert matches a create_incident rule. Use Poll now above, or try the rules on Detection Rules → Pull Recent Detections.'}
          </Text>
        </Paper>
      )}
      {incidents.data && total > 0 && (
        <Paper withBorder style={{ opacity: incidents.isPlaceholderData ? 0.6 : 1 }}>
          <Table aria-label="Incidents" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Host</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Age</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data.items.map((incident) => (
                <Table.Tr key={incident.number} data-testid={`incident-${incident.number}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/incidents/${incident.number}`} ff="monospace" size="sm">
                      {incident.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <PriorityChip priority={incident.priority} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <StateChip state={incident.state} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1} title={incident.title}>
                      {incident.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {incident.hostname ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{incident.rule.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {fromNow(Date.parse(incident.createdAt), now)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {total > INCIDENT_PAGE_SIZE && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {(page - 1) * INCIDENT_PAGE_SIZE + 1}–{Math.min(page * INCIDENT_PAGE_SIZE, total)} of {total}
          </Text>
          <Pagination
            total={Math.ceil(total / INCIDENT_PAGE_SIZE)}
            value={page}
            onChange={setPage}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        </Group>
      )}
      {total > 0 && total <= INCIDENT_PAGE_SIZE && (
        <Text size="sm" c="dimmed">
          {countOf(total, 'incident')}
        </Text>
      )}
    </Stack>
  );
}
