// The Devices screen and the Dashboard: paged cross-provider inventory and the posture overview.
import { z } from 'zod';
import { DeviceExplanation, PollStatus, PostureDevice, ResultCounts, SerialStatus } from './posture';
import { LogRow } from './posture-log';
import { ProviderHealth, ProviderKind, ProviderStatus } from './providers';
import { RiskCounts } from './users';

/** Columns the Devices table sorts by; nulls (no serial, no hostname) always come last. */
export const DeviceSortKey = z.enum(['serial', 'hostname', 'platform', 'serialStatus'], {
  error: 'Sort devices by serial, hostname, platform or serialStatus.',
});
export type DeviceSortKey = z.infer<typeof DeviceSortKey>;

export const DeviceSort = z.object({ by: DeviceSortKey, dir: z.enum(['asc', 'desc'], { error: 'Sort direction is asc or desc.' }) });
export type DeviceSort = z.infer<typeof DeviceSort>;

export const DeviceQuery = z.object({
  text: z.string().trim().max(200, 'Search text is limited to 200 characters.').optional(),
  providerId: z.string().optional(),
  serialStatus: SerialStatus.optional(),
  /** Absent: the match order (by serial, then the records without one). */
  sort: DeviceSort.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000, 'At most 1000 devices per page.').default(100),
});
export type DeviceQuery = z.infer<typeof DeviceQuery>;

/** A device with the latest result of each of its current checks (the log's latest view), by check name. */
export const DeviceListItem = PostureDevice.extend({ current: z.array(LogRow) });
export type DeviceListItem = z.infer<typeof DeviceListItem>;

/** Whether a posture provider's records are in the inventory: `fetchedAt` null means none (never polled, or every poll failed). */
export const DeviceSource = z.object({ providerId: z.string(), fetchedAt: z.number().nullable() });
export type DeviceSource = z.infer<typeof DeviceSource>;

export const DevicePage = z.object({
  items: z.array(DeviceListItem),
  total: z.number().int().nonnegative(),
  /** One per posture provider, so a column without data reads "no data", not "not present". */
  sources: z.array(DeviceSource),
});
export type DevicePage = z.infer<typeof DevicePage>;

export const DeviceDetail = z.object({ device: PostureDevice, explanation: DeviceExplanation, current: z.array(LogRow) });
export type DeviceDetail = z.infer<typeof DeviceDetail>;

export const TrendPoint = z.object({ at: z.number(), providerId: z.string(), pass: z.number(), fail: z.number(), unknown: z.number() });
export type TrendPoint = z.infer<typeof TrendPoint>;

export const ScoreBucket = z.object({ from: z.number(), to: z.number(), count: z.number().int().nonnegative() });
export type ScoreBucket = z.infer<typeof ScoreBucket>;

export const DashboardProvider = z.object({
  providerId: z.string(),
  name: z.string(),
  kind: ProviderKind,
  health: ProviderHealth,
  /** The same health as on Providers (provider-status.ts). */
  status: ProviderStatus,
  poll: PollStatus.nullable(),
  devices: z.number().int().nonnegative(),
});
export type DashboardProvider = z.infer<typeof DashboardProvider>;

export const DashboardSummary = z.object({
  providers: z.array(DashboardProvider),
  /** Current result of every device/check (the log's latest view). */
  results: ResultCounts,
  trend: z.array(TrendPoint),
  /** ZTA overall score distribution over scored hosts. */
  scores: z.array(ScoreBucket),
  unscored: z.number().int().nonnegative(),
  /** Users per current risk level (absent where user risk is not wired). */
  usersByRisk: RiskCounts.optional(),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;
