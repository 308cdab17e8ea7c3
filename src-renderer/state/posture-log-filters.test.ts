import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isFiltered, logFilterOf, postureLogLink, usePostureLogFilters } from './posture-log-filters';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const state = () => usePostureLogFilters.getState();
const follow = (link: string) => state().applyLink(new URLSearchParams(link.split('?')[1] ?? ''));

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  state().clear();
  state().setLive(true);
});
afterEach(() => vi.useRealTimers());

describe('links into the posture log', () => {
  it('a dashboard tile link shows exactly the failing rows of that provider', () => {
    follow(postureLogLink({ provider: 'prov 1&x', result: 'fail' }));
    expect(logFilterOf(state(), state().text)).toEqual({ view: 'changes', providerIds: ['prov 1&x'], results: ['fail'] });
    expect(isFiltered(state())).toBe(true);
  });

  it("a device's link searches for it, and a range link starts the range when it is followed", () => {
    follow(postureLogLink({ q: 'SN-42 laptop', view: 'latest', range: '24h' }));
    expect(logFilterOf(state(), state().text)).toEqual({ view: 'latest', from: NOW - 86_400_000, text: 'SN-42 laptop' });
  });

  it('a link replaces what was chosen before instead of adding to it', () => {
    state().setCheckIds(['check-a']);
    state().setText('old search');
    follow(postureLogLink({ result: 'unknown' }));
    expect(logFilterOf(state(), state().text)).toEqual({ view: 'changes', results: ['unknown'] });
  });

  it('values the log does not know are dropped from a hand-edited link', () => {
    follow('/posture-log?result=fail,bogus&view=sideways&range=custom&provider=,a,');
    expect(logFilterOf(state(), state().text)).toEqual({ view: 'changes', providerIds: ['a'], results: ['fail'] });
    expect(state().range).toBe('all');
  });

  it('no narrowing makes the bare route', () => {
    expect(postureLogLink()).toBe('/posture-log');
    expect(postureLogLink({ q: '' })).toBe('/posture-log');
  });
});

describe('filter state', () => {
  it('the every-evaluation view falls back to time order, the only order the store serves it in', () => {
    state().setSort({ by: 'device', dir: 'asc' });
    state().setView('evaluations');
    expect(state().sort).toEqual({ by: 'time', dir: 'desc' });
    state().setSort({ by: 'result', dir: 'asc' });
    expect(state().sort).toEqual({ by: 'time', dir: 'desc' });
  });

  it('a custom range uses the typed bounds and ignores one that is not a date', () => {
    state().setRange('custom');
    state().setCustom({ from: '2026-12-01T08:00', to: 'not a date' });
    const filter = logFilterOf(state(), '  ');
    expect(filter.from).toBe(new Date('2026-12-01T08:00').getTime());
    expect(filter).not.toHaveProperty('to');
    expect(filter).not.toHaveProperty('text');
  });

  it('clearing restores the defaults but keeps the live tail as the admin left it', () => {
    state().setLive(false);
    state().setResults(['fail']);
    state().clear();
    expect(isFiltered(state())).toBe(false);
    expect(state().live).toBe(false);
  });
});
