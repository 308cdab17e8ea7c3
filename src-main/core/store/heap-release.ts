// Gives a thread's freed heap back to the system. V8 keeps the pages a collection frees pooled for reuse, so a worker
// that dropped a large structure still holds its memory; only a memory-reducing collection returns those pages.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let collect: Collect | undefined;

/**
 * A full, memory-reducing collection of the calling thread's heap (it holds that thread only: call it from a worker).
 * V8 offers it only as the `gc` of a context made while `--expose-gc` is set; the flag is cleared again at once, so
 * no other context gets a `gc` global. The flag is process-wide: another thread clearing it between our two calls
 * leaves the new context without `gc`, so this returns false and the next release tries again (it never throws).
 */
export function releaseHeap(): boolean {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    try {
      collect = runInNewContext('typeof gc === "function" ? gc : undefined') as Collect | undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
    if (!collect) return false;
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return true;
}
