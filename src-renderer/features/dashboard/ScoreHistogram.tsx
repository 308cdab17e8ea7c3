// How ZTA overall scores spread over the Falcon hosts, in ranges of ten, plus the hosts without a score.
import { Paper, Stack, Text, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScoreBucket } from '../../../src-shared/schemas/inventory';
import { formatCount } from '../../app/numbers';

export function ScoreHistogram({ scores, unscored }: { scores: ScoreBucket[]; unscored: number }) {
  const data = scores.map((b) => ({ range: `${b.from}–${b.to}`, count: b.count }));
  const scored = scores.reduce((sum, b) => sum + b.count, 0);
  const busiest = scores.reduce<ScoreBucket | null>((top, b) => (b.count > (top?.count ?? 0) ? b : top), null);
  const summary =
    scored === 0
      ? `No ZTA overall scores yet; ${formatCount(unscored)} hosts without an assessment.`
      : `ZTA overall score of ${formatCount(scored)} scored hosts in ranges of ten: ${data.map((d) => `${d.range}: ${formatCount(d.count)}`).join(', ')}. ` +
        `Most hosts score ${busiest?.from}–${busiest?.to}. ${formatCount(unscored)} hosts have no assessment.`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="scores-title">
      <Stack gap="xs">
        <Title order={3} size="h5" id="scores-title">
          ZTA overall score distribution
        </Title>
        {scored === 0 ? (
          <Text size="sm" c="dimmed">
            No Falcon host has a Zero Trust Assessment yet; poll a CrowdStrike ZTA provider first.
          </Text>
        ) : (
          <div role="img" aria-label={summary} data-testid="score-chart" style={{ height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -8 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" vertical={false} />
                <XAxis dataKey="range" fontSize={11} interval={0} />
                <YAxis allowDecimals={false} fontSize={11} tickFormatter={(v: number) => formatCount(v)} />
                <Tooltip formatter={(v) => [`${formatCount(Number(v))} hosts`, 'Hosts']} />
                <Bar dataKey="count" name="Hosts" fill="var(--mantine-color-indigo-5)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        <Text size="xs" c="dimmed" data-testid="unscored">
          {formatCount(unscored)} {unscored === 1 ? 'host has' : 'hosts have'} no ZTA assessment (unscored).
        </Text>
      </Stack>
    </Paper>
  );
}
