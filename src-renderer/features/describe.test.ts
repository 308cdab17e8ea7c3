// The describe helpers: how devices, providers and log rows are put into words on screen.
import { describe, expect, it, vi } from 'vitest';
import type { DeviceObservation } from '../../src-shared/schemas/posture';
import type { ProviderView } from '../../src-shared/schemas/providers';
import { identityFacts, postureFacts } from './devices/describe';
import { formatTime, rowsLabel, runSummary, timeInFull, timeZoneLabel } from './posture-log/describe';
import { providerHealthWords } from '../../src-shared/provider-status';
import { ProviderHealthState } from '../../src-shared/schemas/providers';
import { ago, endpointOf, healthLook } from './providers/describe';

const NOW = Date.parse('2026-12-06T12:00:00Z');

const observation = (posture: DeviceObservation['posture'], extra: Partial<DeviceObservation> = {}) =>
  ({
    recordId: 'rec-1',
    hostname: null,
    serial: 'To Be Filled By O.E.M.',
    macs: [],
    platform: 'Windows',
    lastActivityAt: NOW - 3 * 60_000,
    retired: false,
    posture,
    ...extra,
  }) as DeviceObservation;

describe('device facts', () => {
  it('a Falcon record without an assessment says so for every score instead of showing blanks', () => {
    const facts = new Map(
      postureFacts(observation({ kind: 'crowdstrike-zta', assessment: null, state: 'online', lastSeenAt: null } as DeviceObservation['posture']), NOW),
    );
    expect(facts.get('Overall score')).toBe('no assessment');
    expect(facts.get('State')).toBe('online');
    expect(facts.get('Last seen')).toBe('not reported');
  });

  it('SentinelOne booleans read as Yes / No, and what the agent did not report is named', () => {
    const facts = new Map(
      postureFacts(
        observation({
          kind: 'sentinelone',
          infected: false,
          activeThreats: 2,
          isActive: null,
          networkStatus: 'connected',
          operationalState: null,
        } as DeviceObservation['posture']),
        NOW,
      ),
    );
    expect([facts.get('Infected'), facts.get('Active threats'), facts.get('Agent active'), facts.get('Operational state')]).toEqual([
      'No',
      '2',
      'not reported',
      'not reported',
    ]);
  });

  it('identity quotes the serial as reported, so a placeholder serial is visible as such, and flags a retired record', () => {
    const facts = new Map(identityFacts(observation({ kind: 'sentinelone' } as DeviceObservation['posture'], { retired: true }), NOW));
    expect(facts.get('Serial (as reported)')).toBe('"To Be Filled By O.E.M."');
    expect(facts.get('MAC addresses')).toBe('none');
    expect(facts.get('Last activity')).toMatch(/^3 min ago \(/);
    expect(facts.get('Retired')).toMatch(/^Yes/);
  });
});

describe('provider summaries', () => {
  it('the endpoint is the API URL, or the cloud with the host requests go to, and nothing for a custom cloud without one', () => {
    expect(endpointOf({ kind: 'sentinelone', apiUrl: 'https://acme.sentinelone.net' } as ProviderView['config'])).toBe('https://acme.sentinelone.net');
    expect(endpointOf({ kind: 'crowdstrike-zta', region: 'custom', baseUrl: 'https://falcon.example' } as ProviderView['config'])).toBe(
      'custom · https://falcon.example',
    );
    expect(endpointOf({ kind: 'crowdstrike-zta', region: 'custom' } as ProviderView['config'])).toBe('');
    expect(endpointOf({ kind: 'crowdstrike-zta', region: 'us-2' } as ProviderView['config'])).toBe('us-2 · https://api.us-2.crowdstrike.com');
  });

  it('every health the core derives has the shared word and a colour of its own (derivation: src-shared/provider-status)', () => {
    expect(ProviderHealthState.options.map((state) => healthLook[state].label)).toEqual(ProviderHealthState.options.map((state) => providerHealthWords[state]));
    expect(new Set(ProviderHealthState.options.map((state) => healthLook[state].color)).size).toBe(ProviderHealthState.options.length);
  });

  it('ages are rounded to the unit an admin reads', () => {
    const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
    expect([ago(null, NOW), ago(at(30_000), NOW), ago(at(5 * 60_000), NOW), ago(at(3 * 3_600_000), NOW), ago(at(2 * 86_400_000), NOW)]).toEqual([
      'never',
      '30s ago',
      '5 min ago',
      '3 h ago',
      '2 d ago',
    ]);
  });
});

describe('log rows in words', () => {
  it('a run of one poll says so; a longer run says how many and until when', () => {
    const first = new Date(2026, 11, 6, 9, 0, 0).getTime();
    expect(runSummary({ count: 1, firstEvaluatedAt: first, lastEvaluatedAt: first }).text).toBe('1 poll');
    const run = runSummary({ count: 5, firstEvaluatedAt: first, lastEvaluatedAt: first + 4 * 3_600_000 });
    expect(run.text).toBe('5 polls · to 13:00');
    expect(run.full).toBe('5 polls: first 2026-12-06 09:00:00, last 2026-12-06 13:00:00');
    // Across days, the day too, in the time column's format.
    expect(runSummary({ count: 300, firstEvaluatedAt: first, lastEvaluatedAt: first + 30 * 3_600_000 }).text).toBe('300 polls · to 12-07 15:00');
    expect(formatTime(first)).toBe('2026-12-06 09:00:00');
  });

  it('row counts agree in number', () => {
    expect([rowsLabel(0), rowsLabel(1), rowsLabel(2)]).toEqual(['0 rows', '1 row', '2 rows']);
  });

  it('a time in full names its zone and the UTC instant, and no locale formatter is made for it', () => {
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      const at = Date.parse('2026-12-06T09:00:00Z');
      const titles = Array.from({ length: 200 }, (_, i) => timeInFull(at + i * 60_000));
      expect(titles[0]).toBe(`${formatTime(at)} ${timeZoneLabel(at)} (2026-12-06T09:00:00Z UTC)`);
      // The first date formatter a fresh renderer makes loads its locale's data: ~15 ms of every cold start.
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });

  it('names the zone by its offset from UTC at that instant, summer time included', () => {
    const zone = process.env.TZ;
    const labelIn = (tz: string, iso: string) => {
      process.env.TZ = tz;
      return timeZoneLabel(Date.parse(iso));
    };
    try {
      expect(labelIn('UTC', '2026-12-06T09:00:00Z')).toBe('UTC');
      expect(labelIn('Asia/Kolkata', '2026-12-06T09:00:00Z')).toBe('UTC+05:30');
      expect(labelIn('America/New_York', '2026-12-06T09:00:00Z')).toBe('UTC-05:00');
      expect(labelIn('America/New_York', '2026-07-06T09:00:00Z')).toBe('UTC-04:00');
      expect(labelIn('Europe/Berlin', '2026-07-06T09:00:00Z')).toBe('UTC+02:00');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
