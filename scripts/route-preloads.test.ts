// The renderer build's route preloads: which files each section's screen needs beyond the entry, and the boot script
// that asks for them (run here against a minimal document, as the browser would before the entry).
import type { Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { bootScript, routePreloads, sectionOfHash, type RoutePreloads } from './route-preloads';

const chunk = (fileName: string, extra: Partial<Rolldown.OutputChunk> = {}) =>
  ({ type: 'chunk', fileName, isEntry: false, imports: [], dynamicImports: [], facadeModuleId: null, ...extra }) as unknown as Rolldown.OutputChunk;

const css = (...files: string[]) => ({ importedCss: new Set(files), importedAssets: new Set() }) as unknown as Rolldown.OutputChunk['viteMetadata'];

/** An entry with two screens sharing a chunk, one with CSS, and a dynamic import that is no screen. */
const bundle = {
  'assets/index.js': chunk('assets/index.js', {
    isEntry: true,
    imports: ['assets/react.js'],
    dynamicImports: ['assets/PostureLogPage.js', 'assets/StatusPage.js', 'assets/worker.js'],
  }),
  'assets/react.js': chunk('assets/react.js'),
  'assets/PostureLogPage.js': chunk('assets/PostureLogPage.js', {
    facadeModuleId: '/repo/src-renderer/features/posture-log/PostureLogPage.tsx',
    imports: ['assets/Table.js', 'assets/react.js'],
    viteMetadata: css('assets/PostureLogPage.css'),
  }),
  'assets/Table.js': chunk('assets/Table.js', { imports: ['assets/shared.js'] }),
  'assets/shared.js': chunk('assets/shared.js', { viteMetadata: css('assets/shared.css') }),
  'assets/StatusPage.js': chunk('assets/StatusPage.js', {
    facadeModuleId: '/repo/src-renderer/features/status/StatusPage.tsx',
    imports: ['assets/shared.js'],
  }),
  'assets/worker.js': chunk('assets/worker.js', { facadeModuleId: '/repo/src-renderer/api/worker.ts' }),
  'index.html': { type: 'asset', fileName: 'index.html', source: '' },
} as unknown as Rolldown.OutputBundle;

describe('route preloads', () => {
  it("lists each screen's chunk, its imports beyond the entry's (recursively) and their CSS", () => {
    expect(routePreloads(bundle)).toEqual({
      'posture-log': ['assets/PostureLogPage.js', 'assets/Table.js', 'assets/shared.js', 'assets/PostureLogPage.css', 'assets/shared.css'],
      status: ['assets/StatusPage.js', 'assets/shared.js', 'assets/shared.css'],
    });
  });

  it('reads the section as the app does: sub-paths and parameters, the root and the access token go to the Dashboard', () => {
    expect(sectionOfHash('#/posture-log')).toBe('posture-log');
    expect(sectionOfHash('#/posture-log?result=fail')).toBe('posture-log');
    expect(sectionOfHash('#/incidents/INC0000001')).toBe('incidents');
    expect(sectionOfHash('#/')).toBe('dashboard');
    expect(sectionOfHash('#token=abc')).toBe('dashboard');
    expect(sectionOfHash('')).toBe('dashboard');
  });
});

/** Runs the generated script against a document that records the links it adds. */
function runBoot(preloads: RoutePreloads, hash: string) {
  const added: Record<string, string>[] = [];
  const document = {
    createElement: () => {
      const link: Record<string, string | ((name: string, value: string) => void)> = {};
      link.setAttribute = (name: string, value: string) => (link[name] = value);
      return link;
    },
    head: {
      appendChild: (link: Record<string, unknown>) =>
        added.push(Object.fromEntries(Object.entries(link).filter(([, v]) => typeof v === 'string')) as Record<string, string>),
    },
  };
  new Function('document', 'location', bootScript(preloads, './'))(document, { hash });
  return added;
}

describe('the boot script', () => {
  const preloads = routePreloads(bundle);

  it("preloads the section's modules (in the module graph's credentials mode) and adds its styles", () => {
    expect(runBoot(preloads, '#/posture-log')).toEqual([
      { rel: 'modulepreload', crossOrigin: '', href: './assets/PostureLogPage.js' },
      { rel: 'modulepreload', crossOrigin: '', href: './assets/Table.js' },
      { rel: 'modulepreload', crossOrigin: '', href: './assets/shared.js' },
      { rel: 'stylesheet', blocking: 'render', crossOrigin: '', href: './assets/PostureLogPage.css' },
      { rel: 'stylesheet', blocking: 'render', crossOrigin: '', href: './assets/shared.css' },
    ]);
  });

  it('adds nothing for a section without a screen chunk, or an unknown one', () => {
    expect(runBoot(preloads, '#token=abc')).toEqual([]);
    expect(runBoot(preloads, '#/nowhere')).toEqual([]);
  });
});
