// Pull Recent Detections (the StackFlow page's test step 2): the latest alerts from Falcon run through the
// DRAFT, showing which rule each would match and why. Creates nothing.
import { Alert, Anchor, Badge, Button, Group, Loader, NumberInput, Paper, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { DryRunRow } from '../../../src-shared/schemas/incidents';
import type { RuleSet } from '../../../src-shared/schemas/rules';
import { useDetectionIntegrations } from '../../api/incidents';
import { useDryRun } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { PriorityChip } from '../incidents/IncidentChips';
import { decisiveTerms, ExplainTree, termText } from './ExplainTree';

export function OutcomeChip({ match }: { match: DryRunRow['match'] }) {
  if (!match)
    return (
      <Badge miw="max-content" size="sm" variant="outline" color="gray">
        No match
      </Badge>
    );
  if (match.outcome.action === 'log_only')
    return (
      <Badge miw="max-content" size="sm" variant="outline" color="gray">
        Log only
      </Badge>
    );
  return (
    <Group gap={4} wrap="nowrap">
      <Badge miw="max-content" size="sm" variant="light" color="indigo">
        Incident
      </Badge>
      <PriorityChip priority={match.outcome.priority} size="sm" />
    </Group>
  );
}

function AlertRow({ row, ruleSet, open, onToggle }: { row: DryRunRow; ruleSet: RuleSet; open: boolean; onToggle: () => void }) {
  const { alert, match, explanation } = row;
  const rule = match ? ruleSet.rules[match.ruleIndex] : undefined;
  const matched = explanation.tried.find((t) => t.ruleIndex === match?.ruleIndex);
  const why = matched ? decisiveTerms(matched.explanation.tree) : [];
  const label = alert.name ?? alert.compositeId;
  return (
    <Fragment>
      <Table.Tr data-testid="dry-run-row">
        <Table.Td>
          <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
            {clockTime(Date.parse(alert.createdTimestamp))}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{label}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">
            {alert.severity ?? '—'}
            {alert.severityName ? ` ${alert.severityName}` : ''}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{alert.tactic ?? '—'}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace">
            {alert.hostname ?? '—'}
          </Text>
        </Table.Td>
        <Table.Td>
          <Stack gap={2}>
            <Text size="sm" fw={600} data-testid="matched-rule">
              {rule ? `${match!.ruleIndex + 1}. ${rule.name}` : 'No rule matched'}
            </Text>
            <OutcomeChip match={match} />
          </Stack>
        </Table.Td>
        <Table.Td>
          <Stack gap={2} align="flex-start" data-testid="match-why">
            {why.length > 0 ? (
              why.map((term) => (
                <Text key={`${term.from}-${term.to}`} size="xs" ff="monospace">
                  {termText(term)}
                </Text>
              ))
            ) : (
              <Text size="xs" c="dimmed">
                {match ? 'Matched' : `None of the ${explanation.tried.length} rules matched`}
              </Text>
            )}
            <Anchor
              component="button"
              type="button"
              size="xs"
              onClick={onToggle}
              aria-expanded={open}
              aria-label={`${open ? 'Hide' : 'Show'} every rule tried for ${label}`}
            >
              {open ? 'Hide details' : 'Every rule tried'}
            </Anchor>
          </Stack>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={7} bg="var(--mantine-color-default-hover)">
            <Stack gap="xs" py={4}>
              {explanation.tried.map((tried) => (
                <Stack gap={2} key={tried.ruleId}>
                  <Text size="xs" fw={600}>
                    {tried.ruleIndex + 1}. {ruleSet.rules[tried.ruleIndex]?.name ?? tried.ruleId} — {tried.explanation.matched ? 'matched' : 'did not match'}
                  </Text>
                  <ExplainTree node={tried.explanation.tree} />
                </Stack>
              ))}
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

export function DryRunPanel({ ruleSet, valid }: { ruleSet: RuleSet; valid: boolean }) {
  const integrations = useDetectionIntegrations();
  const [chosen, setChosen] = useState<string | null>(null);
  const [count, setCount] = useState<number | string>(10);
  const [openRow, setOpenRow] = useState<string | null>(null);
  const dryRun = useDryRun();
  const options = integrations.data ?? [];
  const integrationId = chosen ?? options[0]?.value ?? null;
  const sent = dryRun.variables?.ruleSet;
  const pull = () => {
    if (!integrationId) return;
    setOpenRow(null);
    dryRun.mutate({ integrationId, ruleSet, count: typeof count === 'number' ? count : 10 });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dry-run-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="dry-run-title">
          Pull Recent Detections
        </Title>
        <Text size="sm" c="dimmed">
          Runs the most recent alerts from Falcon through the draft rules, in order. Nothing is created or logged.
        </Text>
        {integrations.isError && <ErrorNotice error={integrations.error} />}
        {integrations.data && options.length === 0 && (
          <Alert color="gray" variant="light">
            No Falcon detections integration yet. Add one on{' '}
            <Anchor component={Link} to="/providers">
              Providers
            </Anchor>{' '}
            (CrowdStrike Falcon detections → incidents).
          </Alert>
        )}
        <Group align="flex-end" gap="sm">
          <Select label="Integration" data={options} value={integrationId} onChange={setChosen} allowDeselect={false} w={300} disabled={options.length === 0} />
          <NumberInput label="Alerts" min={1} max={500} value={count} onChange={setCount} w={100} />
          <Button onClick={pull} loading={dryRun.isPending} disabled={!integrationId || !valid}>
            Pull Recent Detections
          </Button>
          {dryRun.isPending && (
            <Button variant="subtle" onClick={dryRun.stop}>
              Stop
            </Button>
          )}
        </Group>
        {!valid && (
          <Text size="xs" c="orange">
            Fix the marked problems in the draft first; the dry run needs a rule set that would save.
          </Text>
        )}
        {dryRun.isPending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Pulling the latest alerts from Falcon…</Text>
          </Group>
        )}
        {dryRun.isError && <ErrorNotice error={dryRun.error} />}
        {dryRun.data && sent && (
          <>
            {dryRun.data.note && (
              <Alert color="yellow" variant="light">
                {dryRun.data.note}
              </Alert>
            )}
            <Text size="sm" data-testid="dry-run-summary">
              {dryRun.data.rows.length} alerts: {dryRun.data.rows.filter((r) => r.match?.outcome.action === 'create_incident').length} would create incidents,{' '}
              {dryRun.data.rows.filter((r) => r.match?.outcome.action === 'log_only').length} would be logged only,{' '}
              {dryRun.data.rows.filter((r) => !r.match).length} match no rule.
            </Text>
            {dryRun.data.rows.length === 0 ? (
              <Text size="sm" c="dimmed">
                Falcon returned no alerts.
              </Text>
            ) : (
              <ScrollArea.Autosize mah={560} type="auto">
                <Table aria-label="Recent detections and the rule each matched" stickyHeader verticalSpacing={6}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Time</Table.Th>
                      <Table.Th>Alert</Table.Th>
                      <Table.Th>Severity</Table.Th>
                      <Table.Th>Tactic</Table.Th>
                      <Table.Th>Host</Table.Th>
                      <Table.Th>Rule</Table.Th>
                      <Table.Th>Why</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {dryRun.data.rows.map((row) => (
                      <AlertRow
                        key={row.alert.compositeId}
                        row={row}
                        ruleSet={sent}
                        open={openRow === row.alert.compositeId}
                        onToggle={() => setOpenRow(openRow === row.alert.compositeId ? null : row.alert.compositeId)}
                      />
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
