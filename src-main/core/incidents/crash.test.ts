// Crash safety of the incident tables in the store: a child process committing polls is SIGKILLed mid-write;
// every poll is then found whole or not at all — alerts, incidents, numbering and cursor agree.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeWorkerFromSource } from '../store-source';
import { openStore } from '../store/store';
import { storeRepository } from './store-repository';

const BATCH = 40;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'incidents-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function killMidWrite(file: string, afterCommits: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      new URL('../store/ts-source.ts', import.meta.url).href,
      fileURLToPath(new URL('./crash-loop.testkit.ts', import.meta.url)),
      file,
      String(BATCH),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let commits = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith('committed ')) continue;
    if (++commits === afterCommits) {
      // The next poll is being written; a small random delay spreads the kill over building and committing it.
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return commits;
}

async function expectWholePolls(file: string): Promise<number> {
  const store = await openStore({ file, createWorker: storeWorkerFromSource });
  const repository = storeRepository(store);
  try {
    const state = await repository.pollState('crash');
    const log = await repository.alertLog({ integrationId: 'crash', limit: 1, offset: 0 });
    const incidents = await repository.listIncidents({ limit: 1, offset: 0 });
    const alerts = state?.alertsSeen ?? 0;
    expect(alerts % BATCH).toBe(0);
    expect(log.total).toBe(alerts);
    expect(incidents.total).toBe(alerts / 2);
    expect(state?.incidentsCreated).toBe(alerts / 2);
    // Numbers run 1..n without a gap: the sequence rolled back with its poll.
    expect(incidents.items[0]?.number).toBe(`INC${String(alerts / 2).padStart(7, '0')}`);
    expect(state?.cursor).toBe(log.items[0]?.alert.createdTimestamp);
    return alerts;
  } finally {
    await store.close();
  }
}

it('SIGKILL mid-write leaves whole polls only, and numbering resumes without a gap', async () => {
  const file = join(dir, 'posture.db');
  let previous = 0;
  for (let round = 0; round < 3; round++) {
    await killMidWrite(file, 3);
    const alerts = await expectWholePolls(file);
    expect(alerts).toBeGreaterThan(previous);
    previous = alerts;
  }
}, 60_000);
