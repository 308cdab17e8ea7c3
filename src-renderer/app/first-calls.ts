// The calls a cold start of a section sends before React mounts (start-screen.ts, through the query cache), as plain
// channel and request pairs: the build writes them into the web host's boot script (scripts/route-preloads.ts), which
// sends them while the entry still loads, and the transport takes those answers instead of asking again.
import type { Channel } from '../../src-shared/contract';
import { logPageRequest } from '../api/log-page-request';
import { logFilterOf, usePostureLogFilters } from '../state/posture-log-filters';

export interface FirstCall {
  channel: Channel;
  req: object;
}

/** For a screen's section in the address (`posture-log`) without parameters; the Posture Log's page first. */
export function firstCalls(section: string): FirstCall[] {
  const shell: FirstCall[] = [
    { channel: 'app.info', req: {} },
    { channel: 'settings.get', req: {} },
    { channel: 'providers.list', req: {} },
  ];
  if (section !== 'posture-log') return shell;
  // The filters' defaults: no time in them (an "All time" range), so the build's requests are the start's.
  const filters = usePostureLogFilters.getState();
  const filter = logFilterOf(filters, filters.text);
  return [
    { channel: 'postureLog.query', req: logPageRequest(filter, filters.sort) },
    { channel: 'postureLog.count', req: filter },
    ...shell,
    { channel: 'checks.list', req: {} },
  ];
}
