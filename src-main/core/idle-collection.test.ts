import { describe, expect, it } from 'vitest';
import { createIdleCollector } from './idle-collection';

describe('idle collection', () => {
  it('collects what a finished poll left behind, which an idle process otherwise keeps', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // 200,000 small records, kept until any collection their allocation started is over, then dropped, as a replaced
    // inventory is.
    const kept: { id: string; macs: string[] }[] = [];
    for (let i = 0; i < 200_000; i++) kept.push({ id: `device-${i}`, macs: [`mac-${i}`] });
    await sleep(300);
    expect(kept).toHaveLength(200_000);
    kept.length = 0;
    const dropped = process.memoryUsage().heapUsed;
    // Idle, V8 collects nothing by itself.
    await sleep(300);
    const idle = process.memoryUsage().heapUsed;
    expect(Math.abs(dropped - idle)).toBeLessThan(5 * 2 ** 20);
    await createIdleCollector({ delayMs: 0 }).soon();
    // The records took ~30 MB.
    expect(dropped - process.memoryUsage().heapUsed).toBeGreaterThan(15 * 2 ** 20);
  });

  it('requests close together share one collection, and dispose settles a pending one', async () => {
    const collector = createIdleCollector({ delayMs: 60_000 });
    const first = collector.soon();
    const second = collector.soon();
    collector.dispose();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
  });
});
