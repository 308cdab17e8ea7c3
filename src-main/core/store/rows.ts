// How a run is stored and read back: result codes on disk, and the SELECT that turns a run into a LogRow.
import { ContractError } from '../../../src-shared/errors';
import { PostureResult, type LogRow } from '../../../src-shared/schemas/posture-log';

/** On disk a result is its position in PostureResult: 0 pass, 1 fail, 2 unknown. */
export function resultCode(result: PostureResult): number {
  const code = PostureResult.options.indexOf(result);
  if (code < 0) throw new ContractError({ code: 'store.bad_result', message: `Unknown posture result '${String(result)}'.` });
  return code;
}

export function resultName(code: number): PostureResult {
  const name = PostureResult.options[code];
  if (!name) throw new Error(`Corrupt posture log: result code ${code}`);
  return name;
}

/** Columns every log query selects; the aliases are what `toLogRow` and the keyset cursors read. */
export const RUN_COLUMNS = `
  r.id AS run_id, r.result, r.first_at, r.last_at, r.count,
  d.id AS device_id, d.key AS device_key, d.name AS device_name, s.serial, d.serial_key, d.platform,
  s.check_id, c.key AS check_key, c.name AS check_name, p.key AS provider_key,
  xe.value AS expected, xr.value AS received, xn.value AS reason`;

/** Joins for RUN_COLUMNS once `r`, `s` and `d` are in the FROM clause; all are primary-key lookups. */
export const RUN_LOOKUPS = `
  CROSS JOIN checks c ON c.id = s.check_id
  CROSS JOIN providers p ON p.id = s.provider_id
  LEFT JOIN strings xe ON xe.id = r.expected
  LEFT JOIN strings xr ON xr.id = r.received
  LEFT JOIN strings xn ON xn.id = r.reason`;

export type RunRecord = {
  run_id: number;
  result: number;
  first_at: number;
  last_at: number;
  count: number;
  device_id: number;
  device_key: string;
  device_name: string;
  serial: string | null;
  serial_key: string | null;
  platform: string | null;
  check_id: number;
  check_key: string;
  check_name: string;
  provider_key: string;
  expected: string | null;
  received: string | null;
  reason: string | null;
};

/** A run as a log row; an evaluation row passes its poll (id and time). */
export function toLogRow(r: RunRecord, poll?: { id: number; at: number }): LogRow {
  return {
    id: poll ? `${r.run_id}@${poll.id}` : String(r.run_id),
    at: poll ? poll.at : r.first_at,
    firstEvaluatedAt: r.first_at,
    lastEvaluatedAt: r.last_at,
    count: r.count,
    providerId: r.provider_key,
    checkId: r.check_key,
    checkName: r.check_name,
    deviceKey: r.device_key,
    deviceName: r.device_name,
    serial: r.serial,
    serialKey: r.serial_key,
    platform: r.platform,
    result: resultName(r.result),
    expected: r.expected,
    received: r.received,
    reason: r.reason,
  };
}
