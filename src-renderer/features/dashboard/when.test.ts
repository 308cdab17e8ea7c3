// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { evaluatedPoints } from './PassRateTrend';
import { ago, fromNow, useNow } from './when';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('ago', () => {
  it('reads a time newer than the last clock tick as just now, never as the future', () => {
    // A poll that ended 9 s after the clock last ticked.
    expect(fromNow(NOW + 9_000, NOW)).toBe('in 9 s');
    expect(ago(NOW + 9_000, NOW)).toBe('just now');
    expect(ago(NOW + 14_999, NOW)).toBe('just now');
  });

  it('reads past times as fromNow does', () => {
    expect(ago(NOW - 30_000, NOW)).toBe('30 s ago');
    expect(ago(NOW - 3 * 60_000, NOW)).toBe('3 min ago');
    expect(ago(null, NOW)).toBe('never');
    expect(ago(undefined, NOW, 'not yet')).toBe('not yet');
  });
});

describe('useNow', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('ticks every interval', () => {
    const { result } = renderHook(() => useNow(15_000));
    expect(result.current).toBe(NOW);
    act(() => void vi.advanceTimersByTime(15_000));
    expect(result.current).toBe(NOW + 15_000);
  });

  it('re-reads the clock at once when new data arrives, between ticks', () => {
    const { result, rerender } = renderHook(({ data }) => useNow(15_000, data), { initialProps: { data: 1 } });
    act(() => void vi.advanceTimersByTime(0));
    vi.setSystemTime(NOW + 9_000);
    rerender({ data: 1 });
    act(() => void vi.advanceTimersByTime(0));
    expect(result.current).toBe(NOW);
    rerender({ data: 2 });
    act(() => void vi.advanceTimersByTime(0));
    expect(result.current).toBe(NOW + 9_000);
    expect(fromNow(NOW + 9_000, result.current)).toBe('just now');
  });
});

describe('pass-rate trend points', () => {
  it('leaves out polls that evaluated nothing', () => {
    const points = [
      { at: NOW - 2, providerId: 'cs', pass: 0, fail: 0, unknown: 0 },
      { at: NOW - 1, providerId: 'cs', pass: 3, fail: 1, unknown: 0 },
      { at: NOW, providerId: 'cs', pass: 0, fail: 0, unknown: 2 },
    ];
    expect(evaluatedPoints(points).map((p) => p.at)).toEqual([NOW - 1, NOW]);
  });
});
