// OS notifications, with electron's Notification replaced by a recorder.
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, type Settings } from '../core/settings/schema';

const shown = vi.hoisted(() => [] as { title: string; body: string }[]);
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true;
    constructor(readonly options: { title: string; body: string }) {}
    on() {}
    show() {
      shown.push(this.options);
    }
  },
}));

const { installDesktopAlerts } = await import('./desktop-alerts');

function setup(notifications: Settings['notifications']) {
  shown.length = 0;
  // A bare listener seam: the bus's payload validation is tested elsewhere.
  let listener: (event: string, payload: unknown) => void = () => {};
  const settings: Settings = { ...defaultSettings, notifications };
  installDesktopAlerts(
    { events: { listen: (l: typeof listener) => ((listener = l), () => {}) } } as never,
    () => settings,
    () => {},
  );
  return { emit: (event: string, payload: unknown) => listener(event, payload) };
}

const incident = (priority: string) => ({
  number: 'INC0000007',
  priority,
  title: 'Credential dumping on FIN-LT-0142',
});

describe('desktop notifications', () => {
  it('announces a new P1 incident, not a P2', () => {
    const events = setup({ pollFailures: true, expiringCredentials: true, p1Incidents: true });
    events.emit('incident.created', incident('P2'));
    events.emit('incident.created', incident('P1'));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('New P1 incident INC0000007');
  });

  it('announces a failing provider once per outage, and respects the switch', () => {
    const events = setup({ pollFailures: true, expiringCredentials: true, p1Incidents: false });
    const status = (failures: number) => ({ providerId: 'x', state: 'backing_off', lastSuccessAt: null, lastError: 'HTTP 500', nextPollAt: null, failures });
    events.emit('poll.status', status(1));
    events.emit('poll.status', status(2));
    events.emit('incident.created', incident('P1'));
    expect(shown.map((n) => n.body)).toEqual(['HTTP 500']);
  });
});
