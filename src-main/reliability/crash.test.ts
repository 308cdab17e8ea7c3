// Crash consistency of the whole app: a child process running the real app (posture polls into the SQLite
// log, CSV exports, alert polls creating incidents) is SIGKILLed at random points, again and again. After
// every kill the data directory must open, hold whole polls only, keep everything the child saw committed,
// hold no incident twice, and show no export under its final name that is not complete. Every kind of work must
// have been hit by a kill at least once, or the run proves nothing about it.
//
// `npm run soak` runs the same rounds 200 times (CRASH_ROUNDS=200, outside CI) and prints the counts.
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
import { openStoreCore } from '../core/store/sync-store';
import { builtStoreWorker } from '../core/store/built-worker.testkit';
import { call, startApp } from './harness';

/** Rounds aimed at one kind of work each; a round whose kill misses its aim is tried again (at most 3 more kills). */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 12);
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
let roundsDone = 0;
const partialsSeen = new Set<string>();
/** Counted before the assertions that fail on them, so a soak prints what it found. */
const found = { corruptOpens: 0, lostCommits: 0, partialsLeftAfterRestart: 0 };

// The checking app's store worker as the app ships it: the build's bundled JavaScript (the set-up builds it).
const createStoreWorker = builtStoreWorker();

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 23, alerts: 0 });
  dir = mkdtempSync(join(tmpdir(), 'pc-crash-'));
});
/** The counts so far, one line: printed every 10 rounds of a soak and at the end, even when a round failed. */
const countsLine = () =>
  `Crash consistency: ${kills} SIGKILLs over ${roundsDone} of ${ROUNDS} rounds; kills landed during: ${Object.entries(killedDuring)
    .map(([k, v]) => `${k} ${v}`)
    .join(
      ', ',
    )}; corrupt opens ${found.corruptOpens}, lost commits ${found.lostCommits}; committed and verified: ${reported['poll-zta'] + reported['poll-s1']} polls, ${reported.export} exports (${partialsSeen.size} cut short and left as .partial files at the kill, ${found.partialsLeftAfterRestart} left after the restart), ${reported.incidentsCreated} incidents from ${alerts.size} alerts.`;

afterAll(async () => {
  console.log(countsLine());
  await sim.close();
  // A child still writing (a test that timed out) must not turn the summary into a cleanup error.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

/**
 * Runs the child until it has begun `target` for the `nth` time (an export: begun writing its file), waits a random
 * moment, and kills it; returns the step in flight.
 */
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
      if (step === target && target !== 'export' && ++begun === nth) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    } else if (kind === 'writing') {
      if (target === 'export' && ++begun === nth) timer = setTimeout(() => child.kill('SIGKILL'), delayMs / 8);
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

type RunningApp = Awaited<ReturnType<typeof startApp>>['app'];

/** Every entry of the alert log, page by page: a soak logs more alerts than one page holds. */
async function wholeAlertLog(app: RunningApp, integrationId: string) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call(app, 'incidents.alertLog', { integrationId, limit: 1000, offset });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

/** Every incident, page by page, with the total the list reports. */
async function allIncidents(app: RunningApp) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call(app, 'incidents.list', { limit: 1000, offset });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return { items, total: page.total };
  }
}

