// Audit retention: once a day, entries older than a year (or the posture log's retention, if longer) go, behind
// a sealed anchor so the rest still verifies.
import type { RetentionLogger } from '../store/retention-timer';
import { DEFAULT_AUDIT_RETENTION_DAYS, type AuditTrail } from './trail';

const DAY = 86_400_000;

export function startAuditRetention(deps: {
  audit: Pick<AuditTrail, 'prune'>;
  days: () => number;
  logger: RetentionLogger;
  firstDelayMs?: number;
}): () => void {
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      const result = await deps.audit.prune(Math.max(DEFAULT_AUDIT_RETENTION_DAYS, deps.days()));
      if (result.deleted > 0) deps.logger.info({ deleted: result.deleted, anchorSeq: result.anchorSeq }, 'audit trail retention applied');
    } catch (error) {
      deps.logger.warn({ err: error }, 'audit trail retention failed; retrying tomorrow');
    }
    timer = setTimeout(run, DAY).unref();
  };
  timer = setTimeout(run, deps.firstDelayMs ?? 90_000).unref();
  return () => clearTimeout(timer);
}
