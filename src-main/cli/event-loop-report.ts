// Opt-in event-loop delay reporting for benchmarks: with POSTURE_CONSOLE_EVENT_LOOP_REPORT=1, `serve` samples its
// event loop (monitorEventLoopDelay) and, on each SIGUSR2, prints what it saw since the last report on stderr and
// starts over. Off unless that variable is set, so normal use neither samples nor listens to the signal.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const EVENT_LOOP_REPORT_ENV = 'POSTURE_CONSOLE_EVENT_LOOP_REPORT';
/** The prefix of a report line; the rest of the line is JSON (EventLoopReport). */
export const EVENT_LOOP_REPORT_PREFIX = 'event-loop-delay ';

export interface EventLoopReport {
  /** Delays in milliseconds over the window since the previous report. */
  p50: number;
  p99: number;
  max: number;
  samples: number;
  windowMs: number;
  /** This process's memory at the report, in MB (the heap is the main thread's; workers have their own). */
  memory: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
}

export function startEventLoopReport(env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (l) => process.stderr.write(l)): () => void {
  if (env[EVENT_LOOP_REPORT_ENV] !== '1') return () => {};
  // 10 ms resolution: fine enough for a 100 ms target, cheap enough not to be what it measures.
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let since = performance.now();
  const report = () => {
    // The histogram holds the intervals between its timer's runs; the delay is what exceeds the resolution.
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - resolutionMs);
    const line: EventLoopReport = {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      samples: histogram.count,
      windowMs: Math.round(performance.now() - since),
      memory: Object.fromEntries(
        Object.entries(process.memoryUsage())
          .filter(([key]) => key !== 'heapTotal')
          .map(([key, bytes]) => [key, Math.round(bytes / 2 ** 20)]),
      ) as EventLoopReport['memory'],
    };
    histogram.reset();
    since = performance.now();
    write(`${EVENT_LOOP_REPORT_PREFIX}${JSON.stringify(line)}\n`);
  };
  process.on('SIGUSR2', report);
  return () => {
    process.off('SIGUSR2', report);
    histogram.disable();
  };
}
