// The latest result of every check on some devices: what the Devices page shows beside each device.
import type { LogRow } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import { RUN_COLUMNS, RUN_LOOKUPS, toLogRow, type RunRecord } from './rows';

/** At most this many devices per call: a page of the Devices table. */
export const MAX_DEVICES_PER_CALL = 1000;

/** Latest-view rows of these devices, by device key then check name; unknown keys have none. */
export function latestForDevices(conn: Connection, deviceKeys: readonly string[]): LogRow[] {
  if (deviceKeys.length === 0) return [];
  if (deviceKeys.length > MAX_DEVICES_PER_CALL) throw new RangeError(`At most ${MAX_DEVICES_PER_CALL} devices per call.`);
  const sql = `SELECT ${RUN_COLUMNS}
    FROM devices d CROSS JOIN series s ON s.device_id = d.id
      CROSS JOIN runs r INDEXED BY runs_latest ON r.series_id = s.id AND r.latest = 1
      ${RUN_LOOKUPS}
    WHERE d.key IN (SELECT value FROM json_each(?))
    ORDER BY d.key, c.name, c.key`;
  return (conn.statement(sql).all(JSON.stringify(deviceKeys)) as RunRecord[]).map((r) => toLogRow(r));
}