/** The raw file first (integrity, whole polls), then the app itself restarted over the directory. */
async function verify(inFlight: Step | 'between'): Promise<void> {
  // Exports cut short at the kill, as the kill left them (the restart below sweeps them).
  const exportDir = join(dir, 'exports');
  const atKill = existsSync(exportDir) ? readdirSync(exportDir) : [];
  // Finished browser exports are removed at the next start (nobody will fetch them): read them as the kill left them.
  const finishedAtKill = new Map(atKill.filter((name) => !name.endsWith('.partial')).map((name) => [name, readFileSync(join(exportDir, name), 'utf8')]));
  for (const name of atKill) if (name.endsWith('.partial')) partialsSeen.add(name);

  const file = join(dir, 'posture-log.sqlite');
  let raw: DatabaseSync;
  try {
    raw = new DatabaseSync(file);
  } catch (error) {
    found.corruptOpens++;
    throw error;
  }
  let polls: { key: string; evaluated_at: number; evaluations: number }[];
  try {
    const integrity = raw.prepare('PRAGMA integrity_check').all();
    if (JSON.stringify(integrity) !== JSON.stringify([{ integrity_check: 'ok' }])) found.corruptOpens++;
    expect(integrity).toEqual([{ integrity_check: 'ok' }]);
    polls = raw
      .prepare(
        'SELECT pr.key AS key, p.evaluated_at AS evaluated_at, p.evaluations AS evaluations FROM polls p JOIN providers pr ON pr.id = p.provider_id ORDER BY p.id',
      )
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

  const { app, close } = await startApp({ dataDir: dir, createStoreWorker });
  try {
    const providers = await call(app, 'providers.list', {});
    const idOf = (kind: string) => providers.find((p) => p.config.kind === kind)?.config.id;
    // Nothing committed is lost; at most the poll in flight committed without being reported.
    for (const [step, kind] of [
      ['poll-zta', 'crowdstrike-zta'],
      ['poll-s1', 'sentinelone'],
    ] as const) {
      const stored = byProvider.get(idOf(kind) ?? '')?.length ?? 0;
      if (stored < reported[step]) found.lostCommits += reported[step] - stored;
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
      const log = { items: await wholeAlertLog(app, integrationId) };
      const ids = log.items.map((e) => e.alert.compositeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => alerts.has(id))).toBe(true);
      const incidents = await allIncidents(app);
      const linked = incidents.items.flatMap((i) => i.alertIds);
      expect(new Set(linked).size).toBe(linked.length);
      for (const entry of log.items) expect(linked.includes(entry.alert.compositeId)).toBe(entry.outcome === 'create_incident');
      const numbers = incidents.items.map((i) => Number(i.number.slice(3))).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      if (incidents.total < reported.incidentsCreated) found.lostCommits += reported.incidentsCreated - incidents.total;
      expect(incidents.total).toBeGreaterThanOrEqual(reported.incidentsCreated);
      if (inFlight !== 'incidents') expect(incidents.total).toBe(reported.incidentsCreated);
      // The count the child reported is catching up with an incident batch committed just before the kill.
      reported.incidentsCreated = incidents.total;
    }
  } finally {
    await close();
  }

  // Exports: a file under its final name is complete; one cut short was only ever a `.partial`, and the restart
  // removed it.
  for (const name of atKill) {
    if (name.endsWith('.partial')) continue;
    expect(name).toMatch(/\.csv$/);
    const text = finishedAtKill.get(name)!;
    expect(text.endsWith('\r\n'), `${name} ends with a whole record`).toBe(true);
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('timestamp,device,serial,match_key,platform,provider,check,result,expected,received,reason');
    const reportedRows = exportsDone.get(join(exportDir, name));
    if (reportedRows !== undefined) expect(lines.length - 1).toBe(reportedRows);
  }
  const left = (existsSync(exportDir) ? readdirSync(exportDir) : []).filter((name) => name.endsWith('.partial'));
  found.partialsLeftAfterRestart += left.length;
  expect(left, 'partial exports swept at start').toEqual([]);
}

it(
  `survives ${ROUNDS} rounds of SIGKILLs landing in polls, log writes, exports and incident creation`,
  async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Each round aims at one kind of work in turn, a random moment after it starts (each takes tens of ms). A kill
      // that lands after the work finished is verified like any other, and the round aims again, sooner.
      const targets: Step[] = ['poll-zta', 'incidents', 'export', 'poll-s1'];
      const target = targets[round % targets.length]!;
      for (let attempt = 0; attempt < 4; attempt++) {
        // Alerts arrive between crashes; some open incidents, some are only logged.
        for (const alert of [...sim.addAlerts(3, { severity: 90 }), ...sim.addAlerts(2, { severity: 30 })]) alerts.add(alert.composite_id);
        const inFlight = await runAndKill(target, 1 + Math.floor(Math.random() * 2), Math.random() * (attempt === 0 ? 40 : 40 / 4 ** attempt));
        killedDuring[inFlight]++;
        await verify(inFlight);
        if (inFlight === target) break;
      }
      roundsDone++;
      if (ROUNDS > 12 && roundsDone % 10 === 0) console.log(countsLine());
    }
    // Earned, not assumed: a kill landed in every kind of work, exports included.
    for (const step of ['poll-zta', 'poll-s1', 'export', 'incidents'] as const)
      expect(killedDuring[step], `kills that landed during ${step}`).toBeGreaterThan(0);
    expect(found).toMatchObject({ corruptOpens: 0, lostCommits: 0 });

    // After the last crash, one clean run catches up: every alert logged once, every incident-worthy one opened once.
    const { app, close } = await startApp({ dataDir: dir, createStoreWorker });
    try {
      const providers = await call(app, 'providers.list', {});
      const integrationId = providers.find((p) => p.config.kind === 'crowdstrike-falcon-incidents')!.config.id;
      await call(app, 'incidents.pollNow', { integrationId });
      const log = await wholeAlertLog(app, integrationId);
      expect(log).toHaveLength(alerts.size);
      expect(new Set(log.map((e) => e.alert.compositeId))).toEqual(alerts);
      for (const [step, kind] of [
        ['poll-zta', 'crowdstrike-zta'],
        ['poll-s1', 'sentinelone'],
      ] as const) {
        const providerId = providers.find((p) => p.config.kind === kind)!.config.id;
        expect(await call(app, 'posture.pollNow', { providerId })).toMatchObject({ outcome: 'succeeded' });
        reported[step]++;
      }
      reported.incidentsCreated = (await call(app, 'incidents.list', {})).total;
    } finally {
      await close();
    }
    await verify('between');
  },
  60_000 + ROUNDS * 60_000,
);
