// A process's own peak RSS. Not `process.resourceUsage().maxRSS`: Linux carries ru_maxrss across exec, so a child
// spawned by a large parent (a benchmark holding its results, TypeScript hooks and all) reports at least the parent's
// RSS at the fork. VmHWM is the high-water mark of this program's own memory, the figure harness.ts samples.
import { readFileSync } from 'node:fs';

export function peakRssMB(): number {
  try {
    const kB = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kB !== undefined) return Number(kB) / 1024;
  } catch {
    // No /proc (not Linux): the usage figure, with the caveat above.
  }
  return process.resourceUsage().maxRSS / 1024;
}
