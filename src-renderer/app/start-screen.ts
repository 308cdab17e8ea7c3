// What a cold start asks for before React mounts: the chunk of the screen in the address and, for the Posture Log,
// its first page of rows, so the request leaves with the main chunk's evaluation instead of after the mount, the
// chunk's fetch and the first render (and ahead of the shell's own calls on the browser's few connections). The
// shell's own data (app info, theme, providers) and the log's filter lists and total follow at once, so they are
// in the cache when React first renders: one pass shows them instead of a second render of every row just before
// the first paint (provider names arrive with the providers).
import type { QueryClient } from '@tanstack/react-query';
import { appInfoQuery, uiSettingsQuery } from '../api/app';
import { logChecksQuery, postureLogCount, postureLogPages } from '../api/posture-log';
import { providersQuery } from '../api/providers';
import { logFilterOf, usePostureLogFilters } from '../state/posture-log-filters';
import { screens } from './screens';

type ScreenKey = keyof typeof screens;

/** The screen a hash route (`#/posture-log?…`) shows first, as its key in `screens`; the root is the Dashboard. */
export function screenOfHash(hash: string): ScreenKey | undefined {
  const section = hash.replace(/^#/, '').split('?')[0]!.split('/')[1] ?? '';
  if (section === '' || section.startsWith('token=')) return 'dashboard';
  const key = section.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return key in screens ? (key as ScreenKey) : undefined;
}

/**
 * Starts the first screen's chunk and, on the Posture Log, its first page under the key the table reads (the same
 * filters, sort and query function), so the table finds it in the cache or in flight and sends nothing again. A deep
 * link's parameters replace the filters at mount, so the page is not guessed then.
 */
export function startFirstScreen(client: QueryClient, hash: string): { screen: ScreenKey | undefined; chunk: Promise<void>; data: Promise<void> } {
  const key = screenOfHash(hash);
  if (!key) return { screen: undefined, chunk: Promise.resolve(), data: Promise.resolve() };
  // A chunk that fails here is fetched again when the screen renders.
  const chunk = screens[key].preload().then(
    () => undefined,
    () => screens[key].retry(),
  );
  const postureLog = key === 'postureLog';
  let data = Promise.resolve();
  if (postureLog && !hash.includes('?')) {
    const filters = usePostureLogFilters.getState();
    const filter = logFilterOf(filters, filters.text);
    // Settles (never rejects) once the page is in or has failed; the table shows either.
    data = client.prefetchInfiniteQuery(postureLogPages(filter, filters.sort));
    void client.prefetchQuery(postureLogCount(filter));
  }
  // After the page of rows, so the store answers that first.
  void client.prefetchQuery(appInfoQuery);
  void client.prefetchQuery(uiSettingsQuery);
  void client.prefetchQuery(providersQuery);
  if (postureLog) void client.prefetchQuery(logChecksQuery);
  return { screen: key, chunk, data };
}

/**
 * The longest the first mount waits for the first screen's rows (beyond its chunk). Mounted before them, the screen
 * renders twice on the way to its first rows (empty, then again with them), each pass as costly as the other.
 */
export const FIRST_DATA_WAIT_MS = 300;

/** Settles when the first screen's chunk is in and its rows are in too, or `dataLimitMs` has passed without them. */
export function firstScreenReady(start: { chunk: Promise<void>; data: Promise<void> }, dataLimitMs = FIRST_DATA_WAIT_MS): Promise<void> {
  const limit = new Promise<void>((resolve) => setTimeout(resolve, dataLimitMs));
  return Promise.all([start.chunk, Promise.race([start.data, limit])]).then(() => undefined);
}

/** The longest the first mount waits for the first screen's chunk before it shows the loading status instead. */
export const FIRST_CHUNK_WAIT_MS = 1_000;

/**
 * Mounts once the first screen's chunk is in (or after `limitMs`): the screen then renders in the same pass as the
 * shell instead of suspending, and React reveals a suspended screen's content only in batches, 300 ms apart.
 */
export function mountAfter(chunk: Promise<void>, mount: () => void, limitMs = FIRST_CHUNK_WAIT_MS): void {
  let mounted = false;
  const once = () => {
    if (mounted) return;
    mounted = true;
    clearTimeout(timer);
    mount();
  };
  const timer = setTimeout(once, limitMs);
  void chunk.then(once, once);
}
