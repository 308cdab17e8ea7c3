// Per-poll result counts for the Dashboard's trend chart. The posture log keeps changes only, so the
// counts at each poll are recorded here: small (one line per poll), capped, written atomically.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { TrendPoint } from '../../../src-shared/schemas/inventory';

const MAX_POINTS = 5000;

export function createPollHistory(file: string) {
  let points: TrendPoint[] = [];
  try {
    points = z.array(TrendPoint).catch([]).parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // no history yet
  }
  return {
    add(point: TrendPoint): void {
      points = [...points, point].slice(-MAX_POINTS);
      const tmp = `${file}.tmp`;
      // Owner-only like the other data files; `mode` applies only to a file the write creates.
      rmSync(tmp, { force: true });
      writeFileSync(tmp, JSON.stringify(points), { mode: 0o600 });
      renameSync(tmp, file);
    },
    since(from: number): TrendPoint[] {
      return points.filter((p) => p.at >= from);
    },
    forget(providerId: string): void {
      points = points.filter((p) => p.providerId !== providerId);
    },
  };
}

export type PollHistory = ReturnType<typeof createPollHistory>;
