// Writes one poll's evaluations in one transaction: an unchanged evaluation extends its series' open run,
// anything else closes that run and opens a new one. The log grows with changes, not with polls.
import { ContractError } from '../../../src-shared/errors';
import type { LogRow, PollEvaluations } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import type { Check, Lookups } from './lookups';
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

export function createIngest(conn: Connection, lookups: Lookups) {
  const { statement } = conn;

  return function ingest(poll: PollEvaluations): IngestResult {
    try {
      return conn.write(() => {
        const done = { pollId: poll.pollId, evaluations: poll.rows.length, extended: 0, opened: [] };
        if (statement('SELECT 1 FROM polls WHERE key = ?').get(poll.pollId)) return { ...done, duplicate: true };

        const provider = lookups.provider(poll.providerId);
        const previous = statement(
          'SELECT id, evaluated_at FROM polls WHERE provider_id = ? ORDER BY evaluated_at DESC LIMIT 1',
        ).get(provider.id) as { id: number; evaluated_at: number } | undefined;
        if (previous && previous.evaluated_at >= poll.evaluatedAt)
          throw new ContractError({
            code: 'store.poll_out_of_order',
            message: `Poll ${poll.pollId} was evaluated at ${new Date(poll.evaluatedAt).toISOString()}, not after the provider's last committed poll (${new Date(previous.evaluated_at).toISOString()}).`,
            fix: 'Polls of one provider must be written in the order they were evaluated.',
          });
        const previousPoll = previous?.id ?? -1;
        const pollRowId = Number(
          statement('INSERT INTO polls (key, provider_id, evaluated_at, evaluations) VALUES (?, ?, ?, ?)').run(
            poll.pollId,
            provider.id,
            poll.evaluatedAt,
            poll.rows.length,
          ).lastInsertRowid,
        );

        const close = statement('UPDATE runs SET latest = 0 WHERE id = ?');
        const open = statement(
          `INSERT INTO runs (series_id, result, latest, first_at, last_at, last_poll, count, expected, received, reason)
           VALUES (?, ?, 1, ?, ?, ?, 1, ?, ?, ?)`,
        );

        // Unchanged evaluations only extend their run: collected here, written by one statement below.
        const extendedRuns: number[] = [];
        const opened: LogRow[] = [];
        let check: Check | undefined;
        for (const row of poll.rows) {
          if (check?.key !== row.checkId || check.name !== row.checkName)
            check = lookups.check(provider, row.checkId, row.checkName);
          const series = check.series.get(row.deviceKey) ?? lookups.addSeries(provider, check, row);
          if (series.seenIn === pollRowId)
            throw new ContractError({
              code: 'store.duplicate_evaluation',
              message: `Poll ${poll.pollId} evaluates check ${row.checkId} on device ${row.deviceKey} twice.`,
              fix: 'Each device/check pair may appear once per poll.',
            });
          series.seenIn = pollRowId;
          const { device } = series;
          if (device.name !== row.deviceName || device.serial !== row.serial || device.platform !== row.platform)
            lookups.updateDevice(device, row);

          // A run only spans consecutive polls: a device missing from the previous poll starts a new run.
          if (
            series.lastPoll === previousPoll &&
            series.result === row.result &&
            series.expected === row.expected &&
            series.received === row.received &&
            series.reason === row.reason &&
            series.run !== 0
          ) {
            extendedRuns.push(series.run);
            series.lastPoll = pollRowId;
            continue;
          }
          if (series.run !== 0) close.run(series.run);
          const runId = Number(
            open.run(
              series.id,
              resultCode(row.result),
              poll.evaluatedAt,
              poll.evaluatedAt,
              pollRowId,
              lookups.text(row.expected),
              lookups.text(row.received),
              lookups.text(row.reason),
            ).lastInsertRowid,
          );
          Object.assign(series, {
            run: runId,
            result: row.result,
            expected: row.expected,
            received: row.received,
            reason: row.reason,
            lastPoll: pollRowId,
          });
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
        if (extendedRuns.length > 0)
          statement(
            'UPDATE runs SET last_at = ?, last_poll = ?, count = count + 1 WHERE id IN (SELECT value FROM json_each(?))',
          ).run(poll.evaluatedAt, pollRowId, JSON.stringify(extendedRuns));
        return { ...done, duplicate: false, extended: extendedRuns.length, opened };
      });
    } catch (error) {
      lookups.forget();
      throw error;
    }
  };
}
