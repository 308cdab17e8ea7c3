// The audit trail: who changed what, from which surface, with before/after values (secrets never, only that they changed).
import { z } from 'zod';

/** Where an admin action came from: the desktop app, the loopback web host, or the command line. */
export const AuditSurface = z.enum(['desktop', 'web', 'cli']);
export type AuditSurface = z.infer<typeof AuditSurface>;

export const auditSurfaceLabels: Record<AuditSurface, string> = { desktop: 'desktop', web: 'web host', cli: 'CLI' };

/**
 * What the transport knows about a call, handed to the core beside the parsed request: the surface, the web
 * host's access session (an id of its own, never the cookie), the CLI command line's verb.
 */
export const CallContext = z.object({
  surface: AuditSurface,
  session: z.string().nullable().optional(),
  command: z.string().nullable().optional(),
});
export type CallContext = z.infer<typeof CallContext>;

export const AuditActor = z.object({
  surface: AuditSurface,
  /** The operating-system account the console runs as. */
  osUser: z.string(),
  /** The web host's access session id; null elsewhere. */
  session: z.string().nullable(),
  /** The CLI command (`providers add`); null elsewhere. */
  command: z.string().nullable(),
  /** A name the request itself carried (incident and IOC forms ask who acts); null when none. */
  claimed: z.string().nullable(),
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditTarget = z.object({
  /** provider, check, rules, incident, ioc, user, settings, preferences, configuration, containment, … */
  kind: z.string(),
  id: z.string().nullable(),
  name: z.string().nullable(),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

/** A secret's value never appears: a changed secret is recorded as this marker on both sides. */
export const REDACTED = '[redacted]';

export const AuditChange = z.object({
  /** Dotted path of the field (`config.region`, `rules.2.condition`). */
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditChange = z.infer<typeof AuditChange>;

export const AuditEntry = z.object({
  /** Position in the chain, 1, 2, 3 …; never reused. */
  seq: z.number().int().positive(),
  /** Stable id (a UUID), the forwarded event's id. */
  id: z.string(),
  at: z.string(),
  actor: AuditActor,
  /** What was done, as `noun.verb`: `provider.added`, `secret.replaced`, `incident.state_changed`. */
  action: z.string(),
  /** The contract channel that carried it. */
  channel: z.string(),
  target: AuditTarget,
  outcome: z.enum(['succeeded', 'failed']),
  /** The refusal, for a failed action: its code and admin message. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** One line for humans. */
  summary: z.string(),
  changes: z.array(AuditChange),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    surface: AuditSurface.optional(),
    /** Matches the OS user, the web session id or the claimed name. */
    actor: z.string().max(200).optional(),
    /** An action (`provider.added`) or its noun (`provider`). */
    action: z.string().max(100).optional(),
    /** Matches the target's kind, id or name. */
    target: z.string().max(200).optional(),
    /** Free text over the summary, target and changes. */
    search: z.string().max(200).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = AuditFilter.extend({
  /** Newest first; `before` is the `seq` to continue below (the previous page's `nextBefore`). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  nextBefore: z.number().int().nullable(),
  total: z.number().int().nonnegative(),
});
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditBreak = z.object({
  seq: z.number().int(),
  at: z.string().nullable(),
  kind: z.enum(['edited', 'removed', 'reordered', 'key_mismatch', 'anchor']),
  message: z.string(),
});
export type AuditBreak = z.infer<typeof AuditBreak>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** Entries checked (those still kept). */
  checked: z.number().int(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  /** Entries pruned by retention; the chain continues from their anchor. */
  anchor: z.object({ seq: z.number().int(), prunedAt: z.string() }).nullable(),
  /** The first break found; null when the chain holds. */
  broken: AuditBreak.nullable(),
  /** False when the key is only obfuscated on disk (Linux without a keyring). */
  keyProtected: z.boolean(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
