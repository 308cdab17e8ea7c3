// Writes one poll's evaluations in one transaction: an unchanged evaluation extends its series' open run,
// anything else closes that run and opens a new one. The log grows with changes, not with polls.
import { ContractError } from '../../../src-shared/errors';
import type { LogRow, PollEvaluations, PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import type { Check, Lookups, Provider, Series } from './lookups';
import { detach, FIELDS, TAIL_FIELDS, unpackRow, type PackedPoll } from './packed-poll';
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

/** Run ids bound per UPDATE when extending runs: one statement per this many runs. */
const EXTEND_BATCH = 500;
/** Field lengths are kept as characters; a longer field only takes the slow path. */
const MAX_TAIL_LENGTH = 0xfffe;

export function createIngest(conn: Connection, lookups: Lookups) {
  const { statement } = conn;
  const extend = conn.db.prepare(
    `UPDATE runs SET last_at = ?, last_poll = ?, count = count + 1 WHERE id IN (${Array(EXTEND_BATCH).fill('?').join(', ')})`,
  );

  /** Extends runs by one poll, EXTEND_BATCH ids a statement; a short last batch repeats its last id. */
  function extendRuns(runs: number[], at: number, pollRowId: number): void {
    const ids = new Array<number>(EXTEND_BATCH);
    for (let start = 0; start < runs.length; start += EXTEND_BATCH) {
      for (let i = 0; i < EXTEND_BATCH; i++) ids[i] = runs[Math.min(start + i, runs.length - 1)]!;
      extend.run(at, pollRowId, ...ids);
    }
  }

  type PollHeader = { pollId: string; providerId: string; evaluatedAt: number };
  type Poll = { header: PollHeader; count: number; writeRows(writer: RowWriter): void };

  /** The poll's transaction: refuses replays and polls out of order, then lets `writeRows` decide each row. */
  function ingest({ header, count, writeRows }: Poll): IngestResult {
    try {
      return conn.write(() => {
        const done = { pollId: header.pollId, evaluations: count, extended: 0, opened: [] };
        if (statement('SELECT 1 FROM polls WHERE key = ?').get(header.pollId)) return { ...done, duplicate: true };

        const provider = lookups.provider(header.providerId);
        const previous = statement(
          'SELECT id, evaluated_at FROM polls WHERE provider_id = ? ORDER BY evaluated_at DESC LIMIT 1',
        ).get(provider.id) as { id: number; evaluated_at: number } | undefined;
        if (previous && previous.evaluated_at >= header.evaluatedAt)
          throw new ContractError({
            code: 'store.poll_out_of_order',
            message: `Poll ${header.pollId} was evaluated at ${new Date(header.evaluatedAt).toISOString()}, not after the provider's last committed poll (${new Date(previous.evaluated_at).toISOString()}).`,
            fix: 'Polls of one provider must be written in the order they were evaluated.',
          });
        const pollRowId = Number(
          statement('INSERT INTO polls (key, provider_id, evaluated_at, evaluations) VALUES (?, ?, ?, ?)').run(
            header.pollId,
            provider.id,
            header.evaluatedAt,
            count,
          ).lastInsertRowid,
        );
        const writer = rowWriter(header, provider, previous?.id ?? -1, pollRowId);
        writeRows(writer);
        extendRuns(writer.extended, header.evaluatedAt, pollRowId);
        return { ...done, duplicate: false, extended: writer.extended.length, opened: writer.opened };
      });
    } catch (error) {
      lookups.forget();
      throw error;
    }
  }

  type RowWriter = ReturnType<typeof rowWriter>;

  /** Decides rows of one poll: collects the runs to extend, writes the runs to open. */
  function rowWriter(poll: PollHeader, provider: Provider, previousPoll: number, pollRowId: number) {
    const close = statement('UPDATE runs SET latest = 0 WHERE id = ?');
    const open = statement(
      `INSERT INTO runs (series_id, result, latest, first_at, last_at, last_poll, count, expected, received, reason)
       VALUES (?, ?, 1, ?, ?, ?, 1, ?, ?, ?)`,
    );
    const extended: number[] = [];
    const opened: LogRow[] = [];

    function refuseSecond(series: Series, checkId: string, deviceKey: string): void {
      if (series.seenIn === pollRowId)
        throw new ContractError({
          code: 'store.duplicate_evaluation',
          message: `Poll ${poll.pollId} evaluates check ${checkId} on device ${deviceKey} twice.`,
          fix: 'Each device/check pair may appear once per poll.',
        });
      series.seenIn = pollRowId;
    }

    return {
      provider,
      extended,
      opened,

      /** A row whose series was evaluated at the previous poll exactly like this (see the packed path). */
      extend(series: Series, checkId: string, deviceKey: string): void {
        refuseSecond(series, checkId, deviceKey);
        extended.push(series.run);
        series.lastPoll = pollRowId;
      },

      /** The general path: device name, duplicate, then extend or open. Forgets the series' packed tail. */
      apply(check: Check, row: PostureEvaluation): Series {
        const series = check.series.get(row.deviceKey) ?? lookups.addSeries(provider, check, row);
        refuseSecond(series, row.checkId, row.deviceKey);
        series.tail = null;
        const { device } = series;
        if (device.name !== row.deviceName || device.serial !== row.serial || device.platform !== row.platform)
          lookups.updateDevice(device, row);

        // A run only spans consecutive polls: a device missing from the previous poll starts a new run.
        if (
          series.run !== 0 &&
          series.lastPoll === previousPoll &&
          series.result === row.result &&
          series.expected === row.expected &&
          series.received === row.received &&
          series.reason === row.reason
        ) {
          extended.push(series.run);
          series.lastPoll = pollRowId;
          return series;
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
          expected: detach(row.expected),
          received: detach(row.received),
          reason: detach(row.reason),
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
        return series;
      },

      /** Whether `series` may take the packed fast path at this poll. */
      continues: (series: Series): boolean =>
        series.run !== 0 && series.lastPoll === previousPoll && series.deviceVersion === series.device.version,
    };
  }

  return {
    rows(poll: PollEvaluations): IngestResult {
      return ingest({
        header: poll,
        count: poll.rows.length,
        writeRows(writer) {
          let check: Check | undefined;
          for (const row of poll.rows) {
            if (check?.key !== row.checkId || check.name !== row.checkName)
              check = lookups.check(writer.provider, row.checkId, row.checkName);
            writer.apply(check, row);
          }
        },
      });
    },

    /**
     * A packed poll (how the worker receives them). Fast path: the row's text after its device key is exactly
     * the series' previous evaluation, and neither the device nor the check changed since.
     */
    packed(poll: PackedPoll): IngestResult {
      const { lengths, text } = poll;
      return ingest({
        header: poll,
        count: lengths.length / FIELDS,
        writeRows(writer) {
          let offset = 0;
          for (let j = 0; j < lengths.length; j += FIELDS) {
            const rowStart = offset;
            const checkIdLength = lengths[j]!;
            const checkNameLength = lengths[j + 1]!;
            let check = findCheck(writer.provider.checkList, text, offset, checkIdLength, checkNameLength);
            if (check === undefined) {
              const nameStart = offset + checkIdLength;
              check = lookups.check(
                writer.provider,
                text.slice(offset, nameStart),
                text.slice(nameStart, nameStart + checkNameLength),
              );
            }
            offset += checkIdLength + checkNameLength;
            const keyLength = lengths[j + 2]!;
            const deviceKey = text.slice(offset, offset + keyLength);
            offset += keyLength;
            const tailStart = offset;
            for (let k = j + 3; k < j + FIELDS; k++) offset += Math.max(0, lengths[k]!);

            const series = check.series.get(deviceKey);
            if (
              series !== undefined &&
              series.tail !== null &&
              writer.continues(series) &&
              sameLengths(series.tailLengths, lengths, j + 3) &&
              text.startsWith(series.tail, tailStart)
            ) {
              writer.extend(series, check.key, deviceKey);
              continue;
            }
            const written = writer.apply(check, unpackRow(poll, j, rowStart));
            written.tail = detach(text.slice(tailStart, offset));
            written.tailLengths = tailLengthsOf(lengths, j + 3);
            written.deviceVersion = written.device.version;
          }
        },
      });
    },
  };
}

/** A row's tail field lengths as characters (null → 0), or null when one is too long to say so. */
function tailLengthsOf(lengths: Int32Array, from: number): string | null {
  let out = '';
  for (let k = from; k < from + TAIL_FIELDS; k++) {
    const length = lengths[k]!;
    if (length > MAX_TAIL_LENGTH) return null;
    out += String.fromCharCode(length + 1);
  }
  return out;
}

/** The provider's check whose key and name are the text at `offset`, if it has one. */
function findCheck(checks: Check[], text: string, offset: number, keyLength: number, nameLength: number) {
  for (const check of checks)
    if (
      check.key.length === keyLength &&
      check.name.length === nameLength &&
      text.startsWith(check.key, offset) &&
      text.startsWith(check.name, offset + keyLength)
    )
      return check;
  return undefined;
}

function sameLengths(expected: string | null, lengths: Int32Array, from: number): boolean {
  if (expected === null) return false;
  for (let k = 0; k < TAIL_FIELDS; k++) if (expected.charCodeAt(k) !== lengths[from + k]! + 1) return false;
  return true;
}
