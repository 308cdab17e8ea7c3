// The posture log as data: what a poll writes, what the Posture Log screen asks for and shows, and CSV export.
import { z } from 'zod';
import { logViews, postureResults, searchNeedles } from './posture-log-values';

export const PostureResult = z.enum(postureResults, {
  error: 'Result must be pass, fail or unknown.',
});
export type PostureResult = z.infer<typeof PostureResult>;

/** Milliseconds since the Unix epoch, UTC. */
const EpochMs = z.number().int().nonnegative();

/** Time bounds accept epoch milliseconds or an ISO 8601 date-time (the CLI and web host send strings). */
const Instant = z.union([EpochMs, z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))], {
  error: 'Use epoch milliseconds or an ISO 8601 date-time such as 2026-11-25T12:00:00Z.',
});

/**
 * The serial as the provider reported it (exactly: case, dashes, spaces and all), and the match key devices are
 * joined on across providers: the normalized serial (trimmed, upper case, no dashes or spaces), null when the
 * serial is missing or a placeholder.
 */
const Serials = {
  serial: z.string().nullable(),
  serialKey: z.string().nullable(),
};

/** One evaluation of one check on one device, as the evaluator produces it. */
export const PostureEvaluation = z.object({
  deviceKey: z.string().min(1),
  deviceName: z.string(),
  ...Serials,
  platform: z.string().nullable(),
  checkId: z.string().min(1),
  checkName: z.string(),
  result: PostureResult,
  expected: z.string().nullable(),
  received: z.string().nullable(),
  reason: z.string().nullable(),
});
export type PostureEvaluation = z.infer<typeof PostureEvaluation>;

/** Everything one provider poll evaluated; the store writes it all or nothing. */
export const PollEvaluations = z.object({
  pollId: z.string().min(1),
  providerId: z.string().min(1),
  evaluatedAt: EpochMs,
  rows: z.array(PostureEvaluation),
});
export type PollEvaluations = z.infer<typeof PollEvaluations>;

/**
 * What the log lists. `changes`: one row per run of identical results (a row appears when something
 * changed); `evaluations`: every evaluation at every poll; `latest`: the current state of each device/check.
 */
export const LogView = z.enum(logViews, {
  error: 'View must be changes, evaluations or latest.',
});
export type LogView = z.infer<typeof LogView>;

/** A row of the log. `at` is when the row happened: the poll time, or for a run its first evaluation. */
export const LogRow = z.object({
  id: z.string(),
  at: EpochMs,
  firstEvaluatedAt: EpochMs,
  lastEvaluatedAt: EpochMs,
  count: z.number().int().positive(),
  providerId: z.string(),
  checkId: z.string(),
  checkName: z.string(),
  deviceKey: z.string(),
  deviceName: z.string(),
  ...Serials,
  platform: z.string().nullable(),
  result: PostureResult,
  expected: z.string().nullable(),
  received: z.string().nullable(),
  reason: z.string().nullable(),
});
export type LogRow = z.infer<typeof LogRow>;

const IdList = (what: string) =>
  z
    .array(z.string().min(1, `Each ${what} id must be non-empty.`))
    .max(200, `Filter on 200 ${what}s at most.`)
    .optional();

function timeRangeInOrder(f: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx) {
  if (f.from !== undefined && f.to !== undefined && f.from > f.to)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end of the time range is before its start.' });
}

/**
 * Which rows. Time bounds are inclusive and apply to `at`. `text` matches device name or match key,
 * case-insensitively, anywhere in the value; a serial typed with dashes or spaces finds its match key.
 */
export const LogFilter = z
  .object({
    view: LogView.default('changes'),
    from: Instant.optional(),
    to: Instant.optional(),
    providerIds: IdList('provider'),
    checkIds: IdList('check'),
    results: z.array(PostureResult).max(3).optional(),
    text: z.string().trim().max(200, 'Search text is limited to 200 characters.').optional(),
  })
  .superRefine(timeRangeInOrder);
export type LogFilter = z.infer<typeof LogFilter>;

export { searchNeedles };

export const LogSort = z.object({
  by: z.enum(['time', 'device', 'result'], { error: 'Sort by time, device or result.' }),
  dir: z.enum(['asc', 'desc'], { error: 'Sort direction is asc or desc.' }),
});
export type LogSort = z.infer<typeof LogSort>;

const defaultSort: LogSort = { by: 'time', dir: 'desc' };

function evaluationsSortByTime(q: { view: LogView; sort: LogSort }, ctx: z.RefinementCtx) {
  if (q.view === 'evaluations' && q.sort.by !== 'time')
    ctx.addIssue({ code: 'custom', path: ['sort', 'by'], message: 'Every-evaluation view can only be sorted by time.' });
}

/** One page of the log. `cursor` is the opaque `nextCursor` of the previous page. */
export const LogQuery = z
  .object({
    ...LogFilter.shape,
    sort: LogSort.default(defaultSort),
    limit: z
      .number()
      .int('Page size must be a whole number.')
      .min(1, 'Page size must be at least 1.')
      .max(5000, 'Page size is limited to 5000 rows.')
      .default(100),
    cursor: z.string().max(4096, 'This cursor is not one the log handed out.').optional(),
  })
  .superRefine((q, ctx) => {
    timeRangeInOrder(q, ctx);
    evaluationsSortByTime(q, ctx);
  });
export type LogQuery = z.infer<typeof LogQuery>;

export const LogPage = z.object({ rows: z.array(LogRow), nextCursor: z.string().nullable() });
export type LogPage = z.infer<typeof LogPage>;

/** Pushed when a poll opened new runs: the new rows of the `changes` view. */
export const LogAppended = z.object({ providerId: z.string(), pollId: z.string(), rows: z.array(LogRow) });
export type LogAppended = z.infer<typeof LogAppended>;

/** Export exactly what the log shows for this filter, in this order. The main process asks where to save. */
export const ExportRequest = z
  .object({ filter: LogFilter, sort: LogSort.default(defaultSort) })
  .superRefine((r, ctx) => evaluationsSortByTime({ view: r.filter.view, sort: r.sort }, ctx));
export type ExportRequest = z.infer<typeof ExportRequest>;

export const ExportState = z.enum(['running', 'done', 'cancelled', 'failed']);
export type ExportState = z.infer<typeof ExportState>;

export const ExportProgress = z.object({
  exportId: z.string(),
  state: ExportState,
  rowsWritten: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  file: z.string().nullable(),
  error: z.string().optional(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;
