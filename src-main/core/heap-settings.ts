// V8 settings for the app's long-running main process (the desktop app's main process and `serve`), where a poll
// builds a fleet's inventory and the console lives on between polls. Applied at run time rather than as command-line
// flags: Electron's main process takes no V8 flags of its own, and V8 reads both of these each time it uses them.
import { setFlagsFromString } from 'node:v8';

/**
 * Keep the young generation at its starting size. V8 doubles it (up to 32 MB a semi-space) whenever most of what it
 * holds survives a scavenge, and a poll's observations do survive: they are the inventory it keeps. The grown space
 * cost ~80 MB of RSS at 50,000 devices and stays committed; a small one promotes the kept records sooner, to the
 * old generation where they end up anyway, and the poll's short-lived garbage still dies young.
 */
const YOUNG_GENERATION = '--semi-space-growth-factor=1';
/**
 * After each full collection V8 lets the old generation grow to up to 4× what survived before it collects again, so
 * a fleet-sized inventory sits on several hundred MB of a poll's garbage until the next one. Growing by half at most
 * collects that garbage sooner (more full collections in a poll, each still incremental): at 100,000 Falcon hosts and
 * 77,751 SentinelOne agents the peak went from ~620 to ~520–580 MB against 100 %, with the event loop's longest delay
 * under 85 ms; 30 % was tried with an earlier poll pipeline and held the event loop for up to 224 ms.
 */
const OLD_GENERATION = '--heap-growing-percent=50';

const MAIN_PROCESS_FLAGS = [YOUNG_GENERATION, OLD_GENERATION];

/** The settings to apply: each unless the process was started with that flag (the user's choice wins). */
export function mainProcessHeapFlags(execArgv: readonly string[], nodeOptions: string): string[] {
  return MAIN_PROCESS_FLAGS.filter((flag) => {
    const name = flag.slice(0, flag.indexOf('='));
    return !execArgv.some((a) => a.startsWith(name)) && !nodeOptions.includes(name);
  });
}

/** Applies the main-process settings to this process's V8; returns the flags set. */
export function applyMainProcessHeapSettings(): string[] {
  const flags = mainProcessHeapFlags(process.execArgv, process.env.NODE_OPTIONS ?? '');
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
