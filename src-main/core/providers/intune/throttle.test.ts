import { describe, expect, it } from 'vitest';
import { createManualClock } from '../manual-clock.testkit';
import { INTUNE_REQUESTS_PER_WINDOW, INTUNE_WINDOW_MS, WindowBudget } from './throttle';

describe('Intune request budget', () => {
  it('2,000 requests go at once; the 2,001st waits for the oldest to leave the 20 s window', async () => {
    const clock = createManualClock();
    const budget = new WindowBudget(clock);
    const start = clock.now();
    for (let i = 0; i < INTUNE_REQUESTS_PER_WINDOW; i++) await budget.acquire();
    expect(clock.sleeps).toEqual([]);
    await budget.acquire();
    expect(clock.now() - start).toBe(INTUNE_WINDOW_MS);
  });

  it('after a 429 nobody sends before the pause ends', async () => {
    const clock = createManualClock();
    const budget = new WindowBudget(clock);
    budget.pauseUntil(clock.now() + 4_000);
    const before = clock.now();
    await budget.acquire();
    expect(clock.now() - before).toBe(4_000);
  });
});
