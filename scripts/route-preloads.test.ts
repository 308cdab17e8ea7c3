// The renderer build's route preloads: which files each section's screen needs beyond the entry, and the boot script
// that asks for them (run here against a minimal document, as the browser would before the entry).
import type { Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { bootScript, firstCallTable, routePreloads, sectionOfHash, type FirstCallTable, type RoutePreloads } from './route-preloads';

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

/** Runs the generated script against a document that records the links it adds, and a window (Electron's has a bridge). */
function runBoot(preloads: RoutePreloads, hash: string, calls?: FirstCallTable, window: Record<string, unknown> = {}) {
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
  const sent: string[] = [];
  // The transport's request function as the build copies it: its source, calling what is in scope where it runs.
  const sendCall = (channel: string, body: string) => post(channel, body);
  const post = (channel: string, body: string) => {
    sent.push(`${channel} ${body}`);
    return channel === 'settings.get' ? Promise.reject(new Error('offline')) : Promise.resolve(`answer to ${channel}`);
  };
  const script = bootScript(preloads, './', calls && { table: calls, sendCall: sendCall as unknown as (channel: string, body: string) => Promise<Response> });
  new Function('document', 'location', 'window', 'post', script)(document, { hash }, window, post);
  return { added, sent, ahead: window.postureConsoleAhead as Record<string, Record<string, Promise<unknown>>> | undefined };
}

describe('the boot script', () => {
  const preloads = routePreloads(bundle);

  it("preloads the section's modules (in the module graph's credentials mode) and adds its styles", () => {
    expect(runBoot(preloads, '#/posture-log').added).toEqual([
      { rel: 'modulepreload', crossOrigin: '', href: './assets/PostureLogPage.js' },
      { rel: 'modulepreload', crossOrigin: '', href: './assets/Table.js' },
      { rel: 'modulepreload', crossOrigin: '', href: './assets/shared.js' },
      { rel: 'stylesheet', blocking: 'render', crossOrigin: '', href: './assets/PostureLogPage.css' },
      { rel: 'stylesheet', blocking: 'render', crossOrigin: '', href: './assets/shared.css' },
    ]);
  });

  it('adds nothing for a section without a screen chunk, or an unknown one', () => {
    expect(runBoot(preloads, '#token=abc').added).toEqual([]);
    expect(runBoot(preloads, '#/nowhere').added).toEqual([]);
  });

  const firstCalls = (section: string) => [
    ...(section === 'posture-log' ? [{ channel: 'postureLog.query', req: { view: 'changes', limit: 200 } }] : []),
    { channel: 'app.info', req: {} },
    { channel: 'settings.get', req: {} },
  ];
  const calls = firstCallTable(Object.keys(preloads), firstCalls);

  it("lists each section's first calls with their bodies as the transport sends them", () => {
    expect(calls).toEqual({
      'posture-log': [
        ['postureLog.query', '{"view":"changes","limit":200}'],
        ['app.info', '{}'],
        ['settings.get', '{}'],
      ],
      status: [
        ['app.info', '{}'],
        ['settings.get', '{}'],
      ],
    });
  });

  it("sends the section's first calls on the web host and leaves their answers for the transport, by channel and body", async () => {
    const { sent, ahead } = runBoot(preloads, '#/posture-log', calls);
    expect(sent).toEqual(['postureLog.query {"view":"changes","limit":200}', 'app.info {}', 'settings.get {}']);
    expect(Object.keys(ahead!)).toEqual(['postureLog.query', 'app.info', 'settings.get']);
    await expect(ahead!['postureLog.query']!['{"view":"changes","limit":200}']).resolves.toBe('answer to postureLog.query');
    // A failed one stays a rejection for the transport (which asks again), and is handled meanwhile.
    await expect(ahead!['settings.get']!['{}']).rejects.toThrow('offline');
  });

  it('sends nothing in the desktop app, before the access token is exchanged, or for a deep link', () => {
    expect(runBoot(preloads, '#/posture-log', calls, { postureConsole: {} })).toMatchObject({ sent: [], ahead: undefined });
    expect(runBoot(preloads, '#token=abc', calls)).toMatchObject({ sent: [], ahead: undefined });
    expect(runBoot(preloads, '#/posture-log?result=fail', calls)).toMatchObject({ sent: [], ahead: undefined });
    // The links still go in: the chunks are the same whatever the filters.
    expect(runBoot(preloads, '#/posture-log?result=fail', calls).added).toHaveLength(5);
  });
});
