// The event-loop report is opt-in: without its variable nothing listens; with it, SIGUSR2 prints one JSON line.
import { describe, expect, it } from 'vitest';
import { EVENT_LOOP_REPORT_ENV, EVENT_LOOP_REPORT_PREFIX, startEventLoopReport, type EventLoopReport } from './event-loop-report';

describe('event-loop report', () => {
  it('does nothing unless the variable is set', () => {
    const before = process.listenerCount('SIGUSR2');
    const stop = startEventLoopReport({});
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    stop();
  });

  it('reports the delay of a blocked loop on SIGUSR2 and starts a new window', async () => {
    const lines: string[] = [];
    const stop = startEventLoopReport({ [EVENT_LOOP_REPORT_ENV]: '1' }, (line) => lines.push(line));
    try {
      await new Promise((r) => setTimeout(r, 30));
      const until = performance.now() + 150;
      while (performance.now() < until);
      await new Promise((r) => setTimeout(r, 30));
      process.emit('SIGUSR2');
      process.emit('SIGUSR2');
    } finally {
      stop();
    }
    expect(lines).toHaveLength(2);
    const [blocked, next] = lines.map((l) => {
      expect(l.startsWith(EVENT_LOOP_REPORT_PREFIX)).toBe(true);
      return JSON.parse(l.slice(EVENT_LOOP_REPORT_PREFIX.length)) as EventLoopReport;
    });
    expect(blocked!.max).toBeGreaterThanOrEqual(100);
    expect(blocked!.memory.rss).toBeGreaterThan(0);
    expect(next!.max).toBeLessThan(blocked!.max);
  });
});
