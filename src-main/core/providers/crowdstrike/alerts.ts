// Falcon alerts (the Detects API is retired): ids by FQL query sorted by creation, then records in
// batches of 1000. Polls move a creation-time cursor; callers dedupe on composite_id.
import { z } from 'zod';
import { mapBatches } from '../batches';
import { falconRecord, readFalcon } from './envelope';
import type { RecordOptions } from './hosts';
import type { FalconSession } from './session';

const str = z.string().nullish();
const num = z.number().nullish().catch(undefined);

export const FalconAlert = z.looseObject({
  // Blank is no id: such an alert cannot be deduplicated or referenced, so it is set aside like one without.
  composite_id: z.string().regex(/\S/),
  id: str,
  aggregate_id: str,
  cid: str,
  agent_id: str,
  created_timestamp: str,
  updated_timestamp: str,
  timestamp: str,
  status: str,
  severity: num,
  severity_name: str,
  confidence: num,
  name: str,
  display_name: str,
  description: str,
  tactic: str,
  tactic_id: str,
  technique: str,
  technique_id: str,
  objective: str,
  scenario: str,
  product: str,
  type: str,
  platform: str,
  filename: str,
  filepath: str,
  cmdline: str,
  sha256: str,
  md5: str,
  user_name: str,
  falcon_host_link: str,
  pattern_disposition_description: str,
  tags: z.array(z.string()).nullish().catch(undefined),
  device: z.looseObject({ device_id: str, hostname: str, local_ip: str, external_ip: str, platform_name: str, os_version: str }).nullish().catch(undefined),
});
export type FalconAlert = z.output<typeof FalconAlert>;
export const ALERT_RECORD = falconRecord<FalconAlert>('alert', 'composite_id');

/** Query v2 returns up to 10000 ids; offset paging stops at 10000 in total. */
export const ALERT_QUERY_LIMIT = 1000;
export const ALERT_OFFSET_CEILING = 10_000;
/** PSFalcon's batch for POST /alerts/entities/alerts/v2. */
export const ALERT_ENTITIES_BATCH = 1000;

export interface AlertQuery {
  /** ISO timestamp; only alerts created strictly after it. */
  createdAfter?: string;
  /** Extra FQL joined with '+' (AND), e.g. product:'epp'. */
  filter?: string;
  /** At most this many ids (default and maximum 10000). */
  max?: number;
  signal?: AbortSignal;
}

export function alertFilter(query: Pick<AlertQuery, 'createdAfter' | 'filter'>): string | undefined {
  const parts = [query.filter, query.createdAfter ? `created_timestamp:>'${fqlQuote(query.createdAfter)}'` : undefined].filter(Boolean);
  return parts.length ? parts.join('+') : undefined;
}

/** FQL single-quoted values escape quotes and backslashes. */
export function fqlQuote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export async function queryAlertIds(session: FalconSession, query: AlertQuery = {}): Promise<{ ids: string[]; total: number | undefined }> {
  const max = Math.min(query.max ?? ALERT_OFFSET_CEILING, ALERT_OFFSET_CEILING);
  const ids: string[] = [];
  let total: number | undefined;
  for (let offset = 0; ids.length < max;) {
    const limit = Math.min(ALERT_QUERY_LIMIT, max - ids.length, ALERT_OFFSET_CEILING - offset);
    if (limit <= 0) break;
    const res = await session.call({
      method: 'GET',
      path: '/alerts/queries/alerts/v2',
      query: { filter: alertFilter(query), sort: 'created_timestamp|asc', limit, offset },
      scope: 'alertsRead',
      what: 'query alerts',
      signal: query.signal,
    });
    const page = readFalcon(z.string(), res);
    total = page.meta.pagination?.total ?? total;
    ids.push(...page.resources);
    offset += page.resources.length;
    if (page.resources.length === 0 || (total !== undefined && offset >= total)) break;
  }
  return { ids: [...new Set(ids)], total };
}

/** Alert records by composite id; unreadable ones are reported to `onUnreadable` and left out. */
export async function getAlerts(session: FalconSession, compositeIds: readonly string[], options: RecordOptions = {}): Promise<FalconAlert[]> {
  return mapBatches(compositeIds, ALERT_ENTITIES_BATCH, options.concurrency ?? 2, async (batch) => {
    const res = await session.call({
      method: 'POST',
      path: '/alerts/entities/alerts/v2',
      json: { composite_ids: batch },
      idempotent: true,
      scope: 'alertsRead',
      what: 'read alerts',
      signal: options.signal,
    });
    const page = readFalcon(FalconAlert, res, ALERT_RECORD);
    if (page.unreadable.length > 0) options.onUnreadable?.(page.unreadable);
    return page.resources;
  });
}

export interface AlertPoll {
  alerts: FalconAlert[];
  /** The newest created_timestamp seen (as sent, nanoseconds kept), for the next poll. */
  cursor: string | undefined;
  /** True when more alerts than one poll takes are waiting. */
  more: boolean;
}

/** One poll: new alerts since the cursor, oldest first, deduplicated on composite_id. */
export async function pollAlerts(session: FalconSession, query: AlertQuery = {}): Promise<AlertPoll> {
  const { ids, total } = await queryAlertIds(session, query);
  const records = await getAlerts(session, ids, { signal: query.signal });
  const byId = new Map(records.map((a) => [a.composite_id, a]));
  const alerts = [...byId.values()].sort((a, b) => compareTimestamps(a.created_timestamp, b.created_timestamp));
  const newest = alerts.at(-1)?.created_timestamp ?? undefined;
  return { alerts, cursor: newest ?? query.createdAfter, more: total !== undefined && total > ids.length };
}

/** ISO timestamps with any number of fraction digits (Falcon sends nanoseconds), compared exactly. */
export function compareTimestamps(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const whole = (t: string) => Date.parse(t.replace(/\.\d+/, ''));
  const fraction = (t: string) => (/\.(\d+)/.exec(t)?.[1] ?? '').padEnd(9, '0');
  return whole(a) - whole(b) || fraction(a).localeCompare(fraction(b));
}
