// Crash consistency of the whole app: a child process running the real app (posture polls into the SQLite
// log, CSV exports, alert polls creating incidents) is SIGKILLed at random points, again and again. After
// every kill the data directory must open, hold whole polls only, keep everything the child saw committed,
// hold no incident twice, and show no export under its final name that is not complete.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { LogQuery } from '../../src-shared/schemas/posture-log';
import { openStoreCore } from '../core/store/core';
import { call, startApp } from './harness';

const ROUNDS = 12;
const DEVICES = 80;
type Step = 'poll-zta' | 'poll-s1' | 'export' | 'incidents';

let sim: Simulator;
let dir: string;
const alerts = new Set<string>();
/** What the children reported committed, summed over all rounds. */
const reported = { 'poll-zta': 0, 'poll-s1': 0, export: 0, incidents: 0, incidentsCreated: 0 };
const exportsDone = new Map<string, number>();
const killedDuring: Record<Step | 'between', number> = { 'poll-zta': 0, 'poll-s1': 0, export: 0, incidents: 0, between: 0 };
let kills = 0;
const partialsSeen = new Set<string>();

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 23, alerts: 0 });
  dir = mkdtempSync(join(tmpdir(), 'pc-crash-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `Crash consistency: ${kills} SIGKILLs over ${ROUNDS} rounds; in flight at the kill: ${Object.entries(killedDuring)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; committed and verified: ${reported['poll-zta'] + reported['poll-s1']} polls, ${reported.export} exports (${partialsSeen.size} cut short, left only as .partial files), ${reported.incidentsCreated} incidents from ${alerts.size} alerts.`,
  );
});

/** Runs the child until it has begun `target` for the `nth` time, waits a random moment, and kills it; returns the step in flight. */
async function runAndKill(target: Step, nth: number, delayMs: number): Promise<Step | 'between'> {
  const credentials = JSON.stringify({ url: sim.url, ...sim.credentials });
  const child = spawn(
    process.execPath,
    ['--import', new URL('./ts-hooks.ts', import.meta.url).href, fileURLToPath(new URL('./crash-child.ts', import.meta.url)), dir, credentials],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let begun = 0;
  let inFlight: Step | null = null;
  let timer: NodeJS.Timeout | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, step, ...facts] = line.split(' ') as [string, Step, ...string[]];
    if (kind === 'begin') {
      inFlight = step;
      if (step === target && ++begun === nth) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    } else if (kind === 'done') {
      inFlight = null;
      if (step === 'poll-zta' || step === 'poll-s1') {
        expect(facts[0], `${step} in the child`).toBe('succeeded');
        reported[step]++;
      } else if (step === 'export') {
        reported.export++;
        exportsDone.set(facts[0]!, Number(facts[1]));
      } else if (step === 'incidents') {
        reported.incidents++;
        reported.incidentsCreated += Number(facts[1]);
      }
    }
  }
  clearTimeout(timer);
  expect(await exited, stderr).toBe('SIGKILL');
  kills++;
  return inFlight ?? 'between';
}

