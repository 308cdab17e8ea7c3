// Writes one poll's evaluations in one transaction: an evaluation with its series' result extends the open run
// (carrying the latest received value), anything else closes that run and opens a new one. The log grows with
// changes of result, not with polls.
import { ContractError } from '../../../src-shared/errors';
import type { LogRow, PollEvaluations, PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import type { StatementSync } from 'node:sqlite';
import type { Connection } from './connection';
import type { Check, Lookups, Provider, Series } from './lookups';
import { FIELDS, PIECE_ROWS, pieceText, SAME_AS_SERIAL, unpackRow, type PackedPoll } from './packed-poll';
import { resultCode } from './rows';

export type IngestResult = {
  pollId: string;
  /** True when this poll id was already committed; nothing was written. */
  duplicate: boolean;
  evaluations: number;
  /** Evaluations that extended an open run (with or without a new received value). */
  extended: number;
  /** New rows of the changes view, in input order: emit them as live-append events (the newest `keepOpened`, when set). */
  opened: LogRow[];
  /** How many rows this poll opened (more than `opened` holds when `keepOpened` cut it). */
  openedCount: number;
};

export type IngestOptions = {
  /**
   * Return only the newest this many opened rows: a first poll of a large fleet opens a row per device and check,
   * and the caller (the live tail) needs only the newest; sending all back would cost both threads a copy of each.
   */
  keepOpened?: number;
};

/** Run ids bound per UPDATE when extending runs: one statement per this many runs. */
const EXTEND_BATCH = 500;
/** Rows decided per step of a poll's write: a few tens of milliseconds, so reads wait no longer than that. */
const STEP_ROWS = 2_000;
/** Extend statements per step. */
const EXTEND_BATCHES_PER_STEP = 20;

type PollHeader = { pollId: string; providerId: string; evaluatedAt: number };

/** One poll being written. The row functions below are module-level so V8 keeps them optimized across polls. */
type PollWrite = {
  poll: PollHeader;
  lookups: Lookups;
  provider: Provider;
  previousPoll: number;
  pollRowId: number;
  close: StatementSync;
  open: StatementSync;
  /** Extends a run by this poll with its latest received value and reason. */
  update: StatementSync;
  /** Runs to extend by this poll, written together once the rows are decided. */
  extended: number[];
  opened: LogRow[];
  openedCount: number;
  keepOpened: number;
  /** The outbox forwards every opened run: nothing is trimmed while the poll is written. */
  keepAll: boolean;
};

/** Runs inside a poll's transaction with every run it opened, when `wants()` (the forwarding outbox appends them there). */
export type OnOpened = { wants(): boolean; opened(pollId: string, opened: LogRow[]): void };

export function createIngest(conn: Connection, lookups: Lookups, onOpened?: OnOpened) {
  const { statement } = conn;
  const extend = conn.db.prepare(`UPDATE runs SET last_at = ?, last_poll = ?, count = count + 1 WHERE id IN (${Array(EXTEND_BATCH).fill('?').join(', ')})`);

  /** Extends runs by one poll, EXTEND_BATCH ids a statement; a short last batch repeats its last id. Yields now and then. */
  function* extendRuns(runs: number[], at: number, pollRowId: number): Generator<void, void> {
    const ids = new Array<number>(EXTEND_BATCH);
    for (let start = 0; start < runs.length; start += EXTEND_BATCH) {
      for (let i = 0; i < EXTEND_BATCH; i++) ids[i] = runs[Math.min(start + i, runs.length - 1)]!;
      extend.run(at, pollRowId, ...ids);
      if ((start / EXTEND_BATCH) % EXTEND_BATCHES_PER_STEP === EXTEND_BATCHES_PER_STEP - 1) yield;
    }
  }

  /**
   * The poll's transaction as steps: refuses replays and polls out of order, then lets `writeRows` decide each row,
   * yielding every STEP_ROWS rows with the transaction still open. The poll commits whole at the last step; a step
   * that throws, or a caller that stops early (`return()`), rolls it back and resets the mirror.
   */
  function* steps(
    poll: PollHeader,
    count: number,
    writeRows: (w: PollWrite) => Generator<void, void>,
    options: IngestOptions = {},
  ): Generator<void, IngestResult> {
    const { db } = conn;
    db.exec('BEGIN IMMEDIATE');
    let committed = false;
    try {
      const result = yield* decide(poll, count, writeRows, options);
      db.exec('COMMIT');
      committed = true;
      return result;
    } finally {
      if (!committed) {
        if (db.isOpen && db.isTransaction) db.exec('ROLLBACK');
        lookups.forget();
      }
    }
  }

  function* decide(poll: PollHeader, count: number, writeRows: (w: PollWrite) => Generator<void, void>, options: IngestOptions): Generator<void, IngestResult> {
    const done = { pollId: poll.pollId, evaluations: count, extended: 0, opened: [], openedCount: 0 };
    if (statement('SELECT 1 FROM polls WHERE key = ?').get(poll.pollId)) return { ...done, duplicate: true };

    const provider = lookups.provider(poll.providerId);
    const previous = statement('SELECT id, evaluated_at FROM polls WHERE provider_id = ? ORDER BY evaluated_at DESC LIMIT 1').get(provider.id) as
      { id: number; evaluated_at: number } | undefined;
    if (previous && previous.evaluated_at >= poll.evaluatedAt)
      throw new ContractError({
        code: 'store.poll_out_of_order',
        message: `Poll ${poll.pollId} was evaluated at ${new Date(poll.evaluatedAt).toISOString()}, not after the provider's last committed poll (${new Date(previous.evaluated_at).toISOString()}).`,
        fix: 'Polls of one provider must be written in the order they were evaluated.',
      });
    const pollRowId = Number(
      statement('INSERT INTO polls (key, provider_id, evaluated_at, evaluations) VALUES (?, ?, ?, ?)').run(poll.pollId, provider.id, poll.evaluatedAt, count)
        .lastInsertRowid,
    );
    const w: PollWrite = {
      poll,
      lookups,
      provider,
      previousPoll: previous?.id ?? -1,
      pollRowId,
      close: statement('UPDATE runs SET latest = 0 WHERE id = ?'),
      update: statement('UPDATE runs SET last_at = ?, last_poll = ?, count = count + 1, received = ?, reason = ? WHERE id = ?'),
      open: statement(
        `INSERT INTO runs (series_id, result, latest, first_at, last_at, last_poll, count, expected, received, reason)
         VALUES (?, ?, 1, ?, ?, ?, 1, ?, ?, ?)`,
      ),
      extended: [],
      opened: [],
      openedCount: 0,
      keepOpened: Math.max(0, options.keepOpened ?? Infinity),
      keepAll: onOpened?.wants() ?? false,
    };
    yield* writeRows(w);
    yield* extendRuns(w.extended, poll.evaluatedAt, pollRowId);
    if (w.keepAll) onOpened!.opened(poll.pollId, w.opened);
    const opened = w.opened.length > w.keepOpened ? w.opened.slice(w.opened.length - w.keepOpened) : w.opened;
    return { ...done, duplicate: false, extended: count - w.openedCount, opened, openedCount: w.openedCount };
  }

  return {
    rows: (poll: PollEvaluations, options?: IngestOptions): IngestResult => drain(steps(poll, poll.rows.length, (w) => writeRows(w, poll.rows), options)),
    /** A packed poll: how the worker receives them. */
    packed: (poll: PackedPoll, options?: IngestOptions): IngestResult => drain(steps(poll, poll.lengths.length / FIELDS, (w) => writePacked(w, poll), options)),
    /** `packed` as steps of at most STEP_ROWS rows in one open transaction, so the worker can answer reads between them. */
    packedSteps: (poll: PackedPoll, options?: IngestOptions): Generator<void, IngestResult> =>
      steps(poll, poll.lengths.length / FIELDS, (w) => writePacked(w, poll), options),
  };
}

/** Runs steps to the end at once (in-thread callers). */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function* writeRows(w: PollWrite, rows: PostureEvaluation[]): Generator<void, void> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    apply(w, findCheckByKey(w, row.checkId, row.checkName), row);
    if (i % STEP_ROWS === STEP_ROWS - 1) yield;
  }
}

