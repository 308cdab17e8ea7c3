import { describe, expect, it } from 'vitest';
import type { FalconInventory } from '../providers/crowdstrike/fleet-pull';
import type { InventoryHost } from '../providers/crowdstrike/hosts';
import type { S1Agent } from '../providers/sentinelone/agents';
import { falconObservations, sentinelOneObservation, word } from './sources';

describe('word', () => {
  it('gives back the value it was given, past its vocabulary limit too, and passes null and long texts through', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `v${i % 4500}`);
    // Fresh copies, as JSON.parse makes them.
    for (const v of values) expect(word(JSON.parse(JSON.stringify(v)) as string)).toBe(v);
    expect(word(null)).toBeNull();
    expect(word(undefined)).toBeUndefined();
    const long = 'x'.repeat(40);
    expect(word(long)).toBe(long);
  });
});

describe('postures repeated across a fleet', () => {
  const agent = (i: number, fields: Partial<S1Agent> = {}) =>
    ({
      id: `a${i}`,
      computerName: `host-${i}`,
      serialNumber: `SN${i}`,
      osType: 'windows',
      infected: i % 3 === 0,
      activeThreats: i % 5,
      isActive: i % 2 === 0 ? true : null,
      networkStatus: i % 7 === 0 ? 'null' : i % 7 === 1 ? null : 'connected',
      operationalState: 'na',
      ...fields,
    }) as S1Agent;

  it("reads every SentinelOne agent's own posture (a shared one is frozen), the string 'null' apart from no value", () => {
    for (let i = 0; i < 60; i++) {
      const a = agent(i);
      const { posture } = sentinelOneObservation('s1', a, i === 59 ? 'field infected: expected boolean' : undefined);
      expect(posture).toEqual({
        kind: 'sentinelone',
        infected: a.infected,
        activeThreats: a.activeThreats,
        isActive: a.isActive,
        networkStatus: a.networkStatus,
        operationalState: a.operationalState,
        ...(i === 59 ? { unreadable: [{ record: 'agent', reason: 'field infected: expected boolean' }] } : {}),
      });
      if (i < 59) expect(Object.isFrozen(posture)).toBe(true);
    }
  });

  it("reads every Falcon host's own assessment (equal ones shared and frozen), scores and version alike", () => {
    const version = (i: number) => (i % 5 === 0 ? null : i % 7 === 1 ? 'null' : '3.6.1');
    // Host 38's score is no whole number (no reader lets one through): read as given, never shared.
    const scores = (i: number) => ({ overall: i === 38 ? 60.5 : i % 4 === 0 ? null : 60 + (i % 3), os: 70, sensorConfig: 50 + (i % 2), version: version(i) });
    const hosts = Array.from(
      { length: 40 },
      (_, i) => ({ device_id: `h${i}`, hostname: `host-${i}`, serial_number: `SN${i}`, platform_name: 'Windows' }) as InventoryHost,
    );
    const assessments = hosts.map((h, i) => ({
      aid: h.device_id,
      serialNumber: null,
      platform: null,
      modifiedTime: null,
      sensorFileStatus: null,
      scores: i === 39 ? null : scores(i),
    }));
    const observations = falconObservations('cs', {
      hosts,
      assessments,
      onlineStates: [],
      counts: { hosts: 40, assessments: 40, onlineStates: 0 },
      reportedTotal: 40,
      unreadable: { hosts: [], assessments: [], onlineStates: [] },
    } as unknown as FalconInventory);
    const read = observations.map((o) => (o.posture.kind === 'crowdstrike-zta' ? o.posture.assessment : undefined));
    expect(read).toEqual(assessments.map((a) => a.scores));
    // Equal assessments are one object, unequal ones (null and "null" versions included) never are.
    const same = (i: number, j: number) => JSON.stringify(assessments[i]!.scores) === JSON.stringify(assessments[j]!.scores);
    for (let i = 0; i < 39; i++) {
      expect(Object.isFrozen(read[i])).toBe(true);
      for (let j = 0; j < 39; j++) if (i !== j) expect(read[i] === read[j]).toBe(same(i, j) && i !== 38 && j !== 38);
    }
    expect(same(12, 24)).toBe(true);
    expect(read[12]).toBe(read[24]);
  });
});
