// The first screen is started before React mounts: the Posture Log's first page leaves at once, and the table then
// reads that request (in flight or answered) instead of sending its own; a deep link's page is not guessed.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogPage } from '../../src-shared/schemas/posture-log';
import { useAppInfo, useUiSettings } from '../api/app';
import { postureLogPages, useLogChecks, usePostureLog, usePostureLogCount } from '../api/posture-log';
import { useProviders } from '../api/providers';
import { logFilterOf, usePostureLogFilters } from '../state/posture-log-filters';
import { screens } from './screens';
import { firstCalls } from './first-calls';
import { firstScreenReady, mountAfter, screenOfHash, startFirstScreen } from './start-screen';

const sent: { channel: string; req: unknown }[] = [];
let answer: (page: LogPage) => void = () => {};

beforeAll(() => {
  // The bridge the Electron preload would give: every call recorded; a log page answered when the test says.
  window.postureConsole = {
    invoke: (channel, req) => {
      sent.push({ channel, req });
      if (channel !== 'postureLog.query') return Promise.resolve({ ok: true, value: [] });
      return new Promise((resolve) => (answer = (page) => resolve({ ok: true, value: page })));
    },
    subscribe: () => () => {},
  };
});

let client: QueryClient;
beforeEach(() => {
  sent.length = 0;
  client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } });
});
const queries = () => sent.filter((s) => s.channel === 'postureLog.query');

const row = { id: 'r1' } as LogPage['rows'][number];

describe('the first screen, started before the mount', () => {
  it('finds the screen in the address: sections, their sub-paths, deep links, the token and the root', () => {
    expect(screenOfHash('#/posture-log')).toBe('postureLog');
    expect(screenOfHash('#/posture-log?result=fail')).toBe('postureLog');
    expect(screenOfHash('#/incidents/INC0000001')).toBe('incidents');
    expect(screenOfHash('#/status')).toBe('status');
    expect(screenOfHash('#token=abc')).toBe('dashboard');
    expect(screenOfHash('')).toBe('dashboard');
    expect(screenOfHash('#/nowhere')).toBeUndefined();
  });

  it('sends the Posture Log first page before the table mounts, and the table uses it rather than asking again', async () => {
    expect(startFirstScreen(client, '#/posture-log').screen).toBe('postureLog');
    expect(queries()).toHaveLength(1);

    const filters = usePostureLogFilters.getState();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const table = renderHook(() => usePostureLog(logFilterOf(filters, filters.text), filters.sort, { enabled: true }), { wrapper });
    // Mounted while the request is still in flight: it waits for that one.
    expect(queries()).toHaveLength(1);
    answer({ rows: [row], nextCursor: 'c1' });
    await waitFor(() => expect(table.result.current.data?.pages[0]?.rows).toEqual([row]));
    expect(queries()).toHaveLength(1);
    expect(queries()[0]!.req).toMatchObject({ view: filters.view, sort: filters.sort, cursor: undefined });
    expect(table.result.current.hasNextPage).toBe(true);
  });

  it('tells when the first page is in, so the mount can wait for it', async () => {
    const { data } = startFirstScreen(client, '#/posture-log');
    let settled = false;
    void data.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    answer({ rows: [row], nextCursor: null });
    await data;
    expect(
      client.getQueryData(
        postureLogPages(logFilterOf(usePostureLogFilters.getState(), usePostureLogFilters.getState().text), usePostureLogFilters.getState().sort).queryKey,
      ),
    ).toBeDefined();
  });

  it("asks for the shell's data and the log's checks and total right after the page, and the screen's hooks read them instead of asking again", async () => {
    startFirstScreen(client, '#/posture-log');
    const channels = sent.map((s) => s.channel);
    expect(channels[0]).toBe('postureLog.query');
    expect(new Set(channels.slice(1))).toEqual(new Set(['postureLog.count', 'app.info', 'settings.get', 'providers.list', 'checks.list']));
    expect(channels).toHaveLength(6);

    const filters = usePostureLogFilters.getState();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const hooks = renderHook(
      () => [useAppInfo(), useUiSettings(), useProviders(), useLogChecks(), usePostureLogCount(logFilterOf(filters, filters.text), { enabled: true })],
      { wrapper },
    );
    await waitFor(() => expect(hooks.result.current.every((q) => q.isSuccess)).toBe(true));
    expect(sent).toHaveLength(6);
  });

  it("asks for the shell's data, and none of the log's, when another screen is first", () => {
    startFirstScreen(client, '#/status');
    expect(sent.map((s) => s.channel).sort()).toEqual(['app.info', 'providers.list', 'settings.get']);
  });

  it('leaves a deep link to the page, whose parameters replace the filters at mount', () => {
    startFirstScreen(client, '#/posture-log?result=fail');
    expect(queries()).toHaveLength(0);
  });

  it("sends exactly the calls the build's table of first calls lists, which the web host sends ahead", () => {
    for (const section of ['posture-log', 'dashboard', 'incidents', 'status']) {
      sent.length = 0;
      startFirstScreen(new QueryClient(), `#/${section}`);
      // As the transport serializes them: the table's bodies must be these, byte for byte, to be taken.
      const asSent = sent.map((s) => [s.channel, JSON.stringify(s.req)]);
      expect(asSent, section).toEqual(firstCalls(section).map((c) => [c.channel, JSON.stringify(c.req)]));
    }
  });

  it('asks for no rows when another screen is first', () => {
    expect(startFirstScreen(client, '#/dashboard').screen).toBe('dashboard');
    expect(queries()).toHaveLength(0);
  });
});

