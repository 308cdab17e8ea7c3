// One posture provider on the Dashboard: health, polling state with progress, and its Poll now / Pause / Resume.
import { Anchor, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconRefresh, IconX } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { DashboardProvider, TrendPoint } from '../../../src-shared/schemas/inventory';
import type { PollPhase, PollStatus } from '../../../src-shared/schemas/posture';
import { providerKindLabels } from '../../../src-shared/schemas/providers';
import { useCancelPoll, usePausePolling, usePollNow, useResumePolling } from '../../api/posture';
import { formatCount } from '../../app/numbers';
import { resultLook } from '../checks/ResultBadge';
import { HealthBadge } from '../providers/HealthBadge';
import { postureLogLink } from '../../state/posture-log-filters';
import { SetAsideNote } from './SetAsideNote';
import { ago, fromNow } from './when';

const phaseWords: Record<PollPhase, string> = {
  hosts: 'Fetching Falcon hosts',
  agents: 'Fetching SentinelOne agents',
  devices: 'Fetching managed devices',
  matching: 'Matching devices',
  evaluating: 'Evaluating checks',
};

const stateLook: Record<PollStatus['state'], { word: string; color: string }> = {
  idle: { word: 'Idle', color: 'gray' },
  polling: { word: 'Polling', color: 'blue' },
  paused: { word: 'Paused', color: 'yellow' },
  backing_off: { word: 'Backing off', color: 'orange' },
};

function PollProgressBar({ poll }: { poll: PollStatus }) {
  const progress = poll.progress;
  const total = progress?.total ?? null;
  const percent = progress && total ? Math.round((progress.done / Math.max(total, 1)) * 100) : 100;
  const words = progress
    ? `${phaseWords[progress.phase]}${total ? `: ${formatCount(progress.done)} of ${formatCount(total)}` : `: ${formatCount(progress.done)}`}`
    : 'Starting…';
  return (
    <Stack gap={2}>
      <Progress value={percent} animated striped={!total} aria-label={words} size="sm" />
      <Text size="xs" c="dimmed" aria-live="polite">
        {words}
      </Text>
    </Stack>
  );
}

function LatestCounts({ provider, latest }: { provider: DashboardProvider; latest: TrendPoint | undefined }) {
  // A provider without checks evaluates nothing: say so and where to fix it, rather than show zeros.
  if (provider.status.state === 'no_checks')
    return (
      <Text size="sm" data-testid="no-checks">
        No posture check runs on this provider, so it evaluates nothing.{' '}
        <Anchor component={Link} to={`/checks?add=${encodeURIComponent(provider.providerId)}`}>
          Add a check
        </Anchor>
      </Text>
    );
  if (!latest)
    return (
      <Text size="sm" c="dimmed">
        No evaluations yet.
      </Text>
    );
  return (
    <Group gap="xs">
      {(['pass', 'fail', 'unknown'] as const).map((result) => (
        <Badge
          key={result}
          component={Link}
          to={postureLogLink({ provider: provider.providerId, result })}
          variant="light"
          color={resultLook[result].color}
          style={{ cursor: 'pointer' }}
          aria-label={`${formatCount(latest[result])} ${resultLook[result].word.toLowerCase()} on ${provider.name}: open in the posture log`}
        >
          {formatCount(latest[result])} {resultLook[result].word.toLowerCase()}
        </Badge>
      ))}
    </Group>
  );
}

export function ProviderPollCard({
  provider,
  poll,
  latest,
  now,
}: {
  provider: DashboardProvider;
  poll: PollStatus | null;
  latest: TrendPoint | undefined;
  now: number;
}) {
  const pollNow = usePollNow();
  const cancel = useCancelPoll();
  const pause = usePausePolling();
  const resume = useResumePolling();
  const state = poll ? stateLook[poll.state] : null;
  const name = provider.name;
  const polling = poll?.state === 'polling' || pollNow.isPending;
  const run = pollNow.data;
  return (
    <Paper withBorder p="md" component="section" aria-label={name} data-testid={`provider-card-${provider.kind}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} size="h5">
              {name}
            </Title>
            <Text size="xs" c="dimmed">
              {providerKindLabels[provider.kind]}
            </Text>
          </div>
          <Group gap={6}>
            <HealthBadge status={provider.status} />
            {state && (
              <Badge variant="outline" color={state.color} data-testid="poll-state">
                {state.word}
              </Badge>
            )}
          </Group>
        </Group>
        {provider.status.state === 'failing' && (
          <Text size="xs" c="red" lineClamp={3}>
            {provider.status.detail}
          </Text>
        )}
        <SimpleGrid cols={3} spacing="xs">
          <div>
            <Text size="xs" c="dimmed">
              Devices seen
            </Text>
            <Text fw={600} data-testid="devices-seen">
              {formatCount(provider.devices)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Last poll
            </Text>
            <Text size="sm">{ago(poll?.lastSuccessAt ?? null, now)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {poll?.state === 'backing_off' ? `Retry (failure ${poll.failures})` : 'Next poll'}
            </Text>
            <Text size="sm">{poll?.state === 'paused' ? 'paused' : fromNow(poll?.nextPollAt ?? null, now, 'not scheduled')}</Text>
          </div>
        </SimpleGrid>
        {poll?.state === 'polling' && <PollProgressBar poll={poll} />}
        <SetAsideNote tally={poll?.lastPoll} />
        <LatestCounts provider={provider} latest={latest} />
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconRefresh size={14} />}
            loading={polling}
            onClick={() => pollNow.mutate(provider.providerId)}
            aria-label={`Poll now: ${name}`}
          >
            Poll now
          </Button>
          {polling && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconX size={14} />}
              onClick={() => cancel.mutate(provider.providerId)}
              aria-label={`Cancel poll: ${name}`}
            >
              Cancel
            </Button>
          )}
          {poll?.state === 'paused' ? (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlayerPlay size={14} />}
              loading={resume.isPending}
              onClick={() => resume.mutate(provider.providerId)}
              aria-label={`Resume polling: ${name}`}
            >
              Resume
            </Button>
          ) : (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlayerPause size={14} />}
              loading={pause.isPending}
              disabled={!poll}
              onClick={() => pause.mutate(provider.providerId)}
              aria-label={`Pause polling: ${name}`}
            >
              Pause
            </Button>
          )}
        </Group>
        <div role="status" aria-live="polite">
          {run && !pollNow.isPending && (
            <Text size="xs" c={run.outcome === 'succeeded' ? 'teal' : run.outcome === 'failed' ? 'red' : 'dimmed'} data-testid="poll-outcome">
              {run.outcome === 'succeeded'
                ? 'Poll finished.'
                : run.outcome === 'failed'
                  ? `Poll failed: ${run.error ?? 'see the provider’s health'}`
                  : 'Poll cancelled.'}
            </Text>
          )}
          {pollNow.isError && (
            <Text size="xs" c="red">
              {pollNow.error.message}
            </Text>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
