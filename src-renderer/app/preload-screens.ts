// Once the first screen is up and its data in, the other screens' chunks load one at a time while the window
// is idle, so opening one later costs a render rather than a fetch and a compile.
import type { QueryClient } from '@tanstack/react-query';

/** Performance mark set when every screen is preloaded (read by bench/renderer.bench.ts, visible in DevTools). */
export const SCREENS_PRELOADED_MARK = 'posture-console:screens-preloaded';
/** How long the preloads wait for the first screen's queries to settle before going ahead anyway. */
const SETTLE_LIMIT_MS = 5_000;

function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: 2_000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 50);
  return () => clearTimeout(handle);
}

/** Runs each preload in turn, each in an idle period once no query is fetching; returns a stop function. */
export function preloadWhenIdle(client: QueryClient, preloads: readonly (() => Promise<unknown>)[]): () => void {
  const started = performance.now();
  let cancel = () => {};
  let stopped = false;
  const step = (index: number) => {
    if (stopped) return;
    if (index >= preloads.length) {
      performance.mark(SCREENS_PRELOADED_MARK);
      return;
    }
    // The first screen's data comes first: a chunk compiled meanwhile would delay its rows.
    if (client.isFetching() > 0 && performance.now() - started < SETTLE_LIMIT_MS) {
      const timer = setTimeout(() => (cancel = whenIdle(() => step(index))), 100);
      cancel = () => clearTimeout(timer);
      return;
    }
    // A chunk that fails to load now is fetched again when its screen opens.
    void preloads[index]!()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) cancel = whenIdle(() => step(index + 1));
      });
  };
  cancel = whenIdle(() => step(0));
  return () => {
    stopped = true;
    cancel();
  };
}
