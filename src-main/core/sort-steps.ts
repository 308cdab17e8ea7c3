// A stable merge sort as steps (see time-slice.ts), for lists too long to sort in one slice: ordering a 100k-device
// inventory with a collator costs about a second of CPU. Its result is the one `Array.prototype.sort` gives with
// the same comparator (both are stable).
import { runToEnd } from './time-slice';

/** Comparisons between two yields: a runner checks its clock only every few hundred steps, so a step stays small. */
const COMPARES_PER_STEP = 16;

export function* sortSteps<T>(items: readonly T[], compare: (a: T, b: T) => number): Generator<void, T[]> {
  const n = items.length;
  let from = items.slice();
  let to = new Array<T>(n);
  let compares = 0;
  // Bottom-up: merge runs of 1, 2, 4, … into the other array, then swap the two.
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // The left run wins ties: equal items keep their order.
        to[k++] = compare(from[j]!, from[i]!) < 0 ? from[j++]! : from[i++]!;
        if (++compares === COMPARES_PER_STEP) {
          compares = 0;
          yield;
        }
      }
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** sortSteps at once (small lists and tests). */
export function sortAll<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return runToEnd(sortSteps(items, compare));
}