/**
 * Fast path: every field of the row after its device key equals what the mirror holds (the device's name and
 * platform, the series' serial, result, expected, received and reason) and its match key is the device's; then the
 * run is only extended, as `apply` would. Anything else goes through `apply`. Comparing field by field against the
 * mirror, rather than against a copy of the previous row's text, keeps no per-series copy of that text.
 * The series is first guessed from the provider's previous packed poll (same row order), then hashed for. The text
 * is decoded a piece at a time, so the worker never holds a whole poll's text either.
 */
function* writePacked(w: PollWrite, poll: PackedPoll): Generator<void, void> {
  const { lengths } = poll;
  const { checkList, order: previousOrder } = w.provider;
  const order: Series[] = [];
  let guess = 0;
  let text = '';
  let offset = 0;
  for (let j = 0, row = 0; j < lengths.length; j += FIELDS, row++) {
    if (row % PIECE_ROWS === 0) {
      text = pieceText(poll, row / PIECE_ROWS);
      offset = 0;
    }
    const rowStart = offset;
    const checkIdLength = lengths[j]!;
    const checkNameLength = lengths[j + 1]!;
    let check = findPackedCheck(checkList, text, offset, checkIdLength, checkNameLength);
    if (check === undefined) {
      const nameStart = offset + checkIdLength;
      check = w.lookups.check(w.provider, text.slice(offset, nameStart), text.slice(nameStart, nameStart + checkNameLength));
    }
    offset += checkIdLength + checkNameLength;
    const serialKeyStart = offset;
    const serialKeyLength = lengths[j + 2]!;
    if (serialKeyLength > 0) offset += serialKeyLength;
    const keyStart = offset;
    const keyLength = lengths[j + 3]!;
    offset += keyLength;
    const tailStart = offset;
    for (let k = j + 4; k < j + FIELDS; k++) if (lengths[k]! > 0) offset += lengths[k]!;

    let series = previousOrder[guess];
    if (series?.check !== check || series.key.length !== keyLength || !text.startsWith(series.key, keyStart))
      series = check.series.get(text.slice(keyStart, keyStart + keyLength));
    if (series !== undefined) guess = series.position + 1;
    if (
      series !== undefined &&
      series.run !== 0 &&
      series.lastPoll === w.previousPoll &&
      tailMatches(series, text, tailStart, lengths, j) &&
      (serialKeyLength === SAME_AS_SERIAL
        ? // The key is the serial's text, which sits in the tail after the device name.
          sameText(series.device.serialKey, text, tailStart + Math.max(lengths[j + 4]!, 0), lengths[j + 5]!)
        : sameText(series.device.serialKey, text, serialKeyStart, serialKeyLength))
    ) {
      refuseSecond(w, series, check.key, series.key);
      w.extended.push(series.run);
      series.lastPoll = w.pollRowId;
    } else series = apply(w, check, unpackRow(lengths, text, j, rowStart));
    series.position = order.length;
    order.push(series);
    if (order.length % STEP_ROWS === 0) yield;
  }
  w.provider.order = order;
}

