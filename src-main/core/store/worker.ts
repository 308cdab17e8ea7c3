// The store's worker thread: a thin message loop around the synchronous core, so SQLite never blocks the
// thread that calls the store. Writes run one at a time in arrival order; retention yields between batches, and
// a poll's write yields every few thousand rows with its transaction open, while reads are answered from the
// last committed state on a second connection.
import { parentPort, workerData } from 'node:worker_threads';
import { ContractError, type ErrorBody } from '../../../src-shared/errors';
import { openLogReads, openStoreCore, type LogReads, type StoreCore, type StoreEngines } from './sync-store';
import type { IngestOptions, IngestResult } from './ingest';
import type { PackedPoll } from './packed-poll';
import { READY, type Request, type Response, type WorkerInput } from './protocol';
import type { PruneOptions, PruneResult } from './retention';
import { releaseHeap } from './heap-release';

function errorBody(error: unknown): ErrorBody {
  if (error instanceof ContractError) return error.toBody();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'store.failed', message: `The posture log failed: ${message}` };
}

/** An export chunk's bytes move to the main thread instead of being copied. */
function transferables(value: unknown): ArrayBuffer[] {
  const bytes = (value as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

/** Writes that fill the ingest mirror. */
const INGESTS = new Set<Request['method']>(['ingest', 'ingestPacked']);

/**
 * How long the worker waits after a poll's write, with no write since, before it gives back the mirror and the
 * freed heap: polls of one provider come minutes apart, while writes in a burst (several providers at once, a
 * back-fill) keep the mirror between them.
 */
export const RELEASE_AFTER_MS = 1000;

const READS = new Set<Request['method']>(['queryLog', 'countLog', 'resultAt', 'latestForDevices', 'stats']);
/** Work that does not touch the store's connection: exports read on their own, and `close` cuts in. The rest queues. */
const DIRECT = new Set<Request['method']>(['exportOpen', 'exportNext', 'exportClose', 'close']);

function serve(port: NonNullable<typeof parentPort>, { file, releaseAfterMs = RELEASE_AFTER_MS }: WorkerInput, engines: StoreEngines) {
  let core: StoreCore;
  try {
    core = openStoreCore(file, engines);
  } catch (error) {
    port.postMessage({ id: READY, ok: false, error: errorBody(error) } satisfies Response);
    return;
  }
  let closed = false;
  /** Set while a poll's transaction is open across steps: reads go to `snapshot` then. */
  let ingesting = false;
  let snapshot: (LogReads & { close(): void }) | undefined;
  /** Writes (and everything that is not a read) chain here so a poll's open transaction is never entered twice. */
  let writes: Promise<unknown> = Promise.resolve();
  let queuedWrites = 0;
  /** A poll was written since the last release: the mirror and the heap it grew are held. */
  let held = false;
  let releaseTimer: NodeJS.Timeout | undefined;

  /** Between polls, the ingest mirror and SQLite's cache go, and a memory-reducing collection returns the pages. */
  function release() {
    if (closed || queuedWrites > 0 || !held) return;
    held = false;
    core.releaseMemory();
    releaseHeap();
  }

  async function ingestPacked(packed: PackedPoll, options?: IngestOptions): Promise<IngestResult> {
    const steps = core.ingestPackedSteps(packed, options);
    ingesting = true;
    try {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed) {
          // Closing rolls the poll back: it was never committed, and the caller hears so.
          steps.return(undefined as never);
          throw new ContractError({ code: 'store.closed', message: 'The posture log closed before the poll was written; it was not stored.' });
        }
      }
    } finally {
      ingesting = false;
      snapshot?.close();
      snapshot = undefined;
    }
  }

  async function prune(options?: PruneOptions): Promise<PruneResult> {
    const steps = core.pruneSteps(options);
    for (;;) {
      const step = steps.next();
      // Closing cuts retention short; what it did so far stands.
      if (step.done || closed) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async function handle({ method, args }: Request): Promise<unknown> {
    if (closed) throw new ContractError({ code: 'store.closed', message: 'The posture log is closed.' });
    switch (method) {
      case 'prune':
        return prune(args[0] as PruneOptions | undefined);
      case 'ingestPacked':
        return ingestPacked(args[0] as PackedPoll, args[1] as IngestOptions | undefined);
      case 'close':
        closed = true;
        snapshot?.close();
        core.close();
        return undefined;
      default:
        return (core[method] as (...a: unknown[]) => unknown)(...args);
    }
  }

  /** Reads answer at once: from the snapshot while a poll is being written, else from the store's connection. */
  function route(request: Request): Promise<unknown> {
    if (READS.has(request.method) && !closed) {
      // A read-only view of the committed log, opened by the first read during a poll (most polls get none) and
      // closed after it, so its page cache is not held between polls.
      const reads: LogReads = ingesting ? (snapshot ??= openLogReads(file)) : core;
      return Promise.resolve().then(() => (reads[request.method as keyof LogReads] as (...a: unknown[]) => unknown)(...request.args));
    }
    if (DIRECT.has(request.method)) return handle(request);
    queuedWrites++;
    clearTimeout(releaseTimer);
    const done = writes.then(() => handle(request));
    writes = done
      .catch(() => undefined)
      .finally(() => {
        if (INGESTS.has(request.method)) held = true;
        if (--queuedWrites === 0 && held && !closed) releaseTimer = setTimeout(release, releaseAfterMs).unref();
      });
    return done;
  }

  let inFlight = 0;
  port.on('message', (request: Request) => {
    inFlight++;
    route(request)
      .then(
        (value) => port.postMessage({ id: request.id, ok: true, value } satisfies Response, transferables(value)),
        (error: unknown) => port.postMessage({ id: request.id, ok: false, error: errorBody(error) } satisfies Response),
      )
      .finally(() => {
        // Once closed and answered, let the thread end: a retention loop cut short still reports first.
        if (--inFlight === 0 && closed) port.close();
      });
  });
  port.postMessage({ id: READY, ok: true, value: null } satisfies Response);
}

/** Serves the store in this worker thread, running `engines` for the layers above it (an entry file calls this). */
export function serveStore(engines: StoreEngines = {}): void {
  if (parentPort) serve(parentPort, workerData as WorkerInput, engines);
}