describe('the first mount', () => {
  afterEach(() => vi.useRealTimers());

  it("waits for the chunk and the first page, or for the chunk alone once the page's wait is over", async () => {
    vi.useFakeTimers();
    let chunkIn!: () => void;
    let dataIn!: () => void;
    const chunk = new Promise<void>((resolve) => (chunkIn = resolve));
    const data = new Promise<void>((resolve) => (dataIn = resolve));
    let ready = false;
    void firstScreenReady({ chunk, data }, 300).then(() => (ready = true));
    chunkIn();
    await vi.advanceTimersByTimeAsync(100);
    expect(ready).toBe(false);
    dataIn();
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toBe(true);

    // A slow page: the mount goes ahead (the screen shows its loader) when the wait is over.
    let slowReady = false;
    void firstScreenReady({ chunk: Promise.resolve(), data: new Promise<void>(() => {}) }, 300).then(() => (slowReady = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(slowReady).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(slowReady).toBe(true);
  });

  it("starts the first screen's chunk, which its lazy screen then has without suspending", async () => {
    const { chunk } = startFirstScreen(client, '#/status');
    await chunk;
    // Preloading again returns the same settled load: nothing fetched twice.
    await expect(screens.status.preload()).resolves.toBeTypeOf('function');
  });

  it("waits for the first screen's chunk, and mounts once", async () => {
    let arrive!: () => void;
    const chunk = new Promise<void>((resolve) => (arrive = resolve));
    let mounts = 0;
    mountAfter(chunk, () => mounts++, 60_000);
    await Promise.resolve();
    expect(mounts).toBe(0);
    arrive();
    await chunk;
    await Promise.resolve();
    expect(mounts).toBe(1);
  });

  it('mounts anyway when the chunk is slow, and not again when it arrives', async () => {
    vi.useFakeTimers();
    let arrive!: () => void;
    const chunk = new Promise<void>((resolve) => (arrive = resolve));
    let mounts = 0;
    mountAfter(chunk, () => mounts++, 1_000);
    vi.advanceTimersByTime(999);
    expect(mounts).toBe(0);
    vi.advanceTimersByTime(1);
    expect(mounts).toBe(1);
    arrive();
    await chunk;
    await Promise.resolve();
    expect(mounts).toBe(1);
  });
});
