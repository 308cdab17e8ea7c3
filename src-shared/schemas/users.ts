// User risk from EDR signals: the people behind the devices, the risk behaviors that raise them, their events and
// timeline, and the admin's reset. Times are epoch milliseconds.
import { z } from 'zod';

export const RiskLevel = z.enum(['low', 'medium', 'high'], { error: 'Risk level must be low, medium or high.' });
export type RiskLevel = z.infer<typeof RiskLevel>;

/** A user's current level: `none` when no active event counts. */
export const UserRiskLevel = z.enum(['none', 'low', 'medium', 'high'], { error: 'Level must be none, low, medium or high.' });
export type UserRiskLevel = z.infer<typeof UserRiskLevel>;

/** Order of the levels, lowest first; the current level is the highest among active events. */
export const riskRank: Record<UserRiskLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

export const BehaviorId = z.enum(['s1_threat', 'falcon_alert', 'posture_check_failing']);
export type BehaviorId = z.infer<typeof BehaviorId>;

export const behaviorLabels: Record<BehaviorId, string> = {
  s1_threat: "SentinelOne threat detected on a user's device",
  falcon_alert: "Falcon alert on a user's device",
  posture_check_failing: "User's device failing a posture check",
};

// ---- behaviors -----------------------------------------------------------------------------------

const enabled = z.boolean({ error: 'Choose whether this behavior is enabled.' });

const SEVERITY_MESSAGE = 'Severity threshold must be a whole number from 1 to 100.';
const MINUTES_MESSAGE = 'Duration must be a whole number of minutes from 1 to 129600 (90 days).';
const WINDOW_MESSAGE = 'The window must be a whole number of days from 1 to 90.';

export const RiskBehaviors = z.object({
  s1_threat: z.object({ enabled, level: RiskLevel }),
  falcon_alert: z.object({
    enabled,
    level: RiskLevel,
    /** Falcon severity is 1–100; an alert at or above this counts. */
    minSeverity: z.number({ error: SEVERITY_MESSAGE }).int(SEVERITY_MESSAGE).min(1, SEVERITY_MESSAGE).max(100, SEVERITY_MESSAGE),
  }),
  posture_check_failing: z
    .object({
      enabled,
      level: RiskLevel,
      /** A saved posture check's id; required once the behavior is enabled. */
      checkId: z.string().min(1).nullable(),
      /** The device must have been failing the check for longer than this. */
      minutes: z.number({ error: MINUTES_MESSAGE }).int(MINUTES_MESSAGE).min(1, MINUTES_MESSAGE).max(129_600, MINUTES_MESSAGE),
    })
    .refine((b) => !b.enabled || b.checkId !== null, { path: ['checkId'], message: 'Choose the posture check this behavior watches.' }),
  /** Events stop counting this many days after they were last observed. */
  windowDays: z.number({ error: WINDOW_MESSAGE }).int(WINDOW_MESSAGE).min(1, WINDOW_MESSAGE).max(90, WINDOW_MESSAGE),
});
export type RiskBehaviors = z.infer<typeof RiskBehaviors>;

export const defaultRiskBehaviors: RiskBehaviors = {
  s1_threat: { enabled: true, level: 'high' },
  falcon_alert: { enabled: true, level: 'medium', minSeverity: 70 },
  posture_check_failing: { enabled: false, level: 'low', checkId: null, minutes: 24 * 60 },
  windowDays: 7,
};

// ---- events --------------------------------------------------------------------------------------

/** What was observed, kept with the event so the admin can check it without the provider at hand. */
export const RiskEvidence = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('s1_threat'),
    providerId: z.string(),
    agentId: z.string(),
    infected: z.boolean().nullable(),
    activeThreats: z.number().nullable(),
    /** The user name as the agent reported it. */
    reportedUser: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('falcon_alert'),
    integrationId: z.string(),
    compositeId: z.string(),
    severity: z.number(),
    name: z.string().nullable(),
    tactic: z.string().nullable(),
    technique: z.string().nullable(),
    alertUser: z.string().nullable(),
    falconLink: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('posture_check_failing'),
    providerId: z.string(),
    checkId: z.string(),
    checkName: z.string(),
    failingSince: z.number(),
    expected: z.string().nullable(),
    received: z.string().nullable(),
  }),
]);
export type RiskEvidence = z.infer<typeof RiskEvidence>;

/**
 * Why an event does or does not count now: `aged_out` = last observed before the window; `before_reset` = it began
 * before the user's latest reset; `behavior_off` = its behavior is disabled.
 */
