// Dashboard: each posture provider's polling, the current results, the pass-rate trend and the ZTA score spread.
import { Anchor, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { isPostureProviderKind } from '../../../src-shared/schemas/posture';
import { useDashboard, usePollStatus } from '../../api/posture';
import { ErrorNotice } from '../../app/ErrorNotice';
import { PassRateTrend } from './PassRateTrend';
import { ProviderPollCard } from './ProviderPollCard';
import { ResultTiles } from './ResultTiles';
import { UsersByRiskTile } from '../users/UsersByRiskTile';
import { OpenIncidentsTile } from './OpenIncidentsTile';
import { CoverageGapsTile } from '../coverage/CoverageGapsTile';
import { ScoreHistogram } from './ScoreHistogram';
import { useNow } from './when';

function NoPostureProviders() {
  return (
    <Paper withBorder p="lg" data-testid="empty-state">
      <Text fw={600}>No posture providers yet</Text>
      <Text c="dimmed" size="sm">
        Connect CrowdStrike Falcon ZTA or SentinelOne on the{' '}
        <Anchor component={Link} to="/providers">
          Providers
        </Anchor>{' '}
        page; the dashboard fills in after their first poll.
      </Text>
    </Paper>
  );
}

export function DashboardPage() {
  const summary = useDashboard();
  const statuses = usePollStatus();
  const now = useNow(15_000, statuses.dataUpdatedAt);
  const providers = summary.data?.providers.filter((p) => isPostureProviderKind(p.kind)) ?? [];
  // The summary is refreshed after a poll; the live status (progress, paused) comes from poll.status events.
  const pollOf = (id: string) => statuses.data?.find((s) => s.providerId === id) ?? providers.find((p) => p.providerId === id)?.poll ?? null;
  // A provider that evaluates nothing has no pass rate: its card says so instead of a 0 % line.
  const evaluating = providers.filter((p) => p.status.state !== 'no_checks');
  const latestOf = (id: string) => summary.data?.trend.filter((t) => t.providerId === id).sort((a, b) => b.at - a.at)[0];
  return (
    <Stack gap="md">
      <Title order={2}>Dashboard</Title>
      {summary.isPending && <Loader aria-label="Loading the dashboard" />}
      {summary.isError && <ErrorNotice error={summary.error} />}
      {summary.data && providers.length === 0 && <NoPostureProviders />}
      {summary.data && providers.length > 0 && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {providers.map((p) => (
              <ProviderPollCard key={p.providerId} provider={p} poll={pollOf(p.providerId)} latest={latestOf(p.providerId)} now={now} />
            ))}
          </SimpleGrid>
          <ResultTiles results={summary.data.results} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <PassRateTrend providers={evaluating} trend={summary.data.trend.filter((t) => evaluating.some((p) => p.providerId === t.providerId))} />
            <ScoreHistogram scores={summary.data.scores} unscored={summary.data.unscored} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <OpenIncidentsTile />
            <UsersByRiskTile counts={summary.data.usersByRisk} />
          </SimpleGrid>
          <CoverageGapsTile />
        </>
      )}
    </Stack>
  );
}
