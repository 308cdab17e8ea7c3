// The posture log as the rest of the main process sees it: an async API whose SQLite work runs in a
// worker thread, so polling, IPC and the UI never wait on the disk.
import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';
import { ContractError } from '../../../src-shared/errors';
import type { IngestResult } from './ingest';
import { packedTransfer, packPoll } from './packed-poll';
import { READY, type RemoteMethods, type Request, type Response, type WorkerInput } from './protocol';

export type Store = {
  [M in keyof RemoteMethods]: (...args: Parameters<RemoteMethods[M]>) => Promise<Awaited<ReturnType<RemoteMethods[M]>>>;
};

/** Same shape as electron-vite's `import createWorker from './worker?nodeWorker'`. */
export type CreateWorker = (options: WorkerOptions) => Worker;

export type OpenStoreOptions = {
  /** The SQLite file; created and migrated when missing. */
  file: string;
  /**
   * Starts the worker. Bundled builds must pass electron-vite's `?nodeWorker` import of `./worker`.
   * Omitted, the worker runs from this TypeScript source, which works in Node ≥ 22.18 and vitest.
   */
  createWorker?: CreateWorker;
  /** How long after a poll's write the worker gives back its memory (default worker.ts RELEASE_AFTER_MS). */
  releaseAfterMs?: number;
};

/**
 * The worker's young generation. Left to V8 (192 MB on this kind of machine) its new space grows to 128 MB while a
 * large poll is written and stays committed afterwards, as much as the whole mirror of a 50k-device fleet; the
 * worker's short-lived objects (a batch of rows, a page of results) fit in far less.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

// Not literals inside `new URL(…)`: a bundler must not mistake the source files for assets to copy.
const WORKER_SOURCE = './plain-worker.ts';
const TS_SOURCE = './ts-source.ts';

/** Runs a worker entry from source: registers the `.ts` resolver in the new thread, then loads the entry. */
export function workerFromSource(entry: URL): CreateWorker {
  return (options) => {
    if (!import.meta.url.endsWith('.ts'))
      throw new Error("openStore: running from a bundle; pass createWorker from `import createWorker from './store-worker?nodeWorker'`.");
    const hooks = new URL(TS_SOURCE, import.meta.url).href;
    return new Worker(`import(${JSON.stringify(hooks)}).then(() => import(${JSON.stringify(entry.href)}))`, {
      ...options,
      eval: true,
    });
  };
}

/** The store alone (no incident engine) from source; the app passes its composed worker instead. */
export const sourceWorker: CreateWorker = workerFromSource(new URL(WORKER_SOURCE, import.meta.url));

export async function openStore({ file, createWorker = sourceWorker, releaseAfterMs }: OpenStoreOptions): Promise<Store> {
  const workerData: WorkerInput = { file, releaseAfterMs };
  const worker = createWorker({ workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = READY + 1;
  let failure: Error | null = null;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  worker.on('message', (message: Response) => {
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new ContractError(message.error));
  });
  worker.on('error', (error) => failAll(new ContractError({ code: 'store.failed', message: `The posture log worker failed: ${error.message}` })));
  worker.on('exit', () => failAll(new ContractError({ code: 'store.closed', message: 'The posture log is closed.' })));

  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const ready = new Promise((resolve, reject) => pending.set(READY, { resolve, reject }));
  const call = (method: Request['method'], args: unknown[], transfer: Transferable[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies Request, transfer);
    });

  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const remote =
    <M extends keyof RemoteMethods>(method: M) =>
    (...args: Parameters<RemoteMethods[M]>) =>
      call(method, args) as Promise<Awaited<ReturnType<RemoteMethods[M]>>>;

  return {
    // Packed, a poll costs the worker a few flat copies instead of one string per field per row.
    ingest(poll, options) {
      const packed = packPoll(poll);
      return call('ingestPacked', [packed, options], packedTransfer(packed)) as Promise<IngestResult>;
    },
    /** A poll already packed (posture packs as it evaluates); its buffers are handed over, not copied (the poll is spent). */
    ingestPacked(packed, options) {
      return call('ingestPacked', [packed, options], packedTransfer(packed)) as Promise<IngestResult>;
    },
    queryLog: remote('queryLog'),
    countLog: remote('countLog'),
    resultAt: remote('resultAt'),
    latestForDevices: remote('latestForDevices'),
    stats: remote('stats'),
    prune: remote('prune'),
    incidents: remote('incidents'),
    users: remote('users'),
    outbox: remote('outbox') as Store['outbox'],
    audit: remote('audit'),
    exportOpen: remote('exportOpen'),
    exportNext: remote('exportNext'),
    exportClose: remote('exportClose'),
    async close() {
      if (failure) return;
      await call('close', []);
      await exited;
    },
  };
}
