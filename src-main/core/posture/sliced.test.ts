// Polls match and evaluate in slices that leave the event loop free, and pack rows as they are made: the results must
// be exactly those of the one-shot functions, on a fleet with every kind of serial trouble the match handles.
import { describe, expect, it } from 'vitest';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import type { PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import { createPollPacker, packPoll, unpackRows } from '../store/packed-poll';
import { runSliced, runToEnd, type TimeSlicer } from '../time-slice';
import { s1ThreatOccurrences } from '../users/behaviors';
import { buildDirectory, buildDirectorySliced } from '../users/directory';
import { createInventory } from './current-inventory';
import { evaluateAll, evaluateSliced } from './evaluate';
import { falconHost, HOUR, NOW, s1Agent, snapshot } from './fixtures.testkit';
import { eachSubject, matchDevices, matchDevicesSliced, subjectsOf, type Match } from './match';

/** Deterministic numbers, so the fleet is the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function fleet(size: number) {
  const next = random(7);
  const serial = (i: number) => {
    const roll = next();
    if (roll < 0.05) return null;
    if (roll < 0.08) return 'To Be Filled By O.E.M.';
    if (roll < 0.12) return `SN${String(Math.floor(i / 2)).padStart(6, '0')}`; // shared with a neighbour
    return `SN${String(i).padStart(6, '0')}X`;
  };
  const hosts = Array.from({ length: size }, (_, i) =>
    falconHost({
      recordId: `aid-${i}`,
      hostname: next() < 0.1 ? 'ubuntu' : `host-${i}`,
      serial: serial(i),
      macs: next() < 0.3 ? [`00:11:22:33:${String(i % 97).padStart(2, '0')}:01`] : [],
      lastActivityAt: NOW - Math.floor(next() * 40 * 24 * HOUR),
      posture: {
        assessment: next() < 0.1 ? null : { overall: Math.floor(next() * 100), os: 50, sensorConfig: 50, version: '3.6.1' },
        state: next() < 0.8 ? 'online' : 'offline',
        lastSeenAt: NOW - Math.floor(next() * 3 * 24 * HOUR),
      },
    }),
  );
  const agents = Array.from({ length: Math.floor(size * 0.8) }, (_, i) =>
    s1Agent({
      recordId: String(5000 + i),
      hostname: `host-${i}`,
      serial: serial(i),
      retired: next() < 0.05,
      macs: next() < 0.3 ? [`00:11:22:33:${String(i % 97).padStart(2, '0')}:01`] : [],
      lastActivityAt: NOW - Math.floor(next() * 40 * 24 * HOUR),
      posture: { infected: next() < 0.1, networkStatus: next() < 0.9 ? 'connected' : 'disconnected' },
    }),
  );
  return [snapshot('cs', hosts), snapshot('s1', agents)];
}

const checks: PostureCheck[] = [
  { id: 'overall', name: 'Overall at least 70', providerId: 'cs', enabled: true, rule: { attribute: 'overall', operator: '>=', value: 70 } },
  { id: 'seen', name: 'Seen within 24 hours', providerId: 'cs', enabled: true, rule: { attribute: 'last_seen', within: '24h' } },
];

/** A slicer that ends a slice at every step, so the sliced runs pause as often as they possibly can. */
function everyStep(): TimeSlicer & { pauses: number } {
  const slicer = {
    pauses: 0,
    due: () => true,
    pause: async () => {
      slicer.pauses++;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return slicer;
}

describe('sliced match and evaluation', () => {
  it('matches exactly as the one-shot match does, pausing between steps', async () => {
    const snapshots = fleet(600);
    const slicer = everyStep();
    const sliced = await matchDevicesSliced(snapshots, slicer);
    const whole = matchDevices(snapshots);
    expect(slicer.pauses).toBeGreaterThan(1000);
    expect(sliced.devices).toEqual(whole.devices);
    expect(sliced.devices.some((d) => d.serialStatus === 'duplicate')).toBe(true);
    expect(sliced.devices.some((d) => d.possibleMatches.length > 0)).toBe(true);
    expect(subjectsOf(sliced, 'cs')).toEqual(subjectsOf(whole, 'cs'));
  });

  it('evaluates, packs and counts exactly as evaluateAll does', async () => {
    const match = matchDevices(fleet(600));
    const whole = evaluateAll(subjectsOf(match, 'cs'), checks, NOW);
    const packer = createPollPacker(1);
    const rows: PostureEvaluation[] = [];
    const slicer = everyStep();
    const sliced = await evaluateSliced(
      eachSubject(match, 'cs'),
      checks,
      NOW,
      (row) => {
        rows.push(row);
        packer.add(row);
      },
      undefined,
      slicer,
    );
    expect(slicer.pauses).toBeGreaterThan(100);
    expect(rows).toEqual(whole.rows);
    expect(sliced.counts).toEqual(whole.counts);
    expect(sliced.unknownBy).toEqual(whole.unknownBy);
    expect(sliced.subjects).toBe(subjectsOf(match, 'cs').length);
    // Packed one by one (growing from one row), the poll is the same as packing the finished rows at once.
    const header = { pollId: 'p', providerId: 'cs', evaluatedAt: NOW };
    const packed = packer.finish(header);
    expect(packed).toEqual(packPoll({ ...header, rows: whole.rows }));
    expect(unpackRows(packed)).toEqual(whole.rows);
  });

  it('builds the users directory exactly as the one-shot build does', async () => {
    const snapshots = fleet(300).map((s) => ({
      ...s,
      observations: s.observations.map((o, i) => ({ ...o, user: i % 3 === 0 ? null : i % 3 === 1 ? `user${i % 40}@corp.example` : `CORP\\user${i % 40}` })),
    }));
    const match = matchDevices(snapshots);
    const slicer = everyStep();
    const sliced = await buildDirectorySliced(match, slicer);
    const whole = buildDirectory(match);
    expect(slicer.pauses).toBeGreaterThan(100);
    expect([...sliced.users.values()]).toEqual([...whole.users.values()]);
    expect(whole.users.size).toBeGreaterThan(10);
    for (const device of match.devices) expect(sliced.usersOf(device.key)).toEqual(whole.usersOf(device.key));
    // A user's devices, made when asked, name the records that reported that user on each device.
    for (const user of whole.users.values()) {
      const shown = whole.devicesOf(user);
      expect(shown.map((d) => d.deviceKey)).toEqual(user.devices.map((d) => d.key));
      for (const d of shown) for (const s of d.sources) expect(whole.users.get(whole.resolver.resolve(s.reportedAs)!)).toBe(user);
      expect(sliced.devicesOf(sliced.users.get(user.id)!)).toEqual(shown);
    }
  });

  it('finds the SentinelOne threat occurrences in slices, one step per agent', async () => {
    const match = matchDevices(fleet(300).map((s) => ({ ...s, observations: s.observations.map((o, i) => ({ ...o, user: `user${i % 25}@corp.example` })) })));
    const users = buildDirectory(match);
    const behavior = { enabled: true, level: 'high' as const };
    const slicer = everyStep();
    const sliced = await runSliced(s1ThreatOccurrences(match, users, behavior, ['s1']), slicer);
    const agents = match.snapshots.find((s) => s.providerId === 's1')!.observations;
    // Every agent is a step: a fleet's worth of agents never holds the event loop in one piece.
    expect(slicer.pauses).toBe(agents.length);
    expect(sliced).toEqual(runToEnd(s1ThreatOccurrences(match, users, behavior, ['s1'])));
    const infected = agents.filter((a) => a.posture.kind === 'sentinelone' && a.posture.infected && !a.retired);
    expect(sliced.occurrences.length).toBeGreaterThan(0);
    expect(new Set(sliced.occurrences.map((o) => o.subject)).size).toBeLessThanOrEqual(infected.length);
    expect(sliced.scope).toEqual({ behavior: 's1_threat', observed: ['s1'], alive: ['s1'] });
  });

  it('keeps answering with the match from before a change while the new one is computed in slices', async () => {
    const [cs, s1] = fleet(200);
    const inventory = createInventory();
    inventory.put(cs!);
    const before = inventory.match();
    inventory.put(s1!);
    const pending = inventory.matchSliced();
    // Mid-way, a reader gets the match it had (no whole-fleet match on the spot), then the new one once it is done.
    expect(inventory.match()).toBe(before);
    const after = await pending;
    expect(after.snapshots).toHaveLength(2);
    expect(inventory.match()).toBe(after);
    expect(after.devices).toEqual(matchDevices([cs!, s1!]).devices);
  });

  it('tells its listeners of each match that becomes current, once it is, and not of the one readers had meanwhile', async () => {
    const [cs, s1] = fleet(200);
    const inventory = createInventory();
    const told: Match[] = [];
    const stop = inventory.onMatched((m) => told.push(m));
    inventory.put(cs!);
    const first = inventory.match();
    inventory.put(s1!);
    const pending = inventory.matchSliced();
    expect(inventory.match()).toBe(first);
    expect(told).toEqual([first]);
    const second = await pending;
    expect(told).toHaveLength(2);
    expect(told[1]).toBe(second);
    // Asking again for a current match is no news; after unsubscribing, nothing is told.
    expect(await inventory.matchSliced()).toBe(second);
    stop();
    inventory.remove('s1');
    inventory.match();
    expect(told).toHaveLength(2);
  });
});
