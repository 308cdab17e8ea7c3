// The real-world variance fault: seeded, deterministic, and it changes records the way real fleets differ.
import { afterEach, describe, expect, test } from 'vitest';
import { parseFaults, startSimulator, type Simulator } from './index';
import { apiToken, bearer, call, falconToken } from './wire-client.testkit';

const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function hostsAndAgents(faults: string): Promise<{ hosts: Record<string, unknown>[]; agents: Record<string, unknown>[] }> {
  // A fixed clock: the fleet's times follow it, so two simulators of one seed send the same records.
  const sim = await startSimulator({ devices: 200, seed: 5, faults, now: () => Date.parse('2026-12-01T12:00:00Z') });
  started.push(sim);
  const token = await falconToken(sim.url, sim.credentials.falcon);
  const hosts = await call<{ resources: Record<string, unknown>[] }>(`${sim.url}/devices/combined/devices/v1?limit=200`, { headers: bearer(token) });
  const agents = await call<{ data: Record<string, unknown>[] }>(`${sim.url}/web/api/v2.1/agents?limit=200`, {
    headers: apiToken(sim.credentials.sentinelOne.apiToken),
  });
  return { hosts: hosts.json.resources, agents: agents.json.data };
}

describe('variance fault', () => {
  test('parses with a percent of records and refuses more than 100', () => {
    expect(parseFaults('variance:*:30')).toEqual([{ kind: 'variance', route: '*', value: 30 }]);
    expect(() => parseFaults('variance:value=150')).toThrow(/percent of records/);
  });

  test('drops, nulls and oddly fills fields of about the asked share of records, the same way for the same seed', async () => {
    const plain = await hostsAndAgents('');
    const varied = await hostsAndAgents('variance:*:40');
    const again = await hostsAndAgents('variance:*:40');
    expect(again).toEqual(varied);
    const changed = varied.hosts.filter((h, i) => JSON.stringify(h) !== JSON.stringify(plain.hosts[i])).length;
    expect(changed).toBeGreaterThan(40);
    expect(changed).toBeLessThan(120);
    // Ids are never varied: the records still name their devices.
    expect(varied.hosts.map((h) => h.device_id)).toEqual(plain.hosts.map((h) => h.device_id));
    expect(varied.agents.map((a) => a.id)).toEqual(plain.agents.map((a) => a.id));
    const kinds = new Set(
      varied.hosts.flatMap((h, i) =>
        Object.keys({ ...plain.hosts[i], ...h }).flatMap((k) => {
          const before = plain.hosts[i]?.[k];
          if (JSON.stringify(before) === JSON.stringify(h[k])) return [];
          return [!(k in h) ? 'dropped' : h[k] === null ? 'null' : 'odd'];
        }),
      ),
    );
    expect([...kinds].sort()).toEqual(['dropped', 'null', 'odd']);
  });
});
