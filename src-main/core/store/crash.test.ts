import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LogQuery } from '../../../src-shared/schemas/posture-log';
import { openStoreCore } from './sync-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the ingest loop in a child Node and SIGKILLs it while it writes its next poll. */
async function killMidWrite(file: string, afterCommits: number): Promise<{ pollId: string; rows: number }[]> {
  const child = spawn(
    process.execPath,
    ['--import', new URL('./ts-source.ts', import.meta.url).href, fileURLToPath(new URL('./ingest-loop.testkit.ts', import.meta.url)), file],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const committed: { pollId: string; rows: number }[] = [];
  // Every line the child got out before the kill counts, including those printed during the delay below (a fast
  // store commits more than one poll in 60 ms): reading stops at the pipe's end, not at the kill.
  for await (const line of createInterface({ input: child.stdout })) {
    const [, pollId, rows] = line.split(' ');
    committed.push({ pollId: pollId!, rows: Number(rows) });
    if (committed.length === afterCommits)
      // The next poll is already being written; a random delay spreads kills over building the
      // transaction (pages still in SQLite's cache) and committing it (frames going to the WAL).
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 60);
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return committed;
}

it('SIGKILLs mid-write leave a sound database with whole polls only', async () => {
  const file = join(dir, 'log.db');
  const committed: { pollId: string; rows: number }[] = [];
  for (let round = 0; round < 4; round++) {
    const before = committed.length;
    committed.push(...(await killMidWrite(file, 2)));
    expectSound(file, committed);
    // A poll committed but not yet reported counts as committed for the next round.
    const stored = countPolls(file);
    if (stored > committed.length) committed.push({ pollId: `falcon-poll-${stored - 1}`, rows: committed[0]!.rows });
    expect(committed.length).toBeGreaterThan(before);
  }
});

function countPolls(file: string): number {
  const raw = new DatabaseSync(file);
  try {
    return (raw.prepare('SELECT count(*) AS n FROM polls').get() as { n: number }).n;
  } finally {
    raw.close();
  }
}

function expectSound(file: string, committed: { pollId: string; rows: number }[]) {
  const raw = new DatabaseSync(file);
  expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
  const polls = raw.prepare('SELECT key, evaluated_at, evaluations FROM polls ORDER BY id').all() as {
    key: string;
    evaluated_at: number;
    evaluations: number;
  }[];
  raw.close();

  // Every poll the child saw committed is there; at most one more committed before its line got out.
  expect(polls.slice(0, committed.length).map((p) => p.key)).toEqual(committed.map((c) => c.pollId));
  expect(polls.length - committed.length).toBeLessThanOrEqual(1);

  const core = openStoreCore(file);
  try {
    for (const poll of polls) {
      const atPoll = LogQuery.parse({ view: 'evaluations', from: poll.evaluated_at, to: poll.evaluated_at });
      expect(core.countLog(atPoll), poll.key).toBe(poll.evaluations);
      expect(poll.evaluations).toBe(committed[0]!.rows);
    }
    expect(core.stats().evaluations).toBe(polls.length * committed[0]!.rows);
  } finally {
    core.close();
  }
}
