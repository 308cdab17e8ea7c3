// Zero Trust Assessment scores per host (aid = host device_id); unknown aids are simply absent.
import { z } from 'zod';
import { mapBatches } from '../batches';
import { readFast } from '../records';
import { falconRecord, readFalcon } from './envelope';
import type { RecordOptions } from './hosts';
import type { FalconSession } from './session';

const score = z.number().int().min(0).max(100).nullish().catch(undefined);

// Plain objects, not loose: the transform below keeps only these fields, so the signal detail that makes up
// most of each record (assessment_items) is never walked or copied.
const ZtaWire = z.object({
  aid: z.string(),
  cid: z.string().nullish(),
  system_serial_number: z.string().nullish(),
  event_platform: z.string().nullish(),
  product_type_desc: z.string().nullish(),
  modified_time: z.string().nullish(),
  sensor_file_status: z.string().nullish(),
  assessment: z.object({ overall: score, os: score, sensor_config: score, version: z.string().nullish() }).nullish(),
});

export const ZtaAssessment = ZtaWire.transform((w) => {
  const a = w.assessment;
  const scored = a && (typeof a.overall === 'number' || typeof a.os === 'number' || typeof a.sensor_config === 'number');
  return {
    aid: w.aid,
    serialNumber: w.system_serial_number ?? null,
    platform: w.event_platform ?? null,
    modifiedTime: w.modified_time ?? null,
    sensorFileStatus: w.sensor_file_status ?? null,
    /** null = the host has no assessment yet (unscored). */
    scores: scored ? { overall: a.overall ?? null, os: a.os ?? null, sensorConfig: a.sensor_config ?? null, version: a.version ?? null } : null,
  };
});
export type ZtaAssessment = z.output<typeof ZtaAssessment>;

const nullishString = (value: unknown) => value === null || value === undefined || typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `score` read by hand: a whole number 0–100 or null as sent, anything else undefined (the schema's catch). */
const scoreOf = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100 ? value : value === null ? null : undefined;

/** ZtaAssessment.parse straight to its output, without zod's copy of the wire record in between; anything odd is left to zod. */
function readZtaAssessment(raw: unknown): ZtaAssessment | undefined {
  if (!isObject(raw)) return undefined;
  const { aid, system_serial_number: serial, event_platform: platform, modified_time: modified, sensor_file_status: status, assessment: a } = raw;
  if (typeof aid !== 'string' || !nullishString(raw.cid) || !nullishString(raw.product_type_desc)) return undefined;
  if (!nullishString(serial) || !nullishString(platform) || !nullishString(modified) || !nullishString(status)) return undefined;
  let scores: ZtaAssessment['scores'] = null;
  if (a !== null && a !== undefined) {
    if (!isObject(a) || !nullishString(a.version)) return undefined;
    const overall = scoreOf(a.overall);
    const os = scoreOf(a.os);
    const sensorConfig = scoreOf(a.sensor_config);
    if (typeof overall === 'number' || typeof os === 'number' || typeof sensorConfig === 'number')
      scores = { overall: overall ?? null, os: os ?? null, sensorConfig: sensorConfig ?? null, version: (a.version as string | null | undefined) ?? null };
  }
  return {
    aid,
    serialNumber: (serial as string | null | undefined) ?? null,
    platform: (platform as string | null | undefined) ?? null,
    modifiedTime: (modified as string | null | undefined) ?? null,
    sensorFileStatus: (status as string | null | undefined) ?? null,
    scores,
  };
}
readFast(ZtaAssessment, readZtaAssessment);
/** ZtaWire strips what it does not name: the signal detail (four fifths of each record's bytes) is never built. */
const ZTA_RECORDS = { fields: Object.keys(ZtaWire.shape) };
export const ZTA_RECORD = falconRecord<ZtaAssessment>('Zero Trust Assessment', 'aid');

/** The spec gives no maximum for ids; 100 per call is what others use safely. */
export const ZTA_BATCH = 100;

export async function getZtaAssessments(session: FalconSession, aids: readonly string[], options: RecordOptions = {}): Promise<ZtaAssessment[]> {
  return mapBatches(aids, ZTA_BATCH, options.concurrency ?? 4, async (batch) => {
    const res = await session.call({
      method: 'GET',
      path: '/zero-trust-assessment/entities/assessments/v1',
      query: { ids: batch },
      scope: 'ztaRead',
      what: 'read Zero Trust Assessments',
      records: ZTA_RECORDS,
      received: options.received,
      // 404 = none of these hosts has an assessment.
      expect: [200, 404],
      signal: options.signal,
    });
    const page = readFalcon(ZtaAssessment, res, ZTA_RECORD);
    if (page.unreadable.length > 0) options.onUnreadable?.(page.unreadable);
    return page.resources;
  });
}

/** Aids with a score matching `filter` (required by the API; it filters on score only). */
export async function queryZtaAids(
  session: FalconSession,
  options: { filter?: string; limit?: number; signal?: AbortSignal } = {},
): Promise<{ aids: string[]; total: number | undefined }> {
  const res = await session.call({
    method: 'GET',
    path: '/zero-trust-assessment/queries/assessments/v1',
    query: { filter: options.filter ?? 'score:<=100', limit: options.limit ?? 100 },
    scope: 'ztaRead',
    what: 'query Zero Trust Assessments',
    signal: options.signal,
  });
  const page = readFalcon(z.union([z.string(), z.looseObject({ aid: z.string() })]), res);
  return { aids: page.resources.map((r) => (typeof r === 'string' ? r : r.aid)), total: page.meta.pagination?.total ?? undefined };
}
