// Back-test: the draft and the saved rules side by side over the alerts already stored, so the admin sees
// how many incidents of which priority each would have made, and exactly which alerts the draft changes.
import { Badge, Button, Group, Loader, Paper, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { BackTestResult, BackTestSide } from '../../../src-shared/schemas/incidents';
import { RulePriority, type RuleMatch, type RuleSet } from '../../../src-shared/schemas/rules';
import { useDetectionIntegrations } from '../../api/incidents';
import { useBackTest } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { OutcomeChip } from './DryRunPanel';
import { countOf, formatCount } from '../../app/numbers';

const windows = {
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
type Range = keyof typeof windows;

const ALL = 'all';

function delta(draft: number, saved: number) {
  const d = draft - saved;
  if (d === 0)
    return (
      <Text size="xs" c="dimmed">
        same
      </Text>
    );
  return (
    <Text size="xs" fw={600} c={d > 0 ? 'orange.8' : 'teal.8'}>
      {d > 0 ? `+${formatCount(d)}` : formatCount(d)}
    </Text>
  );
}

function Totals({ draft, saved }: { draft: BackTestSide; saved: BackTestSide }) {
  const rows: { label: string; draft: number; saved: number }[] = [
    ...RulePriority.options.map((p) => ({ label: `${p} incidents`, draft: draft.byPriority[p] ?? 0, saved: saved.byPriority[p] ?? 0 })),
    { label: 'All incidents', draft: draft.incidents, saved: saved.incidents },
    { label: 'Logged only', draft: draft.logged, saved: saved.logged },
    { label: 'Matched no rule', draft: draft.unmatched, saved: saved.unmatched },
  ];
  return (
    <Table aria-label="Outcomes, saved rules and draft" data-testid="back-test-totals">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Saved</Table.Th>
          <Table.Th>Draft</Table.Th>
          <Table.Th>Change</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.label}>
            <Table.Td>
              <Text size="sm" fw={r.label === 'All incidents' ? 600 : 400}>
                {r.label}
              </Text>
            </Table.Td>
            <Table.Td>{formatCount(r.saved)}</Table.Td>
            <Table.Td>{formatCount(r.draft)}</Table.Td>
            <Table.Td>{delta(r.draft, r.saved)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PerRule({ side, ruleSet, label }: { side: BackTestSide; ruleSet: RuleSet | undefined; label: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Table aria-label={`Alerts per rule, ${label.toLowerCase()}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Alerts</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {side.rules.map((r) => (
            <Table.Tr key={r.ruleId}>
              <Table.Td>
                <Text size="sm">
                  {r.ruleIndex + 1}. {ruleSet?.rules[r.ruleIndex]?.name ?? r.ruleId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.action === 'log_only' ? 'Log only' : `Incident ${r.priority ?? ''}`}</Text>
              </Table.Td>
              <Table.Td>{formatCount(r.alerts)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function ruleName(match: RuleMatch | null, ruleSet: RuleSet | undefined): string {
  if (!match) return 'no rule';
  return `${match.ruleIndex + 1}. ${ruleSet?.rules[match.ruleIndex]?.name ?? match.ruleId}`;
}

function Changes({ result, draft, saved }: { result: BackTestResult; draft: RuleSet; saved: RuleSet | undefined }) {
  if (result.changed === 0) return <Text size="sm">The draft decides every stored alert in the window the same way as the saved rules.</Text>;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {countOf(result.changed, 'alert')} would be decided differently
        {result.changes.length < result.changed ? ` (first ${formatCount(result.changes.length)} shown)` : ''}
      </Text>
      <ScrollArea.Autosize mah={320} type="auto">
        <Table aria-label="Alerts the draft decides differently" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Alert</Table.Th>
              <Table.Th>Severity</Table.Th>
              <Table.Th>Host</Table.Th>
              <Table.Th>Saved → draft</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.changes.map((c) => (
              <Table.Tr key={c.alert.compositeId}>
                <Table.Td>
                  <Text size="xs">{clockTime(Date.parse(c.alert.createdTimestamp))}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.alert.name ?? c.alert.compositeId}</Text>
                </Table.Td>
                <Table.Td>{c.alert.severity ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {c.alert.hostname ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" aria-label={`${ruleName(c.saved, saved)} to ${ruleName(c.draft, draft)}`}>
                    <OutcomeChip match={c.saved} />
                    <IconArrowRight size={12} aria-hidden />
                    <OutcomeChip match={c.draft} />
                    <Text size="xs" c="dimmed">
                      {ruleName(c.draft, draft)}
                    </Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

export function BackTestPanel({ draft, saved, valid }: { draft: RuleSet; saved: RuleSet | undefined; valid: boolean }) {
  const integrations = useDetectionIntegrations();
  const [range, setRange] = useState<Range>('7d');
  const [integration, setIntegration] = useState<string>(ALL);
  const backTest = useBackTest();
  const run = () => {
    const to = Date.now();
    backTest.mutate({
      ruleSet: draft,
      from: new Date(to - windows[range].ms).toISOString(),
      to: new Date(to).toISOString(),
      integrationId: integration === ALL ? undefined : integration,
    });
  };
  const sent = backTest.variables?.ruleSet;
  // The results land below the fold (the panel sits under the editor): bring them into view and focus them.
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!backTest.data || !resultRef.current) return;
    resultRef.current.scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    resultRef.current.focus({ preventScroll: true });
  }, [backTest.data]);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="back-test-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="back-test-title">
          Back-test
        </Title>
        <Text size="sm" c="dimmed">
          Replays the alerts the poller has stored through the saved rules and the draft. Nothing is created.
        </Text>
        <Group align="flex-end" gap="sm">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="back-test-window">
              Window
            </Text>
            <SegmentedControl
              aria-labelledby="back-test-window"
              value={range}
              onChange={(v) => setRange(v as Range)}
              data={Object.entries(windows).map(([value, w]) => ({ value, label: w.label }))}
            />
          </Stack>
          <Select
            label="Integration"
            w={260}
            allowDeselect={false}
            value={integration}
            onChange={(v) => setIntegration(v ?? ALL)}
            data={[{ value: ALL, label: 'All integrations' }, ...(integrations.data ?? [])]}
          />
          <Button onClick={run} loading={backTest.isPending} disabled={!valid}>
            Run back-test
          </Button>
          {backTest.isPending && (
            <Button variant="subtle" onClick={backTest.stop}>
              Stop
            </Button>
          )}
        </Group>
        {backTest.isPending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Replaying stored alerts…</Text>
          </Group>
        )}
        {backTest.isError && <ErrorNotice error={backTest.error} />}
        {backTest.data && sent && (
          <Stack
            gap="sm"
            data-testid="back-test-result"
            ref={resultRef}
            tabIndex={-1}
            aria-label="Back-test results"
            style={{ outline: 'none', scrollMarginTop: 'calc(var(--app-shell-header-height, 48px) + 16px)' }}
          >
            <Group gap="xs">
              <Badge variant="light" size="lg">
                {countOf(backTest.data.alerts, 'stored alert')} in the window
              </Badge>
              <Badge variant="light" size="lg" color={backTest.data.changed ? 'orange' : 'teal'}>
                {formatCount(backTest.data.changed)} changed by the draft
              </Badge>
            </Group>
            {backTest.data.alerts === 0 ? (
              <Text size="sm" c="dimmed">
                No alerts were stored in this window. The poller stores every alert it sees; try a longer window.
              </Text>
            ) : (
              <>
                <Totals draft={backTest.data.draft} saved={backTest.data.saved} />
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <PerRule side={backTest.data.saved} ruleSet={saved} label="Saved rules" />
                  <PerRule side={backTest.data.draft} ruleSet={sent} label="Draft" />
                </SimpleGrid>
                <Changes result={backTest.data} draft={sent} saved={saved} />
              </>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
