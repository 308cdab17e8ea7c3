// Pull Recent Detections: the newest alerts in Falcon run through a draft rule set — which rule matched
// each and why — without creating anything.
import { DryRunRequest, type DryRunResult } from '../../../src-shared/schemas/incidents';
import type { FalconClient } from '../providers/crowdstrike/client';
import { compileOrThrow } from './compiled-rules';
import { summarizeAlert } from './incident-lifecycle';
import { parseInput } from './problems';
import { explainRuleSet } from './rules';

/** Widening windows: the first that holds enough alerts (and is read completely) gives the newest ones. */
const DRY_RUN_WINDOWS_MS = [15 * 60_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000];

type AlertReader = Pick<FalconClient['alerts'], 'queryIds' | 'get'>;

/** The newest `count` alerts, newest first. The query API sorts oldest first, hence the widening windows. */
export async function recentAlerts(
  alerts: AlertReader,
  count: number,
  now: Date,
  signal?: AbortSignal,
): Promise<{ alerts: Record<string, unknown>[]; note: string | null }> {
  let chosen: string[] = [];
  let note: string | null = null;
  for (const windowMs of DRY_RUN_WINDOWS_MS) {
    const { ids, total } = await alerts.queryIds({ createdAfter: new Date(now.getTime() - windowMs).toISOString(), signal });
    const complete = total === undefined || ids.length >= total;
    if (!complete) {
      // Too many to read in this window: what the narrower window held is the newest there is to show.
      if (chosen.length === 0) {
        chosen = ids;
        note = 'Falcon holds more alerts than one query returns for this period; these are recent, but not necessarily the very newest.';
      }
      break;
    }
    chosen = ids;
    if (ids.length >= count) break;
  }
  const ids = chosen.slice(-count);
  if (ids.length < count && note === null) note = `Falcon returned ${ids.length} alert${ids.length === 1 ? '' : 's'} from the last 30 days.`;
  const records = await alerts.get(ids, { signal });
  const order = new Map(ids.map((id, i) => [id, i]));
  return { alerts: records.sort((a, b) => (order.get(b.composite_id) ?? 0) - (order.get(a.composite_id) ?? 0)), note };
}

export async function dryRun(alerts: AlertReader, request: DryRunRequest, now: Date, signal?: AbortSignal): Promise<DryRunResult> {
  const req = parseInput(DryRunRequest, request, 'dry run');
  const compiled = compileOrThrow(req.ruleSet, 'draft');
  const recent = await recentAlerts(alerts, req.count, now, signal);
  return {
    integrationId: req.integrationId,
    note: recent.note,
    rows: recent.alerts.map((raw) => {
      const explanation = explainRuleSet(compiled, raw);
      return { alert: summarizeAlert(raw), match: explanation.match, explanation };
    }),
  };
}
