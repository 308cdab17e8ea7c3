// The store's worker thread: a thin message loop around the synchronous core, so SQLite never blocks the
// thread that calls the store. Requests run one at a time in arrival order; retention yields between batches.
import { parentPort, workerData } from 'node:worker_threads';
import { ContractError, type ErrorBody } from '../../../src-shared/errors';
import { openStoreCore, type StoreCore, type StoreEngines } from './sync-store';
import { READY, type Request, type Response, type WorkerInput } from './protocol';
import type { PruneOptions, PruneResult } from './retention';

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

function serve(port: NonNullable<typeof parentPort>, { file }: WorkerInput, engines: StoreEngines) {
  let core: StoreCore;
  try {
    core = openStoreCore(file, engines);
  } catch (error) {
    port.postMessage({ id: READY, ok: false, error: errorBody(error) } satisfies Response);
    return;
  }
  let closed = false;

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
      case 'close':
        closed = true;
        core.close();
        return undefined;
      default:
        return (core[method] as (...a: unknown[]) => unknown)(...args);
    }
  }

  let inFlight = 0;
  port.on('message', (request: Request) => {
    inFlight++;
    handle(request)
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
