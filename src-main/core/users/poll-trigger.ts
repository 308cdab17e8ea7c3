// When to evaluate user risk: after each successful posture poll and each successful alerts poll, as the event bus
// announces them (a new `lastSuccessAt` on `poll.status` or `poller.status`).
import type { EventName, EventPayload } from '../../../src-shared/contract';
import type { EventListener } from '../events';

export function evaluateAfterPolls(request: () => void): EventListener {
  const lastSuccess = new Map<string, string | number>();
  const succeeded = (key: string, at: string | number | null) => {
    if (at === null || lastSuccess.get(key) === at) return false;
    lastSuccess.set(key, at);
    return true;
  };
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'poll.status') {
      const status = payload as EventPayload<'poll.status'>;
      if (succeeded(`posture:${status.providerId}`, status.lastSuccessAt)) request();
    } else if (event === 'poller.status') {
      const status = payload as EventPayload<'poller.status'>;
      if (succeeded(`alerts:${status.integrationId}`, status.lastSuccessAt)) request();
    }
  };
}
