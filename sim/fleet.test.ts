import { describe, expect, it } from 'vitest';
import { junkSerials } from './catalog';
import { FleetStore } from './fleet';
import { handleOf } from './host-records';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const make = (devices: number, seed = 1, nowMs = NOW) =>
  new FleetStore({ devices, seed, nowMs, alerts: Math.round(devices / 4), consoleHost: 'falcon.crowdstrike.com' });

const junk = new Set<string>(junkSerials);

describe('fleet generation', () => {
  it('gives the same fleet for the same seed and clock', () => {
    const a = make(400, 7);
    const b = make(400, 7);
    expect(b.devices).toEqual(a.devices);
    expect(b.agents).toEqual(a.agents);
    expect(b.alerts).toEqual(a.alerts);
    const aid = a.deviceIds[3] ?? '';
    expect(b.zta(aid)).toEqual(a.zta(aid));
    expect(b.onlineState(aid)).toEqual(a.onlineState(aid));
  });

  it('gives a different fleet for another seed', () => {
    expect(make(50, 2).deviceIds).not.toEqual(make(50, 3).deviceIds);
  });

  it('builds records identically whatever order they are first read in', () => {
    const forward = make(300, 11);
    const backward = make(300, 11);
    for (let i = backward.deviceCount - 1; i >= 0; i--) backward.deviceAt(i);
    for (let k = backward.agentCount - 1; k >= 0; k--) backward.agentAt(k);
    expect(backward.devices).toEqual(forward.devices);
    expect(backward.agents).toEqual(forward.agents);
  });

  it('keeps identities when started at another time', () => {
    const early = make(100, 5, NOW);
    const late = make(100, 5, NOW + 3 * 86_400_000);
    expect(late.deviceIds).toEqual(early.deviceIds);
    expect(late.devices.map((d) => [d.hostname, d.serial_number])).toEqual(early.devices.map((d) => [d.hostname, d.serial_number]));
  });

  it('generates 100,000 hosts without building every record up front', () => {
    const fleet = make(100_000);
    expect(fleet.deviceCount).toBe(100_000);
    expect(new Set(fleet.deviceIds).size).toBe(100_000);
    expect(fleet.device(fleet.deviceIds[99_999] ?? '')?.hostname).toMatch(/100000$/);
  });
});

