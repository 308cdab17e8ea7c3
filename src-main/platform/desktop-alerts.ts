// OS notifications for what an admin must not miss: a provider that stopped polling, credentials
// about to expire, a new P1 incident. Each kind can be switched off in Settings.
import { Notification } from 'electron';
import type { App } from '../core/app';
import type { Settings } from '../core/settings/schema';

export function installDesktopAlerts(core: App, settings: () => Settings, onClick: () => void): () => void {
  const notify = (kind: keyof Settings['notifications'], title: string, body: string) => {
    if (!settings().notifications[kind] || !Notification.isSupported()) return;
    const n = new Notification({ title, body });
    n.on('click', onClick);
    n.show();
  };
  const name = (id: string) => settings().providers.find((p) => p.id === id)?.name ?? 'A provider';
  return core.events.listen((event, payload) => {
    if (event === 'poll.status') {
      const status = payload as { providerId: string; failures: number; lastError: string | null };
      // Once per outage: on the first failure, not on every retry.
      if (status.failures === 1) notify('pollFailures', `Polling ${name(status.providerId)} failed`, status.lastError ?? 'See Providers for the diagnosis.');
    }
    if (event === 'providers.testProgress') {
      const { providerId, step } = payload as { providerId: string; step: { code?: string; observed: string } };
      if (step.code === 's1.token_expiring' || step.code === 's1.token_expired')
        notify('expiringCredentials', `${name(providerId)}: API token expiring`, step.observed);
    }
    if (event === 'incident.created') {
      const incident = payload as { number: string; priority: string; title: string };
      if (incident.priority === 'P1') notify('p1Incidents', `New P1 incident ${incident.number}`, incident.title);
    }
  });
}
