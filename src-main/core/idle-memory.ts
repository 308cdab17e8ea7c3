// Between polls the main process only answers the screens, yet it would keep what the last poll left behind: V8
// collects when allocation reaches its limit, and an idle app allocates almost nothing. V8's memory reducer, which
// compacts the heap and returns freed pages to the system, does not start by itself in Node either: it waits for a
// low allocation rate, and the rate is re-measured only at collections, so it still reads as the poll's.
//
// So once every poll has ended, the main process starts a full collection (incremental: marked concurrently and in
// small steps on the event loop) and asks V8 to favour memory over speed, as Chrome does for a background tab; the
// memory reducer then compacts and returns the pages within seconds. The next poll puts V8 back to speed.
import { setFlagsFromString } from 'node:v8';
import { measureMemory } from 'node:vm';

/** How long after the last poll ends idle begins: polls that end close together share one collection. */
const DELAY_MS = 1000;
const FAVOUR_MEMORY = '--optimize-for-size';
const FAVOUR_SPEED = '--no-optimize-for-size';

/**
 * A full collection started at once, without blocking: `vm.measureMemory` with eager execution is the one Node API
 * that makes V8 begin incremental marking. It is marked experimental and says so on stderr at its first call; the app
 * wants the collection, not the figures, so that one notice is not passed on.
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

export interface IdleMemoryOptions {
  delayMs?: number;
  /** V8's flags (process-wide); replaced in tests. */
  setFlag?: (flag: string) => void;
  collect?: () => Promise<unknown>;
}

export function createIdleMemory({ delayMs = DELAY_MS, setFlag = setFlagsFromString, collect = startCollection }: IdleMemoryOptions = {}) {
  let polls = 0;
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  let collecting = false;
  let waiting: (() => void)[] = [];

  const settleWaiting = () => {
    collecting = false;
    const resolvers = waiting;
    waiting = [];
    for (const resolve of resolvers) resolve();
  };

  function enterIdle(): void {
    timer = undefined;
    idle = true;
    setFlag(FAVOUR_MEMORY);
    collecting = true;
    collect().then(settleWaiting, settleWaiting);
  }

  return {
    /** A poll starts: V8 favours speed until every poll has ended. Returns what to call when it ends. */
    pollStarted(): () => void {
      polls++;
      clearTimeout(timer);
      timer = undefined;
      settleWaiting();
      if (idle) {
        idle = false;
        setFlag(FAVOUR_SPEED);
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        polls--;
        if (polls > 0) return;
        timer = setTimeout(enterIdle, delayMs);
        // Never what keeps a process alive.
        timer.unref();
      };
    },
    /** Resolves once the collection that idle begins with has finished (or a poll started first). */
    settled(): Promise<void> {
      if (!timer && !collecting) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
    /** The app is closing: nothing more is started. */
    dispose(): void {
      clearTimeout(timer);
      timer = undefined;
      settleWaiting();
    },
  };
}

export type IdleMemory = ReturnType<typeof createIdleMemory>;
