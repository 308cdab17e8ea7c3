// What-if: a draft check evaluated on the current inventory without saving, compared with the saved version. Both
// are judged as of the poll that fetched the inventory, as that poll judged them, not as of the moment of asking.
import type { PostureResult } from '../../../src-shared/schemas/posture-log';
import type { PostureCheck, PostureCheckInput, ResultCounts, WhatIfFlip, WhatIfResult } from '../../../src-shared/schemas/posture';
import { compileCheck, contextOf } from './evaluate';
import { subjectsOf, type Match } from './match';

export interface WhatIfInput {
  /** Validated against the providers by the caller (checks.validateCheck). */
  draft: PostureCheckInput;
  /** The saved version of the same check; null for a new one. */
  saved: PostureCheck | null;
  match: Match;
  /** Used only when the provider has no poll yet (there is nothing to evaluate then). */
  now: number;
  limit?: number;
  /** Display names of the sources, for presence checks' wording. */
  sourceNames?: (providerId: string) => string | undefined;
}

/** Worst news first: a device that would newly fail, then one that would become unknown, then one that would pass. */
const FLIP_ORDER: Record<PostureResult, number> = { fail: 0, unknown: 1, pass: 2 };

/** When the provider's inventory was evaluated by its poll: last-seen ages and staleness are measured from there. */
function polledAt(match: Match, providerId: string): number | undefined {
  return match.snapshots.find((s) => s.providerId === providerId)?.evaluatedAt;
}

export function whatIf(input: WhatIfInput): WhatIfResult {
  const draft: PostureCheck = { ...input.draft, id: input.draft.id ?? 'draft', enabled: true };
  const limit = input.limit ?? 500;
  const asOf = polledAt(input.match, draft.providerId) ?? input.now;
  const context = contextOf(input.match.snapshots, input.sourceNames);

  let savedCounts: ResultCounts | null = null;
  const before = new Map<string, PostureResult>();
  if (input.saved) {
    savedCounts = { pass: 0, fail: 0, unknown: 0 };
    const saved = compileCheck(input.saved, context);
    const savedAsOf = polledAt(input.match, input.saved.providerId) ?? input.now;
    for (const subject of subjectsOf(input.match, input.saved.providerId)) {
      const result = saved.evaluate(subject, savedAsOf).result;
      savedCounts[result]++;
      before.set(subject.deviceKey, result);
    }
  }

  const counts: ResultCounts = { pass: 0, fail: 0, unknown: 0 };
  const flips: WhatIfFlip[][] = [[], [], []];
  let flipsTotal = 0;
  const compiled = compileCheck(draft, context);
  const subjects = subjectsOf(input.match, draft.providerId);
  for (const subject of subjects) {
    const evaluation = compiled.evaluate(subject, asOf);
    counts[evaluation.result]++;
    const previous = before.get(subject.deviceKey) ?? null;
    if (previous === evaluation.result) continue;
    flipsTotal++;
    const bucket = flips[FLIP_ORDER[evaluation.result]] as WhatIfFlip[];
    // Only the first `limit` of each kind can be shown; a new check would otherwise list the whole fleet.
    if (bucket.length >= limit) continue;
    bucket.push({
      deviceKey: subject.deviceKey,
      deviceName: subject.deviceName,
      serial: subject.serial,
      before: previous,
      after: evaluation.result,
      expected: evaluation.expected,
      received: evaluation.received,
      reason: evaluation.reason,
    });
  }

  return {
    providerId: draft.providerId,
    evaluatedAt: asOf,
    devices: subjects.length,
    counts,
    savedCounts,
    flips: flips.flat().slice(0, limit),
    flipsTotal,
  };
}