export const RiskEventStatus = z.enum(['active', 'aged_out', 'before_reset', 'behavior_off']);
export type RiskEventStatus = z.infer<typeof RiskEventStatus>;

export const RiskEvent = z.object({
  id: z.string(),
  userId: z.string(),
  behavior: BehaviorId,
  /** The behavior's level when the event was recorded; the current score uses the behavior's level now. */
  level: RiskLevel,
  deviceKey: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** One line: "Infected, 2 active threats", "Severity 90: Credential dumping". */
  signal: z.string(),
  evidence: RiskEvidence,
  occurredAt: z.number(),
  /** The condition is still observed (a threat not yet cleared, a check still failing). */
  ongoing: z.boolean(),
  /** When the condition was last observed: null while ongoing. */
  endedAt: z.number().nullable(),
  status: RiskEventStatus,
});
export type RiskEvent = z.infer<typeof RiskEvent>;

// ---- users ---------------------------------------------------------------------------------------

export const UserSummary = z.object({
  /** Normalized identity: `corp\alice` when a domain is known, `alice` otherwise. */
  id: z.string(),
  /** The fullest form seen: a UPN, else DOMAIN\user, else the bare name. */
  displayName: z.string(),
  /** Every spelling the providers reported for this user. */
  aliases: z.array(z.string()),
  level: UserRiskLevel,
  activeEvents: z.number().int().nonnegative(),
  /** Devices in the current inventory tied to the user. */
  devices: z.number().int().nonnegative(),
  lastEventAt: z.number().nullable(),
  resetAt: z.number().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserSort = z.enum(['risk', 'name', 'devices', 'lastEvent'], { error: 'Sort by risk, name, devices or lastEvent.' });
export type UserSort = z.infer<typeof UserSort>;

export const UserFilter = z.object({
  text: z.string().trim().max(200, 'Search text is limited to 200 characters.').optional(),
  levels: z.array(UserRiskLevel).max(4).optional(),
});
export type UserFilter = z.infer<typeof UserFilter>;

export const UserQuery = UserFilter.extend({
  sort: UserSort.default('risk'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000, 'At most 1000 users per page.').default(100),
});
export type UserQuery = z.infer<typeof UserQuery>;

export const RiskCounts = z.object({
  high: z.number().int().nonnegative(),
  medium: z.number().int().nonnegative(),
  low: z.number().int().nonnegative(),
  none: z.number().int().nonnegative(),
});
export type RiskCounts = z.infer<typeof RiskCounts>;

export const UserPage = z.object({
  items: z.array(UserSummary),
  total: z.number().int().nonnegative(),
  /** Per level over every user, ignoring the level filter (the filter chips show them). */
  counts: RiskCounts,
});
export type UserPage = z.infer<typeof UserPage>;

/** A device tied to a user, and which provider record says so. */
export const UserDevice = z.object({
  deviceKey: z.string(),
  hostname: z.string().nullable(),
  serial: z.string().nullable(),
  platform: z.string().nullable(),
  sources: z.array(z.object({ providerId: z.string(), recordId: z.string(), reportedAs: z.string() })),
});
export type UserDevice = z.infer<typeof UserDevice>;

export const UserTimelineEntry = z.object({
  at: z.number(),
  kind: z.enum(['raised', 'cleared', 'reset']),
  text: z.string(),
  eventId: z.string().nullable(),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
});
export type UserTimelineEntry = z.infer<typeof UserTimelineEntry>;

export const UserDetail = z.object({
  user: UserSummary,
  devices: z.array(UserDevice),
  /** Newest first. */
  events: z.array(RiskEvent),
  /** Newest first. */
  timeline: z.array(UserTimelineEntry),
});
export type UserDetail = z.infer<typeof UserDetail>;

export const UserRef = z.object({ userId: z.string().min(1, 'Choose a user.').max(300) }).strict();

export const UserReset = z
  .object({
    userId: z.string().min(1, 'Choose a user.').max(300),
    actor: z.string().trim().min(1, 'Say who is resetting the score.').max(120, 'Keep the name to 120 characters.'),
    reason: z.string().trim().min(3, 'Give the reason for the reset (at least 3 characters).').max(1000, 'Keep the reason to 1000 characters.'),
  })
  .strict();
export type UserReset = z.infer<typeof UserReset>;

export const UsersChanged = z.object({ cause: z.enum(['evaluation', 'reset', 'behaviors']) });
export type UsersChanged = z.infer<typeof UsersChanged>;
