// The messages between the store (main thread) and its worker. Types and one constant only, so the main
// thread never loads the SQLite modules.
import type { ErrorBody } from '../../../src-shared/errors';
import type { StoreCore } from './sync-store';

/**
 * Methods the main thread may call; `prune` runs in the worker as batches interleaved with other requests.
 * The store's `ingest` travels as `ingestPacked`.
 */
export type RemoteMethods = Pick<
  StoreCore,
  | 'ingest'
  | 'ingestPacked'
  | 'queryLog'
  | 'countLog'
  | 'resultAt'
  | 'latestForDevices'
  | 'stats'
  | 'prune'
  | 'incidents'
  | 'users'
  | 'outbox'
  | 'audit'
  | 'exportOpen'
  | 'exportNext'
  | 'exportClose'
  | 'close'
>;
export type Request = { id: number; method: keyof RemoteMethods; args: unknown[] };
export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorBody };
/** `releaseAfterMs`: how long after a poll's write the worker gives back its memory (worker.ts RELEASE_AFTER_MS). */
export type WorkerInput = { file: string; releaseAfterMs?: number };

/** Id of the message that reports whether the database opened. */
export const READY = 0;
