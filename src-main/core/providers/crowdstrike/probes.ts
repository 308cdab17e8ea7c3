// One harmless call per scope, for the Test: Falcon's 403 never names the missing scope, so the
// endpoint we call is what names it.
import type { HttpResponse } from '../http';
import { queryAlertIds } from './alerts';
import { countHosts } from './hosts';
import { searchIocIds } from './iocs';
import type { FalconScope } from './scopes';
import type { FalconSession } from './session';
import { queryZtaAids } from './zta';

/**
 * Write scopes are probed with requests the API must refuse as invalid, so nothing is ever created
 * or changed: the gateway checks the scope (403) before the service validates the body (400).
 * - IOC Management: Write → create with an empty indicator list.
 * - Hosts: Write → a devices action with an action name that does not exist and no ids.
 * Anything but 403 proves the scope is granted.
 */
const WRITE_PROBE_ACCEPTS = [200, 201, 202, 400, 404, 409, 422] as const;

/** What a probe saw, for the Test to judge and word: a read probe's count as reported, a write probe's status. */
export type ScopeProbe = { kind: 'count'; noun: string; total: number | undefined; listed?: number } | { kind: 'write'; status: number };

export async function probeScope(session: FalconSession, scope: FalconScope, signal?: AbortSignal): Promise<ScopeProbe> {
  switch (scope) {
    case 'hostsRead':
      return { kind: 'count', noun: 'hosts visible', total: await countHosts(session, { signal }) };
    case 'ztaRead': {
      const { total, aids } = await queryZtaAids(session, { limit: 1, signal });
      return { kind: 'count', noun: 'hosts with an assessment', total, listed: aids.length };
    }
    case 'alertsRead': {
      const { total, ids } = await queryAlertIds(session, { max: 1, signal });
      return { kind: 'count', noun: 'alerts visible', total, listed: ids.length };
    }
    case 'iocRead': {
      const { total, ids } = await searchIocIds(session, { limit: 1, signal });
      return { kind: 'count', noun: 'custom IOCs visible', total, listed: ids.length };
    }
    case 'iocWrite':
      return writeProbe(
        await session.call({
          method: 'POST',
          path: '/iocs/entities/indicators/v1',
          query: { ignore_warnings: false, retrodetects: false },
          json: { comment: 'posture-console scope probe (creates nothing)', indicators: [] },
          idempotent: false,
          expect: WRITE_PROBE_ACCEPTS,
          scope,
          what: 'create IOCs',
          signal,
        }),
      );
    case 'hostsWrite':
      return writeProbe(
        await session.call({
          method: 'POST',
          path: '/devices/entities/devices-actions/v2',
          query: { action_name: 'posture_console_scope_probe' },
          json: { ids: [] },
          idempotent: false,
          expect: WRITE_PROBE_ACCEPTS,
          scope,
          what: 'run host actions',
          signal,
        }),
      );
  }
}

function writeProbe(res: HttpResponse): ScopeProbe {
  return { kind: 'write', status: res.status };
}
