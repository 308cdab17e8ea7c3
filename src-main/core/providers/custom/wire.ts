// The custom posture source's wire contract (shared/reference/custom-posture-source.md §2) as zod schemas: the
// request we send, the answer we accept, and the per-entry rules. The simulator and the client are both judged by it.
import { z } from 'zod';

/** Cloudflare's ceiling per call, and ours. */
export const CUSTOM_MAX_BATCH = 1_000;
export const CUSTOM_DEFAULT_BATCH = 500;
export const CUSTOM_DEFAULT_TIMEOUT_MS = 15_000;
/** Bodies larger than this are not read (§2.3). */
export const CUSTOM_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Deeper than this the whole response is malformed (§2.3). */
export const CUSTOM_MAX_DEPTH = 4;
export const CUSTOM_MAX_REASON = 256;
export const CUSTOM_MAX_ATTRIBUTES = 32;

/** Every field a string; unknown values are "", never null or missing (§2.2). */
export const CustomDevice = z.object({
  device_id: z.string().min(1),
  serial_number: z.string(),
  hostname: z.string(),
  mac_address: z.string(),
  email: z.string(),
  virtual_ipv4: z.string(),
});
export type CustomDevice = z.infer<typeof CustomDevice>;

export const CustomRequest = z.object({ devices: z.array(CustomDevice).max(CUSTOM_MAX_BATCH) }).strict();
export type CustomRequest = z.infer<typeof CustomRequest>;

export const AttributeValue = z.union([z.string(), z.number().finite(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/** One entry of `result`, judged on its own: a bad one is `invalid`, the batch still counts. */
export const CustomEntry = z.looseObject({
  score: z.number().int('score must be a whole number').min(0, 'score must be 0-100').max(100, 'score must be 0-100'),
  s2s_id: z.string().optional(),
  x_posture_console: z
    .looseObject({
      reason: z.string().max(CUSTOM_MAX_REASON).optional(),
      attributes: z
        .record(z.string(), AttributeValue)
        .refine((a) => Object.keys(a).length <= CUSTOM_MAX_ATTRIBUTES, `at most ${CUSTOM_MAX_ATTRIBUTES} attributes`)
        .optional(),
    })
    .optional(),
});
export type CustomEntry = z.infer<typeof CustomEntry>;

/** The envelope: `result` keyed by the device ids we sent; entries are read one by one (CustomEntry). */
export const CustomResponse = z.looseObject({ result: z.record(z.string(), z.unknown()) });

/** Nesting depth of a JSON value (a scalar is 0, `{}` is 1). */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const v of Object.values(value)) deepest = Math.max(deepest, jsonDepth(v));
  return deepest + 1;
}
