// Enforces posture-log retention: shortly after start, then once a day, in the store's small batches.
import type { Store } from './store';

const DAY = 86_400_000;

/** What retention reports to; the app's pino logger fits. */
export interface RetentionLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export function startRetention(deps: { store: Pick<Store, 'prune'>; days: () => number; logger: RetentionLogger; firstDelayMs?: number }): () => void {
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      const result = await deps.store.prune({ days: deps.days() });
      if (result.deleted > 0) deps.logger.info({ deleted: result.deleted, cutoff: result.cutoff }, 'posture log retention applied');
    } catch (error) {
      deps.logger.warn({ err: error }, 'posture log retention failed; retrying tomorrow');
    }
    timer = setTimeout(run, DAY).unref();
  };
  timer = setTimeout(run, deps.firstDelayMs ?? 60_000).unref();
  return () => clearTimeout(timer);
}
