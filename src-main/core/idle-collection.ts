// After a poll, the main process holds the previous inventory and the poll's own garbage until V8's next full
// collection, and an app left idle between polls allocates too little to reach one for hours: that garbage stays in
// the process's memory. So a finished poll asks V8 for a full collection shortly afterwards. `vm.measureMemory` with
// eager execution is the one Node API that starts one without blocking: V8 begins incremental marking (done
// concurrently and in small steps on the event loop) instead of collecting in one pause.
import { measureMemory } from 'node:vm';

/** How long after the latest request the collection starts: polls that end together share one. */
const DELAY_MS = 1000;

/**
 * `vm.measureMemory` is marked experimental and says so on stderr at its first call: the app wants its collection,
 * not its figures, so that one notice is not passed on.
 */
function startCollection(): Promise<unknown> {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return measureMemory({ execution: 'eager' });
  } finally {
    process.emitWarning = emitWarning;
  }
}

export function createIdleCollector(options: { delayMs?: number } = {}) {
  const delayMs = options.delayMs ?? DELAY_MS;
  let timer: NodeJS.Timeout | undefined;
  let waiting: (() => void)[] = [];
  return {
    /** Asks for a collection; resolves once V8 has finished it (or it could not run). */
    soon(): Promise<void> {
      clearTimeout(timer);
      const done = new Promise<void>((resolve) => waiting.push(resolve));
      timer = setTimeout(() => {
        const resolvers = waiting;
        waiting = [];
        timer = undefined;
        const settle = () => resolvers.forEach((resolve) => resolve());
        startCollection().then(settle, settle);
      }, delayMs);
      // Never what keeps a process alive.
      timer.unref();
      return done;
    },
    /** Drops a pending request (the app is closing). */
    dispose(): void {
      clearTimeout(timer);
      timer = undefined;
      waiting.forEach((resolve) => resolve());
      waiting = [];
    },
  };
}

export type IdleCollector = ReturnType<typeof createIdleCollector>;
