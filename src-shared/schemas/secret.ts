import { z } from 'zod';

/** What anyone outside the vault may know about a secret. */
export const SecretStatus = z.object({
  configured: z.boolean(),
  hint: z.string().nullable(),
  storedWith: z.string().nullable(),
  persisted: z.boolean(),
});
export type SecretStatus = z.infer<typeof SecretStatus>;
