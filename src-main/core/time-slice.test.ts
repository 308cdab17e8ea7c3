import { describe, expect, it } from 'vitest';
import { createRunner, runSliced, runToEnd } from './time-slice';

/** Counts turns of the event loop: one immediate a turn, queued again from itself. */
let turn = 0;
let ticking = false;
function tick() {
  turn++;
  if (ticking) setImmediate(tick);
}

function* counting(name: string, steps: number, trace: string[], turns: number[] = []): Generator<void, string> {
  for (let i = 0; i < steps; i++) {
    trace.push(name);
    turns.push(turn);
    yield;
  }
  return `${name} done`;
}

/** Lengths of the runs of equal neighbours: ['a','a','b'] → [['a', 2], ['b', 1]]. */
function runs(trace: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const name of trace) {
    const last = out.at(-1);
    if (last?.[0] === name) last[1]++;
    else out.push([name, 1]);
  }
  return out;
}

describe('the shared runner', () => {
  it('gives each turn of the event loop to one job at a time, taking turns, and hands every job its result', async () => {
    // A slice of 0 ms ends at the first look at the clock (every 256 steps).
    const runner = createRunner(0);
    const trace: string[] = [];
    const turns: number[] = [];
    ticking = true;
    setImmediate(tick);
    const a = runner.run(counting('a', 1000, trace, turns));
    const b = runner.run(counting('b', 600, trace, turns));
    await expect(Promise.all([a, b])).resolves.toEqual(['a done', 'b done']);
    ticking = false;
    // One job a turn: two jobs never share one (a job's own slicer would give each its slice in every turn).
    const jobsByTurn = new Map<number, Set<string>>();
    trace.forEach((name, i) => jobsByTurn.set(turns[i]!, (jobsByTurn.get(turns[i]!) ?? new Set()).add(name)));
    expect([...jobsByTurn.values()].map((names) => [...names].join('+'))).toEqual(['a', 'b', 'a', 'b', 'a', 'b+a', 'a']);
    // The jobs alternate, a slice's worth of steps each; a job that ends mid-slice leaves the rest of it to the next.
    expect(runs(trace)).toEqual([
      ['a', 256],
      ['b', 256],
      ['a', 256],
      ['b', 256],
      ['a', 256],
      ['b', 88],
      ['a', 232],
    ]);
  });

  it('runs the jobs someone waits on before the background ones, which resume afterwards', async () => {
    const runner = createRunner(0);
    const trace: string[] = [];
    const background = runner.run(counting('poll', 1000, trace));
    // Asked for while the background job runs (after its first slice).
    await new Promise((resolve) => setImmediate(resolve));
    const search = runner.run(counting('search', 600, trace), 'first');
    await Promise.all([background, search]);
    expect(runs(trace)).toEqual([
      ['poll', 256],
      ['search', 600],
      ['poll', 744],
    ]);
  });

  it('rejects a job whose step throws and carries on with the others', async () => {
    const runner = createRunner(0);
    function* failing(): Generator<void, never> {
      for (let i = 0; i < 300; i++) yield;
      throw new Error('step failed');
    }
    const trace: string[] = [];
    const [failed, ok] = await Promise.allSettled([runner.run(failing()), runner.run(counting('ok', 700, trace))]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'step failed' } });
    expect(ok).toEqual({ status: 'fulfilled', value: 'ok done' });
    expect(trace).toHaveLength(700);
  });

  it('gives what the one-shot run gives', async () => {
    const trace: string[] = [];
    expect(await runSliced(counting('x', 5000, trace))).toBe(runToEnd(counting('x', 5000, [])));
    expect(trace).toHaveLength(5000);
  });
});
