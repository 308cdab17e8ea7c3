// Falcon's {meta, resources, errors} envelope, parsed leniently: errors may be [], null or missing,
// resources may be null, pagination comes in several shapes.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpResponse } from '../http';

const FalconErrorItem = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish(),
  message: z.string().nullish(),
});

export const FalconPagination = z.looseObject({
  offset: z.union([z.number(), z.string()]).nullish(),
  limit: z.number().nullish(),
  total: z.number().nullish(),
  after: z.string().nullish(),
  next: z.string().nullish(),
  expires_at: z.number().nullish(),
});

const FalconMeta = z.looseObject({
  trace_id: z.string().nullish(),
  powered_by: z.string().nullish(),
  pagination: FalconPagination.nullish(),
});

export function falconEnvelope<T extends z.ZodType>(resource: T) {
  return z.looseObject({
    meta: FalconMeta.nullish().transform((m) => m ?? {}),
    resources: z
      .array(resource)
      .nullish()
      .transform((r): z.output<T>[] => r ?? []),
    errors: z
      .array(FalconErrorItem)
      .nullish()
      .transform((e) => e ?? []),
  });
}

const AnyEnvelope = falconEnvelope(z.unknown());

/** The error messages of a Falcon answer, joined and scrubbed, for matching and for quoting to the admin. */
export function falconErrorText(res: HttpResponse): string {
  const parsed = AnyEnvelope.safeParse(res.body);
  if (!parsed.success) return '';
  return res.redact(
    parsed.data.errors
      .map((e) => e.message ?? '')
      .filter(Boolean)
      .join('; '),
  );
}

/** One envelope schema per resource schema: zod compiles a schema on its first parse, so build each once. */
const envelopes = new WeakMap<z.ZodType, ReturnType<typeof falconEnvelope>>();

export function parseFalcon<T extends z.ZodType>(resource: T, res: HttpResponse) {
  let envelope = envelopes.get(resource) as ReturnType<typeof falconEnvelope<T>> | undefined;
  if (!envelope) envelopes.set(resource, (envelope = falconEnvelope(resource)));
  const parsed = envelope.safeParse(res.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({
    code: 'http.malformed',
    status: res.status,
    message: `Falcon answered ${new URL(res.url).pathname} in an unexpected shape.`,
    fix: 'Usually transient; if it persists, report it with the trace id from the logs.',
    observed: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined,
  });
}
