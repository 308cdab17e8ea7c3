// Falcon's {meta, resources, errors} envelope. The envelope is checked strictly enough to tell an answer that is not
// Falcon's at all; its records are read one by one, so an unreadable record is set aside instead of failing the call.
// Errors may be [], null or missing, resources may be null (an empty page), pagination comes in several shapes.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpResponse } from '../http';
import { describeIssue, envelopeBody, idField, readRecords, type ApiAnswer, type RecordKind, type UnreadableRecord } from '../records';

const FalconErrorItem = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish().catch(undefined),
  message: z.string().nullish().catch(undefined),
});

/** `total` is kept as sent: callers judge it (records.plausibleCount) before trusting it. */
export const FalconPagination = z.looseObject({
  offset: z.union([z.number(), z.string()]).nullish(),
  limit: z.number().nullish().catch(undefined),
  total: z.number().nullish(),
  after: z.string().nullish(),
  next: z.string().nullish(),
  expires_at: z.number().nullish().catch(undefined),
});

export const FalconMeta = z.looseObject({
  trace_id: z.string().nullish().catch(undefined),
  powered_by: z.string().nullish().catch(undefined),
  pagination: FalconPagination.nullish(),
});

/** The envelope around records that are read one by one. */
const RecordEnvelope = z.looseObject({
  meta: FalconMeta.nullish().transform((m) => m ?? {}),
  resources: z
    .array(z.unknown())
    .nullish()
    .transform((r) => r ?? []),
  errors: z
    .array(FalconErrorItem.catch({}))
    .nullish()
    .catch(undefined)
    .transform((e) => e ?? []),
});

const FALCON: ApiAnswer = {
  provider: 'Falcon',
  envelope: '{meta, resources, errors}',
  keys: ['meta', 'resources', 'errors'],
  fix: 'Something other than the Falcon API is answering: check that the base URL is the API host (api.…crowdstrike.com), not the console, and that no proxy or sign-on page intercepts it (exempt the API host).',
};

/** The error messages of a Falcon answer, joined and scrubbed, for matching and for quoting to the admin. */
export function falconErrorText(res: HttpResponse): string {
  const parsed = RecordEnvelope.safeParse(res.body);
  if (!parsed.success) return '';
  return res.redact(
    parsed.data.errors
      .map((e) => e.message ?? '')
      .filter(Boolean)
      .join('; '),
  );
}

export type FalconMeta = z.output<typeof FalconMeta>;

export interface FalconPage<T> {
  meta: FalconMeta;
  resources: T[];
  /** Records that did not match `resource`: set aside (id null) or, with a salvage, also in `resources`. */
  unreadable: UnreadableRecord[];
}

/** A resource kind named for the admin ("host record") and how to find its id. */
export function falconRecord<T>(what: string, id: string | null, salvage?: (raw: unknown, id: string) => T): RecordKind<T> {
  return { label: `Falcon sent an unreadable ${what}`, idOf: id === null ? () => null : idField(id), ...(salvage ? { salvage } : {}) };
}

const anonymous = falconRecord<never>('record', null);

/**
 * Reads a Falcon answer: refuses one that is not Falcon's envelope (with a diagnosis), then reads each resource on
 * its own. A null, missing or empty `resources` is an empty page.
 */
export function readFalcon<T extends z.ZodType>(
  resource: T,
  res: HttpResponse,
  kind: RecordKind<z.output<T>> = anonymous as RecordKind<z.output<T>>,
): FalconPage<z.output<T>> {
  const body = envelopeBody(res, FALCON) ?? {};
  const parsed = RecordEnvelope.safeParse(body);
  if (!parsed.success)
    throw new ProviderError({
      code: 'http.malformed',
      status: res.status,
      message: `Falcon answered ${new URL(res.url).pathname} with an envelope it could not read (${describeIssue(parsed.error)}).`,
      fix: 'Usually transient; if it persists, report it with the trace id from the logs.',
      observed: describeIssue(parsed.error),
    });
  const { records, unreadable } = readRecords(parsed.data.resources, resource, kind);
  return { meta: parsed.data.meta, resources: records, unreadable };
}

/** readFalcon for callers that only use the readable records (unreadable ones are dropped). */
export function parseFalcon<T extends z.ZodType>(resource: T, res: HttpResponse): FalconPage<z.output<T>> {
  return readFalcon(resource, res);
}
