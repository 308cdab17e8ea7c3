// Screens behind their own chunks: a loading status until the chunk is in, no status at all once it was
// preloaded, a failed chunk said in words and fetched again on "Try again"; the idle preloads wait for the
// first screen's queries and run one at a time.
import { MantineProvider } from '@mantine/core';
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Suspense, type ComponentType, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyScreen, ScreenErrorBoundary, ScreenLoading } from './lazy-screen';
import { preloadWhenIdle, SCREENS_PRELOADED_MARK } from './preload-screens';

afterEach(() => {
  cleanup();
  performance.clearMarks(SCREENS_PRELOADED_MARK);
});

/** A chunk whose arrival the test decides. */
function chunk() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  let loads = 0;
  const load = () => {
    loads++;
    return new Promise<(props: { name: string }) => ReactNode>((res, rej) => {
      resolve = () => res(({ name }) => <h2>{name}</h2>);
      reject = rej;
    });
  };
  return { load, resolve: () => resolve(), reject: (e: Error) => reject(e), loads: () => loads };
}

let fallbacks = 0;
/** The loading status, counted each time React renders it. */
function CountedLoading() {
  fallbacks++;
  return <ScreenLoading />;
}

/** Rendered inside an awaited act: a render that suspends needs it for React to retry once the chunk is in. */
async function renderScreen(Screen: ComponentType<{ name: string }>, onRetry = () => {}) {
  fallbacks = 0;
  await act(async () => {
    render(
      <MantineProvider>
        <ScreenErrorBoundary resetKey="posture-log" onRetry={onRetry}>
          <Suspense fallback={<CountedLoading />}>
            <Screen name="Posture Log" />
          </Suspense>
        </ScreenErrorBoundary>
      </MantineProvider>,
    );
  });
}

/** Settles a chunk the way the browser would, between renders. */
const arrive = (settle: () => void) =>
  act(async () => {
    settle();
    await new Promise((r) => setTimeout(r, 0));
  });

describe('lazyScreen', () => {
  it('shows a loading status until the chunk arrives, then the screen', async () => {
    const c = chunk();
    const { Screen } = lazyScreen(c.load);
    await renderScreen(Screen);
    expect(fallbacks).toBeGreaterThan(0);
    expect(screen.getByRole('status').textContent).toContain('Loading');
    expect(screen.queryByRole('heading')).toBeNull();
    await arrive(c.resolve);
    expect(await screen.findByRole('heading', { name: 'Posture Log' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(c.loads()).toBe(1);
  });

  it('renders a preloaded screen in its first commit, with no loading status', async () => {
    const c = chunk();
    const { Screen, preload } = lazyScreen(c.load);
    const loading = preload();
    c.resolve();
    await loading;
    await renderScreen(Screen);
    expect(screen.getByRole('heading', { name: 'Posture Log' })).toBeTruthy();
    expect(fallbacks).toBe(0);
    expect(c.loads()).toBe(1);
  });

  it('says when a chunk fails to load, fetches it once, and "Try again" fetches it afresh', async () => {
    const c = chunk();
    const { Screen, retry } = lazyScreen(c.load);
    await renderScreen(Screen, retry);
    await arrive(() => c.reject(new Error('Failed to fetch dynamically imported module')));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This screen could not be shown');
    expect(alert.textContent).toContain('Failed to fetch dynamically imported module');
    await new Promise((r) => setTimeout(r, 50));
    expect(c.loads()).toBe(1);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    expect(screen.getByRole('status')).toBeTruthy();
    expect(c.loads()).toBe(2);
    await arrive(c.resolve);
    expect(await screen.findByRole('heading', { name: 'Posture Log' })).toBeTruthy();
  });
});

describe('preloadWhenIdle', () => {
  it('waits for the fetching queries, then preloads one chunk at a time and marks the end', async () => {
    const client = new QueryClient();
    let answer!: (rows: number) => void;
    void client.fetchQuery({ queryKey: ['first-screen'], queryFn: () => new Promise<number>((r) => (answer = r)) });
    const events: string[] = [];
    let inFlight = 0;
    const preloads = ['dashboard', 'rules', 'devices'].map((name) => async () => {
      events.push(`${name} start, ${client.isFetching()} fetching, ${inFlight} in flight`);
      inFlight++;
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    });
    const stop = preloadWhenIdle(client, preloads);
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    answer(1);
    await expect.poll(() => performance.getEntriesByName(SCREENS_PRELOADED_MARK).length, { timeout: 5_000 }).toBe(1);
    expect(events).toEqual(['dashboard start, 0 fetching, 0 in flight', 'rules start, 0 fetching, 0 in flight', 'devices start, 0 fetching, 0 in flight']);
    stop();
  });

  it('stops when asked (the shell unmounted), leaving the rest unloaded', async () => {
    const client = new QueryClient();
    const started: number[] = [];
    const stop = preloadWhenIdle(
      client,
      [0, 1, 2].map((i) => async () => void started.push(i)),
    );
    stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toEqual([]);
    expect(performance.getEntriesByName(SCREENS_PRELOADED_MARK)).toHaveLength(0);
  });
});