/** The raw file first (integrity, whole polls), then the app itself restarted over the directory. */
async function verify(inFlight: Step | 'between'): Promise<void> {
  const file = join(dir, 'posture-log.sqlite');
  const raw = new DatabaseSync(file);
  let polls: { key: string; evaluated_at: number; evaluations: number }[];
  try {
    expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    polls = raw
      .prepare('SELECT pr.key AS key, p.evaluated_at AS evaluated_at, p.evaluations AS evaluations FROM polls p JOIN providers pr ON pr.id = p.provider_id ORDER BY p.id')
      .all() as typeof polls;
  } finally {
    raw.close();
  }

  // No poll half-written: each poll's rows are all there, and every poll of a provider covers the same fleet.
  const core = openStoreCore(file);
  try {
    for (const poll of polls) {
      const at = LogQuery.parse({ view: 'evaluations', from: poll.evaluated_at, to: poll.evaluated_at, providerIds: [poll.key] });
      expect(core.countLog(at)).toBe(poll.evaluations);
    }
  } finally {
    core.close();
  }
  const byProvider = Map.groupBy(polls, (p) => p.key);
  for (const list of byProvider.values()) expect(new Set(list.map((p) => p.evaluations)).size).toBe(1);

  const { app, close } = await startApp({ dataDir: dir });
  try {
    const providers = await call(app, 'providers.list', {});
    const idOf = (kind: string) => providers.find((p) => p.config.kind === kind)?.config.id;
    // Nothing committed is lost; at most the poll in flight committed without being reported.
    for (const [step, kind] of [['poll-zta', 'crowdstrike-zta'], ['poll-s1', 'sentinelone']] as const) {
      const stored = byProvider.get(idOf(kind) ?? '')?.length ?? 0;
      expect(stored - reported[step], `${step} polls stored vs reported`).toBeGreaterThanOrEqual(0);
      expect(stored - reported[step]).toBeLessThanOrEqual(inFlight === step ? 1 : 0);
      if (step === 'poll-zta' && stored > 0) expect(byProvider.get(idOf(kind)!)![0]!.evaluations).toBe(DEVICES * 2);
      // A poll that committed just before the kill, unreported, counts as committed from now on.
      reported[step] = stored;
    }

    // Incidents: every alert at most once in the log, every incident-worthy alert in exactly one incident,
    // numbers without a gap, and at least what the child reported.
    const integrationId = idOf('crowdstrike-falcon-incidents');
    if (integrationId) {
      const log = await call(app, 'incidents.alertLog', { integrationId, limit: 1000 });
      const ids = log.items.map((e) => e.alert.compositeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => alerts.has(id))).toBe(true);
      const incidents = await call(app, 'incidents.list', { limit: 1000 });
      const linked = incidents.items.flatMap((i) => i.alertIds);
      expect(new Set(linked).size).toBe(linked.length);
      for (const entry of log.items) expect(linked.includes(entry.alert.compositeId)).toBe(entry.outcome === 'create_incident');
      const numbers = incidents.items.map((i) => Number(i.number.slice(3))).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      expect(incidents.total).toBeGreaterThanOrEqual(reported.incidentsCreated);
      if (inFlight !== 'incidents') expect(incidents.total).toBe(reported.incidentsCreated);
      // The count the child reported is catching up with an incident batch committed just before the kill.
      reported.incidentsCreated = incidents.total;
    }
  } finally {
    await close();
  }

  // Exports: a file under its final name is complete; one cut short can only be a `.partial`.
  const exportDir = join(dir, 'exports');
  const names = existsSync(exportDir) ? readdirSync(exportDir) : [];
  for (const name of names) if (name.endsWith('.partial')) partialsSeen.add(name);
  for (const name of names) {
    if (name.endsWith('.partial')) continue;
    expect(name).toMatch(/\.csv$/);
    const text = readFileSync(join(exportDir, name), 'utf8');
    expect(text.endsWith('\r\n'), `${name} ends with a whole record`).toBe(true);
    const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('timestamp,device,serial,platform,provider,check,result,expected,received,reason');
    const reportedRows = exportsDone.get(join(exportDir, name));
    if (reportedRows !== undefined) expect(lines.length - 1).toBe(reportedRows);
  }
}

it(`survives ${ROUNDS} SIGKILLs at random points of polls, log writes, exports and incident creation`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    // Alerts arrive between crashes; some open incidents, some are only logged.
    for (const alert of [...sim.addAlerts(3, { severity: 90 }), ...sim.addAlerts(2, { severity: 30 })]) alerts.add(alert.composite_id);
    // Each round aims at one kind of work in turn, a random moment after it starts (each takes tens of ms).
    const targets: Step[] = ['poll-zta', 'incidents', 'export', 'poll-s1'];
    const inFlight = await runAndKill(targets[round % targets.length]!, 1 + Math.floor(Math.random() * 2), Math.random() * 40);
    killedDuring[inFlight]++;
    await verify(inFlight);
  }

  // After the last crash, one clean run catches up: every alert logged once, every incident-worthy one opened once.
  const { app, close } = await startApp({ dataDir: dir });
  try {
    const providers = await call(app, 'providers.list', {});
    const integrationId = providers.find((p) => p.config.kind === 'crowdstrike-falcon-incidents')!.config.id;
    await call(app, 'incidents.pollNow', { integrationId });
    const log = await call(app, 'incidents.alertLog', { integrationId, limit: 1000 });
    expect(new Set(log.items.map((e) => e.alert.compositeId))).toEqual(alerts);
    for (const [step, kind] of [['poll-zta', 'crowdstrike-zta'], ['poll-s1', 'sentinelone']] as const) {
      const providerId = providers.find((p) => p.config.kind === kind)!.config.id;
      expect(await call(app, 'posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded' });
      reported[step]++;
    }
    reported.incidentsCreated = (await call(app, 'incidents.list', {})).total;
  } finally {
    await close();
  }
  await verify('between');
}, 120_000);
