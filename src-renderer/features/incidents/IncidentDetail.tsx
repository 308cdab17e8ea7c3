// One incident: state and its transitions, the alert(s) that triggered it, host enrichment and CI, IOCs,
// containment, notes and the timeline.
import { Anchor, Breadcrumbs, Grid, Group, Loader, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { AlertSummary } from '../../../src-shared/schemas/incidents';
import { useIncident } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { Containment } from './Containment';
import { HostCiView, HostEnrichment } from './HostEnrichment';
import { PriorityChip, StateChip } from './IncidentChips';
import { IncidentIocs } from './IncidentIocs';
import { StateActions } from './StateActions';
import { NoteForm, Timeline } from './Timeline';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Title order={3} size="h5" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function AlertFacts({ alert }: { alert: AlertSummary }) {
  const facts: [string, ReactNode][] = [
    ['Time', clockTime(Date.parse(alert.createdTimestamp))],
    ['Severity', `${alert.severity ?? '—'}${alert.severityName ? ` (${alert.severityName})` : ''}`],
    [
      'Tactic / technique',
      [alert.tactic, alert.technique && `${alert.technique}${alert.techniqueId ? ` (${alert.techniqueId})` : ''}`].filter(Boolean).join(' · ') || '—',
    ],
    ['Host', alert.hostname ?? '—'],
    ['User', alert.userName ?? '—'],
    ['File', alert.filename ?? '—'],
    ['Command line', alert.cmdline ?? '—'],
    ['SHA-256', alert.sha256 ?? '—'],
  ];
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {alert.name ?? alert.compositeId}
        </Text>
        {alert.falconLink && (
          <Anchor href={alert.falconLink} target="_blank" rel="noreferrer" size="xs">
            Open in Falcon
          </Anchor>
        )}
      </Group>
      <Table withRowBorders={false} aria-label={`Alert ${alert.name ?? alert.compositeId}`}>
        <Table.Tbody>
          {facts.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={150} fw={500}>
                <Text size="sm" c="dimmed">
                  {label}
                </Text>
              </Table.Th>
              <Table.Td>
                <Text size="sm" ff={label === 'Time' || label === 'Severity' ? undefined : 'monospace'} style={{ wordBreak: 'break-all' }}>
                  {value}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function IncidentDetail() {
  const { number = '' } = useParams();
  const incident = useIncident(number);
  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/incidents" size="sm">
        Incidents
      </Anchor>
      <Text size="sm">{number}</Text>
    </Breadcrumbs>
  );
  if (incident.isPending)
    return (
      <Stack>
        {crumbs}
        <Loader aria-label="Loading the incident" />
      </Stack>
    );
  if (incident.isError)
    return (
      <Stack>
        {crumbs}
        <ErrorNotice error={incident.error} />
      </Stack>
    );
  const i = incident.data;
  return (
    <Stack gap="md">
      {crumbs}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} ff="monospace">
              {i.number}
            </Title>
            <PriorityChip priority={i.priority} />
            <StateChip state={i.state} size="lg" data-testid="incident-state" />
          </Group>
          <Text fw={600}>{i.title}</Text>
          <Text size="xs" c="dimmed">
            Rule {i.rule.index + 1}: {i.rule.name} · {i.assignmentGroup ?? 'no assignment group'} · {i.category ?? 'no category'} · created{' '}
            {clockTime(Date.parse(i.createdAt))}
          </Text>
        </Stack>
        <StateActions incident={i} />
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title={i.alerts.length === 1 ? 'Triggering alert' : `Triggering alerts (${i.alerts.length})`}>
              <ScrollArea.Autosize mah={520} type="auto">
                <Stack gap="md">
                  {i.alerts.map((a) => (
                    <AlertFacts key={a.compositeId} alert={a} />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </Section>
            <Section title="IOCs">
              <IncidentIocs incident={i} />
            </Section>
            <Section title="Notes and timeline">
              <Stack gap="md">
                <NoteForm number={i.number} />
                <Timeline entries={i.timeline} />
              </Stack>
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section title="Host enrichment">
              <HostEnrichment incident={i} />
            </Section>
            <Section title="Containment">
              <Containment incident={i} />
            </Section>
            <Section title="Host configuration item">
              <HostCiView host={i.host} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
