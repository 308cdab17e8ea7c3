// Vite plugin for the renderer build: Mantine's useId without its second render. @mantine/hooks' useId starts from
// React's id and then, in a layout effect, swaps in a random one: a state update that renders every AppShell part,
// NavLink, Tooltip, Input wrapper, Chip and Modal a second time, synchronously, before the first paint. React's useId
// is already unique in the page (and valid in ids); this keeps it, in the same `mantine-…` form.
import type { Plugin } from 'vite';

/** The module the plugin replaces, as the bundler resolves it (node_modules/@mantine/hooks/esm/use-id/use-id.mjs). */
export const MANTINE_USE_ID = /[\\/]@mantine[\\/]hooks[\\/]esm[\\/]use-id[\\/]use-id\.mjs$/;

/** Same export and contract as Mantine's: a given id wins, otherwise one id for the component's lifetime. */
export const stableUseIdSource = `import { useId as useReactId } from 'react';
export function useId(staticId) {
  const reactId = useReactId();
  return typeof staticId === 'string' ? staticId : 'mantine-' + reactId.replace(/[^\\w-]/g, '');
}
`;

export function mantineStableIdsPlugin(): Plugin {
  return {
    name: 'posture-console:mantine-stable-ids',
    // The build only: the dev server pre-bundles @mantine/hooks without plugins, so it keeps Mantine's own (correct, slower).
    apply: 'build',
    enforce: 'pre',
    load(id) {
      return MANTINE_USE_ID.test(id.split('?')[0]!) ? stableUseIdSource : null;
    },
  };
}
