// One posture poll of one provider: fetch its inventory, replace its snapshot, match across providers, evaluate
// every enabled check of that provider on every device, and hand back the log rows and a summary.
import { randomUUID } from 'node:crypto';
import type { PostureCheck, PollProgress, PollSummary } from '../../../src-shared/schemas/posture';
import type { PollEvaluations } from '../../../src-shared/schemas/posture-log';
import { createPollPacker, unpackRows, type PackedPoll } from '../store/packed-poll';
import { contextOf, evaluateSliced } from './evaluate';
import type { Inventory } from './current-inventory';
import { eachSubject } from './match';
import { sourceModule, type PostureSource } from '../providers/registry';

/** The client calls a posture poll needs, by provider kind (see providers/registry.ts). */
export type { PostureSource } from '../providers/registry';

export interface PosturePollInput {
  providerId: string;
  pollIntervalMs: number;
  source: PostureSource;
  /** All checks; the poll evaluates the enabled ones of this provider. */
  checks: readonly PostureCheck[];
  inventory: Inventory;
  now: () => number;
  pollId?: string;
  /** Display names of the sources, for presence checks' wording ("present in Intune"). */
  sourceNames?: (providerId: string) => string | undefined;
  signal?: AbortSignal;
  onProgress?: (progress: PollProgress) => void;
}

export interface PosturePollOutcome {
  /** What the posture-log store ingests, packed as it was evaluated (the store takes this form). */
  packed: PackedPoll;
  /** The same evaluations as rows, unpacked from `packed` when read (tests and tools; a poll never needs them). */
  evaluations: PollEvaluations;
  /** How many evaluations (rows) the poll made. */
  rows: number;
  summary: PollSummary;
}

export async function pollPosture(input: PosturePollInput): Promise<PosturePollOutcome> {
  const pollId = input.pollId ?? randomUUID();
  const fetchedAt = input.now();
  const source = input.source;
  const fetched = await sourceModule(source.kind).observe(source.client, {
    providerId: input.providerId,
    signal: input.signal,
    onProgress: input.onProgress,
    // A source that scores devices others report (the custom endpoint) asks about the current inventory.
    knownDevices: () => input.inventory.match().devices.filter((d) => d.records.some((r) => r.observation.providerId !== input.providerId)),
  });
  // A cancelled poll changes nothing, not even the inventory.
  input.signal?.throwIfAborted();

  // One time for the whole evaluation, kept with the snapshot so a what-if on it judges ages the same way.
  const evaluatedAt = input.now();
  input.inventory.put({
    providerId: input.providerId,
    kind: fetched.kind,
    fetchedAt,
    evaluatedAt,
    pollIntervalMs: input.pollIntervalMs,
    observations: fetched.observations,
  });
  input.onProgress?.({ phase: 'matching', done: 0, total: 1 });
  // In slices: matching and evaluating a large fleet must not hold the event loop (the screens keep answering).
  const match = await input.inventory.matchSliced();
  input.onProgress?.({ phase: 'matching', done: 1, total: 1 });

  const checks = input.checks.filter((c) => c.enabled && c.providerId === input.providerId);
  const devices = fetched.observations.length;
  input.onProgress?.({ phase: 'evaluating', done: 0, total: devices });
  const packer = createPollPacker(devices * checks.length);
  const context = contextOf(match.snapshots, input.sourceNames);
  const batch = await evaluateSliced(eachSubject(match, input.providerId), checks, evaluatedAt, (row) => packer.add(row), context);
  input.onProgress?.({ phase: 'evaluating', done: batch.subjects, total: batch.subjects });
  const packed = packer.finish({ pollId, providerId: input.providerId, evaluatedAt });

  return {
    packed,
    evaluations: {
      pollId,
      providerId: input.providerId,
      evaluatedAt,
      get rows() {
        return unpackRows(packed);
      },
    },
    rows: packer.rows,
    summary: {
      pollId,
      providerId: input.providerId,
      evaluatedAt,
      records: fetched.observations.length,
      devices: batch.subjects,
      checks: checks.length,
      counts: batch.counts,
      unknownBy: batch.unknownBy,
      setAside: fetched.setAside,
      unreadable: fetched.unreadable,
      warnings: fetched.warnings,
    },
  };
}
