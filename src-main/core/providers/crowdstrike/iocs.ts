// Custom IOCs in Falcon: create (201) after a duplicate check, search, read, delete.
import { z } from 'zod';
import { mapBatches } from '../batches';
import { fqlQuote } from './alerts';
import { readFalcon } from './envelope';
import type { FalconSession } from './session';

export const IocType = z.enum(['sha256', 'md5', 'domain', 'ipv4', 'ipv6']);
export const IocAction = z.enum(['no_action', 'allow', 'prevent_no_ui', 'prevent', 'detect']);
export const IocSeverity = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export const IocPlatform = z.enum(['windows', 'mac', 'linux', 'ios', 'android']);

/** What we send: the wire names, as in reference §6. */
export const IocInput = z.object({
  type: IocType,
  value: z.string().min(1),
  action: IocAction,
  severity: IocSeverity.optional(),
  platforms: z.array(IocPlatform).min(1),
  applied_globally: z.boolean().optional(),
  host_groups: z.array(z.string()).optional(),
  source: z.string().min(1).max(256).optional(),
  description: z.string().max(200).optional(),
  tags: z.array(z.string()).optional(),
  expiration: z.string().optional(),
  metadata: z.object({ filename: z.string().optional() }).optional(),
});
export type IocInput = z.infer<typeof IocInput>;

const str = z.string().nullish();
export const FalconIoc = z.looseObject({
  // Not required by the spec; an indicator without one reads as '' (createIoc then finds it by search).
  id: str.transform((id) => id ?? ''),
  type: str,
  value: str,
  action: str,
  severity: str,
  platforms: z.array(z.string()).nullish(),
  applied_globally: z.boolean().nullish(),
  host_groups: z.array(z.string()).nullish(),
  source: str,
  description: str,
  tags: z.array(z.string()).nullish(),
  expiration: str,
  expired: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  created_on: str,
  created_by: str,
  modified_on: str,
});
export type FalconIoc = z.output<typeof FalconIoc>;

export const IOC_GET_BATCH = 100;

/** CrowdStrike's own sample checks for a live duplicate with this filter before creating. */
export function iocDuplicateFilter(type: string, value: string): string {
  return `type:'${fqlQuote(type)}'+value:'${fqlQuote(value)}'+deleted:false`;
}

export async function searchIocIds(
  session: FalconSession,
  options: { filter?: string; limit?: number; offset?: number; signal?: AbortSignal } = {},
): Promise<{ ids: string[]; total: number | undefined }> {
  const res = await session.call({
    method: 'GET',
    path: '/iocs/queries/indicators/v1',
    query: { filter: options.filter, limit: options.limit ?? 100, offset: options.offset },
    scope: 'iocRead',
    what: 'search IOCs',
    signal: options.signal,
  });
  const page = readFalcon(z.string(), res);
  return { ids: page.resources, total: page.meta.pagination?.total ?? undefined };
}

export async function getIocs(session: FalconSession, ids: readonly string[], signal?: AbortSignal): Promise<FalconIoc[]> {
  return mapBatches(ids, IOC_GET_BATCH, 2, async (batch) => {
    const res = await session.call({
      method: 'GET',
      path: '/iocs/entities/indicators/v1',
      query: { ids: batch },
      scope: 'iocRead',
      what: 'read IOCs',
      signal,
    });
    return readFalcon(FalconIoc, res).resources;
  });
}

/** Full records for a filter (ids by search, then entities). */
export async function listIocs(session: FalconSession, options: { filter?: string; limit?: number; signal?: AbortSignal } = {}): Promise<FalconIoc[]> {
  const { ids } = await searchIocIds(session, { filter: options.filter, limit: options.limit ?? 500, signal: options.signal });
  return getIocs(session, ids, options.signal);
}

export type CreateIocResult = { created: true; ioc: FalconIoc } | { created: false; existingId: string };

/** Creates one indicator unless a live one with the same type and value exists. */
export async function createIoc(session: FalconSession, input: IocInput, options: { comment?: string; signal?: AbortSignal } = {}): Promise<CreateIocResult> {
  const indicator = IocInput.parse(input);
  const existing = await searchIocIds(session, { filter: iocDuplicateFilter(indicator.type, indicator.value), limit: 1, signal: options.signal });
  const existingId = existing.ids[0];
  if (existingId) return { created: false, existingId };
  const res = await session.call({
    method: 'POST',
    path: '/iocs/entities/indicators/v1',
    query: { ignore_warnings: false, retrodetects: false },
    json: { comment: options.comment, indicators: [indicator] },
    // Creating twice would duplicate: never resend blindly.
    idempotent: false,
    expect: [200, 201],
    scope: 'iocWrite',
    what: 'create an IOC',
    signal: options.signal,
  });
  const ioc = readFalcon(FalconIoc, res).resources[0];
  if (!ioc?.id) {
    // Some answers omit the record; the search finds it.
    const found = await searchIocIds(session, { filter: iocDuplicateFilter(indicator.type, indicator.value), limit: 1, signal: options.signal });
    const [full] = await getIocs(session, found.ids.slice(0, 1), options.signal);
    if (full) return { created: true, ioc: full };
    return { created: true, ioc: { id: '', type: indicator.type, value: indicator.value, action: indicator.action } };
  }
  return { created: true, ioc };
}

export async function deleteIocs(session: FalconSession, ids: readonly string[], options: { comment?: string; signal?: AbortSignal } = {}): Promise<void> {
  await mapBatches(ids, IOC_GET_BATCH, 2, async (batch) => {
    await session.call({
      method: 'DELETE',
      path: '/iocs/entities/indicators/v1',
      query: { ids: batch, comment: options.comment },
      scope: 'iocWrite',
      what: 'delete IOCs',
      signal: options.signal,
    });
    return [];
  });
}