describe('fleet realism', () => {
  const fleet = make(20_000, 3);
  const devices = fleet.devices;
  const n = devices.length;

  it('has serial numbers missing, junk and duplicated in realistic proportions', () => {
    const missing = devices.filter((d) => d.serial_number === undefined).length / n;
    const junkShare = devices.filter((d) => d.serial_number !== undefined && junk.has(d.serial_number)).length / n;
    const counts = new Map<string, number>();
    for (const d of devices)
      if (d.serial_number !== undefined && !junk.has(d.serial_number)) counts.set(d.serial_number, (counts.get(d.serial_number) ?? 0) + 1);
    const shared = [...counts.values()].filter((c) => c > 1);
    expect(missing).toBeGreaterThan(0.02);
    expect(missing).toBeLessThan(0.04);
    expect(junkShare).toBeGreaterThan(0.005);
    expect(junkShare).toBeLessThan(0.016);
    expect(shared.every((c) => c === 2)).toBe(true);
    expect((shared.length * 2) / n).toBeGreaterThan(0.007);
    expect((shared.length * 2) / n).toBeLessThan(0.013);
    expect(new Set(devices.flatMap((d) => (d.serial_number && junk.has(d.serial_number) ? [d.serial_number] : []))).size).toBe(junk.size);
  });

  it('runs SentinelOne on about 70% of hosts with the same serial, plus S1-only hosts and reinstall leftovers', () => {
    const byHost = new Map(devices.map((d) => [d.hostname, d]));
    const live = fleet.agents.filter((a) => !a.isDecommissioned);
    const covered = new Set(fleet.agents.filter((a) => byHost.has(a.computerName)).map((a) => a.computerName));
    expect(covered.size / n).toBeGreaterThan(0.67);
    expect(covered.size / n).toBeLessThan(0.73);
    for (const a of fleet.agents.slice(0, 500)) {
      const d = byHost.get(a.computerName);
      if (d) expect(a.serialNumber).toBe(d.serial_number ?? '');
    }
    expect(fleet.agents.some((a) => !byHost.has(a.computerName))).toBe(true);
    const names = new Map<string, number>();
    for (const a of fleet.agents) names.set(a.computerName, (names.get(a.computerName) ?? 0) + 1);
    const reinstalled = fleet.agents.filter((a) => (names.get(a.computerName) ?? 0) > 1);
    expect(reinstalled.some((a) => a.isDecommissioned)).toBe(true);
    expect(live.length).toBeLessThan(fleet.agents.length);
    expect(fleet.agents.every((a) => /^\d{19}$/.test(a.id))).toBe(true);
  });

  it('infects about 5% of agents with one to three active threats', () => {
    const infected = fleet.agents.filter((a) => a.infected);
    expect(infected.length / fleet.agents.length).toBeGreaterThan(0.035);
    expect(infected.length / fleet.agents.length).toBeLessThan(0.065);
    expect(infected.every((a) => a.activeThreats >= 1 && a.activeThreats <= 3)).toBe(true);
    expect(fleet.agents.filter((a) => !a.infected).every((a) => a.activeThreats === 0)).toBe(true);
    expect(new Set(fleet.agents.map((a) => a.networkStatus))).toEqual(new Set(['connected', 'disconnected', 'connecting', 'disconnecting']));
  });

  it('shows the same people as DOMAIN\\sam on some devices and as a UPN on others', () => {
    const styles = new Map<string, Set<string>>();
    for (const d of devices) {
      const style = d.last_login_user.startsWith('CORP\\') ? 'sam' : d.last_login_user.includes('@') ? 'upn' : 'local';
      const set = styles.get(handleOf(d.last_login_user)) ?? new Set();
      set.add(style);
      styles.set(handleOf(d.last_login_user), set);
    }
    const both = [...styles.values()].filter((s) => s.has('sam') && s.has('upn'));
    expect(both.length).toBeGreaterThan(100);
  });

  it('leaves about 5% of hosts unscored, returned with the assessment absent or empty', () => {
    const records = fleet.deviceIds.map((id) => fleet.zta(id));
    const unscored = records.filter((r) => !r?.assessment || !('overall' in r.assessment));
    expect(unscored.length / n).toBeGreaterThan(0.035);
    expect(unscored.length / n).toBeLessThan(0.065);
    expect(unscored.some((r) => r?.assessment === undefined)).toBe(true);
    expect(unscored.some((r) => r?.assessment !== undefined)).toBe(true);
    const scores = records.flatMap((r) => (r?.assessment && 'overall' in r.assessment ? [r.assessment.overall] : []));
    expect(Math.min(...scores)).toBeLessThan(30);
    expect(Math.max(...scores)).toBeGreaterThan(90);
    const versions = new Set(records.flatMap((r) => (r?.assessment && 'version' in r.assessment ? [r.assessment.version] : [])));
    expect(versions).toEqual(new Set(['3.6.1']));
  });

  it('spreads last_seen from minutes to months and mixes online states', () => {
    const ages = devices.map((d) => NOW - Date.parse(d.last_seen));
    const hour = ages.filter((a) => a < 3_600_000).length / n;
    expect(hour).toBeGreaterThan(0.7);
    expect(hour).toBeLessThan(0.8);
    expect(ages.some((a) => a > 30 * 86_400_000)).toBe(true);
    const states = new Set(fleet.deviceIds.map((id) => fleet.onlineState(id)?.state));
    expect(states).toEqual(new Set(['online', 'offline', 'unknown']));
    expect(new Set(devices.map((d) => d.platform_name))).toEqual(new Set(['Windows', 'Mac', 'Linux']));
    expect(devices.some((d) => d.status === 'contained')).toBe(true);
  });

  it('makes alerts about fleet hosts with severity names in their buckets and realistic tactics', () => {
    const alerts = fleet.alerts;
    expect(alerts.length).toBe(5_000);
    expect(new Set(alerts.map((a) => a.composite_id)).size).toBe(alerts.length);
    for (const a of alerts) {
      expect(fleet.device(a.agent_id)?.hostname).toBe(a.device.hostname);
      const bucket = a.severity >= 80 ? 'Critical' : a.severity >= 60 ? 'High' : a.severity >= 40 ? 'Medium' : a.severity >= 20 ? 'Low' : 'Informational';
      expect(a.severity_name).toBe(bucket);
    }
    const tactics = new Set(alerts.map((a) => a.tactic));
    for (const t of ['Execution', 'Exfiltration', 'Impact', 'Persistence', 'Credential Access', 'Defense Evasion', 'Discovery']) expect(tactics).toContain(t);
    expect(alerts.some((a) => /\.\d{9}Z$/.test(a.created_timestamp))).toBe(true);
    expect(alerts.some((a) => /:\d{2}Z$/.test(a.created_timestamp))).toBe(true);
  });
});
