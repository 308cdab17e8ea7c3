// Coverage: for each pair of posture sources, the devices one knows and the other does not, and why they did not match.
import { z } from 'zod';
import { SerialStatus } from './posture';
import { ProviderKind } from './providers';

/**
 * Why a device present in one source is missing from another: the serial matched no record there (`not_found`),
 * only a MAC address or hostname links it (`possible_match`, never trusted), or the device's own serial could not
 * be matched at all (missing, a placeholder, or shared by several machines).
 */
export const CoverageReason = z.enum(['not_found', 'possible_match', 'missing_serial', 'junk_serial', 'duplicate_serial'], {
  error: 'Reason must be one of not_found, possible_match, missing_serial, junk_serial, duplicate_serial.',
});
export type CoverageReason = z.infer<typeof CoverageReason>;

/** A posture source as coverage sees it; `fetchedAt` null: no successful poll, so its gaps are not known. */
export const CoverageSource = z.object({
  providerId: z.string(),
  name: z.string(),
  kind: ProviderKind,
  fetchedAt: z.number().nullable(),
  /** Devices this source reports (each device once, however many records). */
  devices: z.number().int().nonnegative(),
});
export type CoverageSource = z.infer<typeof CoverageSource>;

/** Devices present in `presentIn` and missing from `missingFrom`, by reason. */
export const CoveragePair = z.object({
  presentIn: z.string(),
  missingFrom: z.string(),
  count: z.number().int().nonnegative(),
  byReason: z.partialRecord(CoverageReason, z.number().int().nonnegative()),
});
export type CoveragePair = z.infer<typeof CoveragePair>;

export const CoverageSummary = z.object({
  /** Every posture provider, polled or not. */
  sources: z.array(CoverageSource),
  /** Every ordered pair of sources with data. */
  pairs: z.array(CoveragePair),
  /** Devices in the inventory. */
  devices: z.number().int().nonnegative(),
});
export type CoverageSummary = z.infer<typeof CoverageSummary>;

const sourceId = (what: string) => z.string({ error: `Choose the source the devices are ${what}.` }).min(1, `Choose the source the devices are ${what}.`);

/**
 * Which devices: present in `presentIn` (absent: in any source) and missing from `missingFrom` (absent: from at
 * least one other source with data), narrowed by platform, reason and text (hostname or serial contains).
 */
export const CoverageFilter = z
  .object({
    presentIn: sourceId('present in').optional(),
    missingFrom: sourceId('missing from').optional(),
    platform: z.string().trim().max(100, 'Platform is limited to 100 characters.').optional(),
    reasons: z.array(CoverageReason).optional(),
    text: z.string().trim().max(200, 'Search text is limited to 200 characters.').optional(),
  })
  .strict()
  .refine((f) => f.presentIn === undefined || f.presentIn !== f.missingFrom, {
    path: ['missingFrom'],
    message: 'A device cannot be present in and missing from the same source; choose two different sources.',
  });
export type CoverageFilter = z.infer<typeof CoverageFilter>;

export const CoverageQuery = z.object({
  filter: CoverageFilter,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000, 'At most 1000 devices per page.').default(100),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

/** One device with a gap: where it is, where it is not, and why it did not match there. */
export const CoverageItem = z.object({
  key: z.string(),
  hostname: z.string().nullable(),
  serial: z.string().nullable(),
  serialStatus: SerialStatus,
  platform: z.string().nullable(),
  presentIn: z.array(z.string()),
  missingFrom: z.array(z.string()),
  /** For the filter's `missingFrom`, else the first source the device is missing from. */
  reason: CoverageReason,
  /** The match explanation for that source, in words (the Devices panel's "Per provider" line). */
  why: z.string(),
});
export type CoverageItem = z.infer<typeof CoverageItem>;

export const CoveragePage = z.object({
  items: z.array(CoverageItem),
  total: z.number().int().nonnegative(),
  /** Platforms among the filtered devices before the platform filter, for its choices. */
  platforms: z.array(z.string()),
});
export type CoveragePage = z.infer<typeof CoveragePage>;

export const CoverageExportRequest = z.object({ filter: CoverageFilter }).strict();
export type CoverageExportRequest = z.infer<typeof CoverageExportRequest>;

export const coverageReasonLabels: Record<CoverageReason, string> = {
  not_found: 'Serial not found',
  possible_match: 'Possible match only',
  missing_serial: 'No serial',
  junk_serial: 'Placeholder serial',
  duplicate_serial: 'Shared serial',
};