/** Whether the row's fields after its device key (name, serial, platform, result, expected, received, reason) are the mirror's. */
function tailMatches(series: Series, text: string, at: number, lengths: Int32Array, j: number): boolean {
  const { device } = series;
  // Unrolled: this runs once per evaluation, and an array of the seven values would be one more allocation each.
  let length = lengths[j + 4]!;
  if (!sameText(device.name, text, at, length)) return false;
  if (length > 0) at += length;
  length = lengths[j + 5]!;
  if (!sameText(series.serial, text, at, length)) return false;
  if (length > 0) at += length;
  length = lengths[j + 6]!;
  if (!sameText(device.platform, text, at, length)) return false;
  if (length > 0) at += length;
  length = lengths[j + 7]!;
  if (!sameText(series.result, text, at, length)) return false;
  if (length > 0) at += length;
  length = lengths[j + 8]!;
  if (!sameText(series.expected, text, at, length)) return false;
  if (length > 0) at += length;
  length = lengths[j + 9]!;
  if (!sameText(series.received, text, at, length)) return false;
  if (length > 0) at += length;
  return sameText(series.reason, text, at, lengths[j + 10]!);
}

/** The general path: device name, duplicate, then extend or open. */
function apply(w: PollWrite, check: Check, row: PostureEvaluation): Series {
  const { poll, lookups, pollRowId } = w;
  const series = check.series.get(row.deviceKey) ?? lookups.addSeries(w.provider, check, row);
  refuseSecond(w, series, row.checkId, row.deviceKey);
  const { device } = series;
  if (device.name !== row.deviceName || device.serialKey !== row.serialKey || device.platform !== row.platform) lookups.updateDevice(device, row);
  if (series.serial !== row.serial) lookups.updateSerial(series, row.serial);

  // A run only spans consecutive polls: a device missing from the previous poll starts a new run. A change is a
  // change of result (or of what the check expects): a new received value or reason only updates the run.
  if (series.run !== 0 && series.lastPoll === w.previousPoll && series.result === row.result && series.expected === row.expected) {
    if (series.received === row.received && series.reason === row.reason) w.extended.push(series.run);
    else {
      w.update.run(poll.evaluatedAt, pollRowId, lookups.text(row.received), lookups.text(row.reason), series.run);
      series.received = lookups.intern(row.received);
      series.reason = lookups.intern(row.reason);
    }
    series.lastPoll = pollRowId;
    return series;
  }
  if (series.run !== 0) w.close.run(series.run);
  const runId = Number(
    w.open.run(
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
    expected: lookups.intern(row.expected),
    received: lookups.intern(row.received),
    reason: lookups.intern(row.reason),
    lastPoll: pollRowId,
  });
  w.openedCount++;
  // Only the newest `keepOpened` are returned: trim as we go so a first poll never holds a row per evaluation.
  if (!w.keepAll && w.opened.length >= 2 * w.keepOpened && w.keepOpened < Infinity) w.opened.splice(0, w.opened.length - w.keepOpened);
  w.opened.push({
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
    serialKey: row.serialKey,
    platform: row.platform,
    result: row.result,
    expected: row.expected,
    received: row.received,
    reason: row.reason,
  });
  return series;
}

function refuseSecond(w: PollWrite, series: Series, checkId: string, deviceKey: string): void {
  if (series.seenIn === w.pollRowId)
    throw new ContractError({
      code: 'store.duplicate_evaluation',
      message: `Poll ${w.poll.pollId} evaluates check ${checkId} on device ${deviceKey} twice.`,
      fix: 'Each device/check pair may appear once per poll.',
    });
  series.seenIn = w.pollRowId;
}

/** Whether the packed field at `start` (length -1 for null) is `value`. */
function sameText(value: string | null, text: string, start: number, length: number): boolean {
  return value === null ? length === -1 : value.length === length && text.startsWith(value, start);
}

/** A provider has a few checks: scanning them beats hashing the key of every row. */
function findCheckByKey(w: PollWrite, key: string, name: string): Check {
  for (const check of w.provider.checkList) if (check.key === key && check.name === name) return check;
  return w.lookups.check(w.provider, key, name);
}

/** The provider's check whose key and name are the text at `offset`, if it has one. */
function findPackedCheck(checks: Check[], text: string, offset: number, keyLength: number, nameLength: number) {
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
