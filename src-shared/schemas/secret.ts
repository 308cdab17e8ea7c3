import { z } from 'zod';

/** What anyone outside the vault may know about a secret: that it is set, and when. Never any part of it. */
export const SecretStatus = z.object({
  configured: z.boolean(),
  /** ISO time the secret was last stored; null when none is set. */
  changedAt: z.string().nullable(),
  storedWith: z.string().nullable(),
  persisted: z.boolean(),
});
export type SecretStatus = z.infer<typeof SecretStatus>;
