// Enforces posture-log retention: shortly after start, then once a day, in the store's small batches.
import type { Logger } from '../log';
import type { Store } from './store';

const DAY = 86_400_000;

export function startRetention(deps: { store: Pick<Store, 'prune'>; days: () => number; logger: Logger; firstDelayMs?: number }): () => void {
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
