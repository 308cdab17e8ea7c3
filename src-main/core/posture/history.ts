// Per-poll result counts for the Dashboard's trend chart. The posture log keeps changes only, so the
// counts at each poll are recorded here: small (one line per poll), capped, written atomically. A poll that
// evaluated nothing (no checks yet) is not a point: it would read as a 0 % pass rate.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { TrendPoint } from '../../../src-shared/schemas/inventory';

const MAX_POINTS = 5000;

/** True when the poll evaluated something; older files may hold 0/0/0 points from polls before any check. */
export function evaluatedSomething(point: Pick<TrendPoint, 'pass' | 'fail' | 'unknown'>): boolean {
  return point.pass + point.fail + point.unknown > 0;
}

export function createPollHistory(file: string) {
  let points: TrendPoint[] = [];
  try {
    points = z
      .array(TrendPoint)
      .catch([])
      .parse(JSON.parse(readFileSync(file, 'utf8')))
      .filter(evaluatedSomething);
  } catch {
    // no history yet
  }
  return {
    /** Records a poll's counts; returns false (and records nothing) when the poll evaluated nothing. */
    add(point: TrendPoint): boolean {
      if (!evaluatedSomething(point)) return false;
      points = [...points, point].slice(-MAX_POINTS);
      const tmp = `${file}.tmp`;
      // Owner-only like the other data files; `mode` applies only to a file the write creates.
      rmSync(tmp, { force: true });
      writeFileSync(tmp, JSON.stringify(points), { mode: 0o600 });
      renameSync(tmp, file);
      return true;
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
