// The push events' names without their schemas: the renderer's start path checks a name with this, so zod and
// the contract's schemas stay out of the first paint. The Record type fails the typecheck on a missing or extra name.
import type { EventName } from './contract';

const names: Record<EventName, true> = {
  'settings.changed': true,
  'providers.changed': true,
  'providers.testProgress': true,
  'checks.changed': true,
  'poll.status': true,
  'postureLog.appended': true,
  'export.progress': true,
  'rules.changed': true,
  'incident.created': true,
  'incident.updated': true,
  'poller.status': true,
  'users.changed': true,
  'sinks.changed': true,
  'sinks.testProgress': true,
  'audit.appended': true,
};

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(names, name);
}
