import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LogQuery } from '../../../src-shared/schemas/posture-log';
import { openConnection, type Connection } from './connection';
import { createStoreCore, type StoreCore } from './sync-store';
import { latestForDevices } from './device-results';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
let conn: Connection;
let core: StoreCore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-device-results-'));
  conn = openConnection(join(dir, 'log.db'));
  core = createStoreCore(conn);
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

it("gives each asked-for device its latest run per check, the same rows as the log's latest view", () => {
  for (const p of syntheticPolls({ devices: 8, polls: 6, changeRate: 0.5, seed: 4 })) core.ingest(p);
  for (const p of syntheticPolls({ devices: 3, polls: 2, providerId: 's1', checks: 1, seed: 9 })) core.ingest(p);
  const latest = core.queryLog(LogQuery.parse({ view: 'latest', limit: 1000 })).rows;
  const keys = ['falcon-dev-2', 'falcon-dev-5', 's1-dev-1', 'not-a-device'];

  const rows = latestForDevices(conn, keys);

  expect(rows.map((r) => r.deviceKey)).toEqual(['falcon-dev-2', 'falcon-dev-2', 'falcon-dev-5', 'falcon-dev-5', 's1-dev-1']);
  for (const row of rows) expect(latest).toContainEqual(row);
  // Several runs each, only the newest per check comes back.
  expect(core.queryLog(LogQuery.parse({ view: 'changes', text: 'host-000002', limit: 1000 })).rows.length).toBeGreaterThan(2);
  expect(latestForDevices(conn, [])).toEqual([]);
});
