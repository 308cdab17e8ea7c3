// The renderer build's replacement for Mantine's useId: taken for that module only, and the same contract without the
// layout-effect state update (a static id wins; otherwise React's id, made safe for ids and selectors).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MANTINE_USE_ID, mantineStableIdsPlugin, stableUseIdSource } from './mantine-stable-ids';

/** The generated module run with a stand-in for React's useId. */
function useIdWith(reactId: string): (staticId?: string) => string {
  const body = stableUseIdSource.replace(/^import .*$/m, '').replace('export function useId', 'return function useId');
  return new Function('useReactId', body)(() => reactId) as (staticId?: string) => string;
}

describe("Mantine's useId in the build", () => {
  it('replaces @mantine/hooks/esm/use-id/use-id.mjs and nothing else', () => {
    const load = mantineStableIdsPlugin().load as (id: string) => string | null;
    expect(load('/repo/node_modules/@mantine/hooks/esm/use-id/use-id.mjs')).toBe(stableUseIdSource);
    expect(load('C:\\repo\\node_modules\\@mantine\\hooks\\esm\\use-id\\use-id.mjs?v=1')).toBe(stableUseIdSource);
    expect(load('/repo/node_modules/@mantine/hooks/esm/use-idle/use-idle.mjs')).toBeNull();
    expect(load('/repo/src-renderer/app/use-id.mjs')).toBeNull();
    expect(MANTINE_USE_ID.test('/repo/node_modules/@mantine/core/esm/use-id/use-id.mjs')).toBe(false);
  });

  it("keeps a given id, and otherwise gives React's id in Mantine's form, without characters an id selector would trip on", () => {
    expect(useIdWith('_r_1f_')('search')).toBe('search');
    expect(useIdWith('_r_1f_')()).toBe('mantine-_r_1f_');
    expect(useIdWith(':r3:')()).toBe('mantine-r3');
    expect(useIdWith('«r3»')()).toBe('mantine-r3');
  });

  // A Mantine upgrade that moves or renames the module would turn the plugin into a silent no-op (correct, but the
  // second render is back): the installed package must still have it, exporting useId.
  it('finds the module it replaces in the installed @mantine/hooks', () => {
    // The package's ESM entry (esm/index.mjs) is what the renderer build resolves.
    const esmDir = dirname(fileURLToPath(import.meta.resolve('@mantine/hooks')));
    const file = join(esmDir, 'use-id', 'use-id.mjs');
    expect(MANTINE_USE_ID.test(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/export \{[^}]*\bas useId\b|export function useId\b/);
  });
});
