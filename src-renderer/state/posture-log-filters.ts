// What the admin has chosen on the Posture Log screen: filters, sort and live tail. UI state only; rows live in the query cache.
import { create } from 'zustand';
import type { LogFilter, LogSort, LogView, PostureResult } from '../../src-shared/schemas/posture-log';
import { isLogView, isPostureResult } from '../../src-shared/schemas/posture-log-values';

export const rangePresets = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
  all: { label: 'All time', ms: null },
  custom: { label: 'Custom…', ms: null },
} as const;
export type RangePreset = keyof typeof rangePresets;

export interface PostureLogFilters {
  range: RangePreset;
  /** A preset's start, fixed when it was picked so the query key (and the rows) stay put while the admin reads. */
  presetFrom: number | undefined;
  /** Custom bounds as typed in the datetime-local inputs (local time). */
  customFrom: string;
  customTo: string;
  view: LogView;
  providerIds: string[];
  checkIds: string[];
  results: PostureResult[];
  /** The search box as typed; the page debounces it before it reaches a query. */
  text: string;
  sort: LogSort;
  live: boolean;

  setRange(range: RangePreset): void;
  setCustom(bounds: { from?: string; to?: string }): void;
  setView(view: LogView): void;
  setProviderIds(ids: string[]): void;
  setCheckIds(ids: string[]): void;
  setResults(results: PostureResult[]): void;
  setText(text: string): void;
  setSort(sort: LogSort): void;
  setLive(live: boolean): void;
  /** Back to the defaults, keeping the live tail as the admin left it. */
  clear(): void;
  /** Replaces the filters with a deep link's (`?result=fail&provider=<id>&check=<id>&view=latest&q=…&range=24h`). */
  applyLink(params: URLSearchParams): void;
}

const defaults = {
  range: 'all' as RangePreset,
  presetFrom: undefined,
  customFrom: '',
  customTo: '',
  view: 'changes' as LogView,
  providerIds: [] as string[],
  checkIds: [] as string[],
  results: [] as PostureResult[],
  text: '',
  sort: { by: 'time', dir: 'desc' } as LogSort,
};

function presetFromNow(range: RangePreset): number | undefined {
  const ms = rangePresets[range].ms;
  return ms === null ? undefined : Date.now() - ms;
}

/** The every-evaluation view can only be sorted by time (the store refuses anything else). */
function sortFor(view: LogView, sort: LogSort): LogSort {
  return view === 'evaluations' && sort.by !== 'time' ? defaults.sort : sort;
}

function listParam(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export const usePostureLogFilters = create<PostureLogFilters>()((set) => ({
  ...defaults,
  // On by default: watching polls land is what the admin opens a live console for, and rows only move
  // when the table is scrolled to the top; scrolled away, new rows wait behind a "show" pill.
  live: true,

  setRange: (range) => set({ range, presetFrom: presetFromNow(range) }),
  setCustom: ({ from, to }) => set((s) => ({ customFrom: from ?? s.customFrom, customTo: to ?? s.customTo })),
  setView: (view) => set((s) => ({ view, sort: sortFor(view, s.sort) })),
  setProviderIds: (providerIds) => set({ providerIds }),
  setCheckIds: (checkIds) => set({ checkIds }),
  setResults: (results) => set({ results }),
  setText: (text) => set({ text }),
  setSort: (sort) => set((s) => ({ sort: sortFor(s.view, sort) })),
  setLive: (live) => set({ live }),
  clear: () => set(defaults),
  applyLink: (params) => {
    const view = params.get('view');
    const range = params.get('range');
    const preset: RangePreset = range && range in rangePresets && range !== 'custom' ? (range as RangePreset) : 'all';
    set({
      ...defaults,
      view: isLogView(view) ? view : defaults.view,
      range: preset,
      presetFrom: presetFromNow(preset),
      providerIds: listParam(params, 'provider'),
      checkIds: listParam(params, 'check'),
      results: listParam(params, 'result').filter(isPostureResult),
      text: params.get('q') ?? '',
    });
  },
}));

/** What a link into the Posture Log may narrow it to; `applyLink` reads the same names. */
export interface PostureLogLink {
  result?: PostureResult;
  provider?: string;
  check?: string;
  view?: LogView;
  range?: Exclude<RangePreset, 'custom'>;
  q?: string;
}

/** A route to the Posture Log showing exactly `link` (`/posture-log?result=fail&provider=…`). */
export function postureLogLink(link: PostureLogLink = {}): string {
  const params = new URLSearchParams();
  for (const name of ['result', 'provider', 'check', 'view', 'range', 'q'] as const) {
    const value = link[name];
    if (value) params.set(name, value);
  }
  const query = params.toString();
  return query ? `/posture-log?${query}` : '/posture-log';
}

/** A datetime-local value as epoch ms, or undefined when empty or not a date. */
function localInstant(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** The contract's filter for what the admin chose, with the search text as debounced by the page. */
export function logFilterOf(s: PostureLogFilters, text: string): LogFilter {
  const custom = s.range === 'custom';
  const filter: LogFilter = { view: s.view };
  const from = custom ? localInstant(s.customFrom) : s.presetFrom;
  const to = custom ? localInstant(s.customTo) : undefined;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (s.providerIds.length) filter.providerIds = s.providerIds;
  if (s.checkIds.length) filter.checkIds = s.checkIds;
  if (s.results.length) filter.results = s.results;
  if (text.trim()) filter.text = text.trim();
  return filter;
}

/** Whether anything narrows the log beyond the view (the empty state says "no rows for these filters" then). */
export function isFiltered(s: PostureLogFilters): boolean {
  return s.range !== 'all' || s.providerIds.length > 0 || s.checkIds.length > 0 || s.results.length > 0 || s.text.trim() !== '';
}
