import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mainProcessHeapFlags } from './heap-settings';

/**
 * A Node process that keeps 300,000 small records, as a poll keeps its observations, and prints the largest its young
 * generation got; `apply` first applies the main-process settings, at run time as the app does.
 */
function youngGenerationPeakMB(apply: boolean): number {
  const probe = `
    const { applyMainProcessHeapSettings } = await import(${JSON.stringify(new URL('./heap-settings.ts', import.meta.url).href)});
    if (process.argv[1] === 'apply') applyMainProcessHeapSettings();
    const { getHeapSpaceStatistics } = await import('node:v8');
    const kept = [];
    let most = 0;
    for (let i = 0; i < 300000; i++) {
      kept.push({ recordId: 'device-' + i, macs: ['mac-' + i], posture: { state: null, lastSeenAt: i } });
      if (i % 1000 === 0) most = Math.max(most, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    }
    process.stdout.write(String(most / 2 ** 20));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', probe, apply ? 'apply' : 'control'], { encoding: 'utf8' }));
}

describe('main-process heap settings', () => {
  it('keep the young generation small while a poll keeps its records (V8 grows it to 64 MB without them; with them it stays at half that or less, 2–26 MB in runs here)', () => {
    expect(youngGenerationPeakMB(false)).toBeGreaterThanOrEqual(32);
    expect(youngGenerationPeakMB(true)).toBeLessThanOrEqual(32);
  });

  it('apply each setting unless the process was started with that flag', () => {
    expect(mainProcessHeapFlags([], '')).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
    expect(mainProcessHeapFlags(['--heap-growing-percent=50'], '')).toEqual(['--semi-space-growth-factor=1']);
    expect(mainProcessHeapFlags([], '--max-old-space-size=4096 --semi-space-growth-factor=2')).toEqual(['--heap-growing-percent=50']);
  });
});
