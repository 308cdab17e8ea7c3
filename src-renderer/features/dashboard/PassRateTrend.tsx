// Pass rate per provider over the polls of the last days, with the same story in words for screen readers.
import { Paper, Stack, Text, Title } from '@mantine/core';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardProvider, TrendPoint } from '../../../src-shared/schemas/inventory';
import { clockTime } from './when';
import { formatCount } from '../../app/numbers';

const palette = ['var(--mantine-color-indigo-6)', 'var(--mantine-color-grape-6)', 'var(--mantine-color-cyan-7)', 'var(--mantine-color-orange-6)'];

type Series = { provider: DashboardProvider; points: { at: number; rate: number; pass: number; fail: number; unknown: number }[] };

function seriesOf(providers: DashboardProvider[], trend: TrendPoint[]): Series[] {
  return providers.map((provider) => ({
    provider,
    points: trend
      .filter((p) => p.providerId === provider.providerId)
      .sort((a, b) => a.at - b.at)
      .map((p) => {
        const total = p.pass + p.fail + p.unknown;
        return { at: p.at, pass: p.pass, fail: p.fail, unknown: p.unknown, rate: total ? Math.round((p.pass / total) * 1000) / 10 : 0 };
      }),
  }));
}

function describe(series: Series[]): string {
  const parts = series.map(({ provider, points }) => {
    const last = points.at(-1);
    const first = points[0];
    if (!last || !first) return `${provider.name}: no polls yet`;
    const change = points.length > 1 ? `, ${first.rate}% at the first of ${points.length} polls` : ', one poll so far';
    return `${provider.name}: ${last.rate}% passing now (${formatCount(last.pass)} pass, ${formatCount(last.fail)} fail, ${formatCount(last.unknown)} unknown)${change}`;
  });
  return `Pass rate per provider over the last 7 days. ${parts.join('; ')}.`;
}

const HOUR = 3_600_000;

/** At least an hour wide, so the first polls (milliseconds apart) do not sit at opposite edges. */
function timeDomain(trend: TrendPoint[]): [number, number] {
  const times = trend.map((t) => t.at);
  const min = Math.min(...times);
  const max = Math.max(...times);
  return max - min < HOUR ? [max - HOUR, max + HOUR / 12] : [min, max];
}

/** A poll that evaluated nothing (no checks yet) has no pass rate; drawn as 0 % it would read as a collapse. */
export const evaluatedPoints = (trend: TrendPoint[]) => trend.filter((p) => p.pass + p.fail + p.unknown > 0);

export function PassRateTrend({ providers, trend: all }: { providers: DashboardProvider[]; trend: TrendPoint[] }) {
  const trend = evaluatedPoints(all);
  const series = seriesOf(providers, trend);
  const summary = describe(series);
  const empty = series.every((s) => s.points.length === 0);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="trend-title">
      <Stack gap="xs">
        <Title order={3} size="h5" id="trend-title">
          Pass rate trend
        </Title>
        {empty ? (
          <Text size="sm" c="dimmed">
            No polls in the last 7 days yet; the trend appears after the first poll.
          </Text>
        ) : (
          <div role="img" aria-label={summary} data-testid="trend-chart" style={{ height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart margin={{ top: 8, right: 16, bottom: 0, left: -8 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" />
                <XAxis
                  dataKey="at"
                  type="number"
                  scale="time"
                  domain={timeDomain(trend)}
                  tickCount={4}
                  tickFormatter={(v: number) => clockTime(v)}
                  fontSize={11}
                  allowDuplicatedCategory={false}
                />
                <YAxis domain={[0, 100]} unit="%" fontSize={11} />
                <Tooltip labelFormatter={(v) => clockTime(Number(v))} formatter={(v) => `${String(v)}%`} />
                <Legend />
                {series.map(({ provider, points }, i) => (
                  <Line
                    key={provider.providerId}
                    data={points}
                    dataKey="rate"
                    name={provider.name}
                    stroke={palette[i % palette.length]}
                    strokeWidth={2}
                    dot={{ r: 3 }}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
        <Text size="xs" c="dimmed">
          {summary}
        </Text>
      </Stack>
    </Paper>
  );
}
