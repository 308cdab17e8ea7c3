// The detection pollers, one line per Falcon integration: what each is doing, when it last and next polls,
// what it has seen and made, its last error with the fix, and Poll now / Stop.
import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { PollBatch, PollerPhase, PollerStatus } from '../../../src-shared/schemas/incidents';
import { useCancelIncidentPoll, usePollerStatus, usePollIncidentsNow } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { ago, fromNow, useNow } from '../dashboard/when';
import { formatCount } from '../../app/numbers';

const phaseLook: Record<PollerPhase, { word: string; color: string }> = {
  idle: { word: 'Waiting', color: 'teal' },
  polling: { word: 'Polling…', color: 'blue' },
  error: { word: 'Error', color: 'red' },
  stopped: { word: 'Stopped', color: 'gray' },
};

export function batchText(batch: PollBatch): string {
  const parts = [
    `${batch.fetched} alerts fetched`,
    `${batch.fresh} new`,
    `${formatCount(batch.incidentsCreated)} incidents created`,
    batch.alertsLinked ? `${formatCount(batch.alertsLinked)} linked to open incidents` : null,
    `${formatCount(batch.logged)} logged only`,
    batch.unmatched ? `${formatCount(batch.unmatched)} matched no rule` : null,
    batch.duplicates ? `${batch.duplicates} already seen` : null,
  ];
  return parts.filter(Boolean).join(', ');
}

function PollerLine({ status, now }: { status: PollerStatus; now: number }) {
  const poll = usePollIncidentsNow();
  const cancel = useCancelIncidentPoll();
  const polling = poll.isPending || status.phase === 'polling';
  const look = phaseLook[status.phase];
  const at = (iso: string | null) => (iso ? Date.parse(iso) : null);
  return (
    <Stack gap={4} data-testid={`poller-${status.name}`} aria-label={`Poller ${status.name}`} component="section">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="md" wrap="wrap">
          <Text size="sm" fw={600}>
            {status.name}
          </Text>
          <Badge variant="light" color={look.color}>
            {look.word}
          </Badge>
          <Text size="xs">Last poll: {ago(at(status.lastPollAt), now)}</Text>
          <Text size="xs">Next: {status.phase === 'stopped' ? 'not scheduled' : fromNow(at(status.nextPollAt), now, 'not scheduled')}</Text>
          <Text size="xs">Alerts seen: {status.alertsSeen}</Text>
          <Text size="xs">Incidents created: {status.incidentsCreated}</Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" onClick={() => poll.mutate(status.integrationId)} loading={polling} aria-label={`Poll ${status.name} now`}>
            Poll now
          </Button>
          {polling && (
            <Button size="xs" variant="subtle" onClick={() => cancel.mutate(status.integrationId)} aria-label={`Stop the ${status.name} poll`}>
              Stop
            </Button>
          )}
        </Group>
      </Group>
      {status.lastError && (
        <Alert color="red" variant="light" p="xs" title={status.lastError.message}>
          {status.lastError.fix && <Text size="xs">Fix: {status.lastError.fix}</Text>}
          {status.lastError.observed && (
            <Text size="xs" c="dimmed">
              Observed: {status.lastError.observed}
            </Text>
          )}
        </Alert>
      )}
      {poll.isError && <ErrorNotice error={poll.error} />}
      {poll.data && (
        <Text size="xs" c="teal" data-testid="poll-result" role="status">
          Poll finished: {batchText(poll.data)}.
        </Text>
      )}
    </Stack>
  );
}

export function PollerStrip() {
  const pollers = usePollerStatus();
  const now = useNow(15_000, pollers.dataUpdatedAt);
  return (
    <Paper withBorder p="sm" aria-label="Detection pollers" component="section">
      {pollers.isPending && <Loader size="sm" aria-label="Loading poller status" />}
      {pollers.isError && <ErrorNotice error={pollers.error} />}
      {pollers.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No Falcon detections integration is configured: add one on Providers and its poller appears here.
        </Text>
      )}
      <Stack gap="sm">
        {pollers.data?.map((status) => (
          <PollerLine key={status.integrationId} status={status} now={now} />
        ))}
      </Stack>
    </Paper>
  );
}
