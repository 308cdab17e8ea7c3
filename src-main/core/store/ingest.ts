// Writes one poll's evaluations in one transaction: an unchanged evaluation extends its series' open run,
// anything else closes that run and opens a new one. The log grows with changes, not with polls.
import { ContractError } from '../../../src-shared/errors';
import type { LogRow, PollEvaluations } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import type { Lookups } from './lookups';
import { resultCode } from './rows';

export type IngestResult = {
  pollId: string;
  /** True when this poll id was already committed; nothing was written. */
  duplicate: boolean;
  evaluations: number;
  /** Evaluations that extended an open run. */
  extended: number;
  /** New rows of the changes view, in input order: emit them as live-append events. */
  opened: LogRow[];
};

type LatestRun = {
  id: number;
  result: number;
  expected: number | null;
  received: number | null;
  reason: number | null;
  last_poll: number;
};

export function createIngest(conn: Connection, lookups: Lookups) {
  const { statement } = conn;

  return function ingest(poll: PollEvaluations): IngestResult {
    try {
      return conn.write(() => {
        const done = { pollId: poll.pollId, evaluations: poll.rows.length, extended: 0, opened: [] };
        if (statement('SELECT 1 FROM polls WHERE key = ?').get(poll.pollId)) return { ...done, duplicate: true };

        const providerId = lookups.provider(poll.providerId);
        const previous = statement(
          'SELECT id, evaluated_at FROM polls WHERE provider_id = ? ORDER BY evaluated_at DESC LIMIT 1',
        ).get(providerId) as { id: number; evaluated_at: number } | undefined;
        if (previous && previous.evaluated_at >= poll.evaluatedAt)
          throw new ContractError({
            code: 'store.poll_out_of_order',
            message: `Poll ${poll.pollId} was evaluated at ${new Date(poll.evaluatedAt).toISOString()}, not after the provider's last committed poll (${new Date(previous.evaluated_at).toISOString()}).`,
            fix: 'Polls of one provider must be written in the order they were evaluated.',
          });
        const pollRowId = Number(
          statement('INSERT INTO polls (key, provider_id, evaluated_at, evaluations) VALUES (?, ?, ?, ?)').run(
            poll.pollId,
            providerId,
            poll.evaluatedAt,
            poll.rows.length,
          ).lastInsertRowid,
        );

        const latestOf = statement(
          'SELECT id, result, expected, received, reason, last_poll FROM runs WHERE series_id = ? AND latest = 1',
        );
        const extend = statement('UPDATE runs SET last_at = ?, last_poll = ?, count = count + 1 WHERE id = ?');
        const close = statement('UPDATE runs SET latest = 0 WHERE id = ?');
        const open = statement(
          `INSERT INTO runs (series_id, result, latest, first_at, last_at, last_poll, count, expected, received, reason)
           VALUES (?, ?, 1, ?, ?, ?, 1, ?, ?, ?)`,
        );

        const seen = new Set<number>();
        let extended = 0;
        const opened: LogRow[] = [];
        for (const row of poll.rows) {
          const checkId = lookups.check(providerId, row.checkId, row.checkName);
          const seriesId = lookups.series(providerId, checkId, lookups.device(row));
          if (seen.has(seriesId))
            throw new ContractError({
              code: 'store.duplicate_evaluation',
              message: `Poll ${poll.pollId} evaluates check ${row.checkId} on device ${row.deviceKey} twice.`,
              fix: 'Each device/check pair may appear once per poll.',
            });
          seen.add(seriesId);

          const result = resultCode(row.result);
          const expected = lookups.text(row.expected);
          const received = lookups.text(row.received);
          const reason = lookups.text(row.reason);
          const latest = latestOf.get(seriesId) as LatestRun | undefined;
          // A run only spans consecutive polls: a device missing from the previous poll starts a new run.
          const unchanged =
            latest !== undefined &&
            latest.last_poll === previous?.id &&
            latest.result === result &&
            latest.expected === expected &&
            latest.received === received &&
            latest.reason === reason;
          if (unchanged) {
            extend.run(poll.evaluatedAt, pollRowId, latest.id);
            extended++;
            continue;
          }
          if (latest) close.run(latest.id);
          const runId = open.run(seriesId, result, poll.evaluatedAt, poll.evaluatedAt, pollRowId, expected, received, reason)
            .lastInsertRowid;
          opened.push({
            id: String(runId),
            at: poll.evaluatedAt,
            firstEvaluatedAt: poll.evaluatedAt,
            lastEvaluatedAt: poll.evaluatedAt,
            count: 1,
            providerId: poll.providerId,
            checkId: row.checkId,
            checkName: row.checkName,
            deviceKey: row.deviceKey,
            deviceName: row.deviceName,
            serial: row.serial,
            platform: row.platform,
            result: row.result,
            expected: row.expected,
            received: row.received,
            reason: row.reason,
          });
        }
        return { ...done, duplicate: false, extended, opened };
      });
    } catch (error) {
      lookups.forget();
      throw error;
    }
  };
}
