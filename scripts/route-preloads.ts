// Vite plugin for the renderer: a cold start fetches the first screen's chunks while the entry downloads and compiles,
// instead of after the entry has run and asked for them (then for their imports, then for theirs). A small classic
// script, async in <head>, reads the section from the address and adds a module preload for each file that screen
// needs beyond the entry's own; index.html itself stays the same for every section (the desktop app loads it from disk).
import type { Plugin, Rolldown } from 'vite';

/** Per section (the route's first segment, `posture-log`), the files its screen needs beyond the entry's, from the root. */
export type RoutePreloads = Record<string, string[]>;

/**
 * Each screen is a dynamic import of the entry from `src-renderer/features/<section>/`: its chunk, every chunk it
 * imports statically (recursively) that the entry does not, and their CSS.
 */
export function routePreloads(bundle: Rolldown.OutputBundle): RoutePreloads {
  const chunks = new Map<string, Rolldown.OutputChunk>();
  for (const output of Object.values(bundle)) if (output.type === 'chunk') chunks.set(output.fileName, output);
  const closure = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const imported of chunks.get(file)?.imports ?? []) closure(imported, seen);
    return seen;
  };
  const preloads: RoutePreloads = {};
  for (const entry of chunks.values()) {
    if (!entry.isEntry) continue;
    const initial = closure(entry.fileName);
    for (const file of entry.dynamicImports) {
      const section = /[\\/]features[\\/]([\w-]+)[\\/][^\\/]+$/.exec(chunks.get(file)?.facadeModuleId ?? '')?.[1];
      if (!section) continue;
      const js = [...closure(file)].filter((f) => !initial.has(f));
      const css = js.flatMap((f) => [...(chunks.get(f)?.viteMetadata?.importedCss ?? [])]);
      preloads[section] = [...js, ...new Set(css)];
    }
  }
  return preloads;
}

/**
 * The section a hash route shows first, as `screenOfHash` in src-renderer/app/start-screen.ts reads it: `#/posture-log?…`
 * is `posture-log`; the root and the web host's `#token=…` show the Dashboard.
 */
export function sectionOfHash(hash: string): string {
  return hash.replace(/^#/, '').split('?')[0]!.split('/')[1] || 'dashboard';
}

/** Adds the preloads for the section in the address; runs before the entry's module script is even parsed. */
function preloadFirstScreen(preloads: RoutePreloads, base: string, section: (hash: string) => string): void {
  const files = preloads[section(location.hash)] ?? [];
  for (const file of files) {
    const link = document.createElement('link');
    // The screen's stylesheet itself, blocking the first paint as the entry's does (it is in long before the screen
    // renders): Vite's loader finds it and does not add it again and wait a task for its load event before the import.
    if (file.endsWith('.css')) {
      link.rel = 'stylesheet';
      link.setAttribute('blocking', 'render');
    } else link.rel = 'modulepreload';
    // Same credentials mode as the module graph's own requests (Vite marks its scripts crossorigin), so the preload is used.
    link.crossOrigin = '';
    link.href = base + file;
    document.head.appendChild(link);
  }
}

/** Per section, the calls its cold start sends before the mount (src-renderer/app/first-calls.ts), as channel and JSON body. */
export type FirstCallTable = Record<string, [channel: string, body: string][]>;

/** The table for these sections, with the bodies as the transport serializes them (`JSON.stringify`). */
export function firstCallTable(sections: string[], firstCalls: (section: string) => { channel: string; req: object }[]): FirstCallTable {
  return Object.fromEntries(sections.map((section) => [section, firstCalls(section).map((c): [string, string] => [c.channel, JSON.stringify(c.req)])]));
}

/**
 * On the web host, sends the section's first calls as the page loads, so their answers are in (or on their way) when
 * the entry has run and asks: src-renderer/api/web-transport.ts takes them by channel and body, each once.
 */
function sendFirstCalls(calls: FirstCallTable, section: (hash: string) => string, sendCall: (channel: string, body: string) => Promise<Response>): void {
  // Not in the desktop app (its preload's bridge is there, not the web host), not before the access token is exchanged
  // for the session, not for a deep link (its filters replace the defaults at mount).
  const w = window as unknown as { postureConsole?: unknown; postureConsoleAhead?: Record<string, Record<string, Promise<Response>>> };
  if (w.postureConsole || /[?]|token=/.test(location.hash)) return;
  const ahead: Record<string, Record<string, Promise<Response>>> = {};
  for (const [channel, body] of calls[section(location.hash)] ?? []) {
    const response = sendCall(channel, body);
    // Its failure is the transport's to handle (it asks again); never an unhandled rejection here.
    response.catch(() => undefined);
    (ahead[channel] ??= {})[body] = response;
  }
  w.postureConsoleAhead = ahead;
}

/** What the boot script sends ahead: each section's first calls and the transport's request function. */
export interface FirstCallsOption {
  firstCalls: (section: string) => { channel: string; req: object }[];
  sendCall: (channel: string, body: string) => Promise<Response>;
}

/** The classic script's source: `preloadFirstScreen` and `sendFirstCalls` applied to this build's tables. */
export function bootScript(preloads: RoutePreloads, base: string, calls?: { table: FirstCallTable; sendCall: FirstCallsOption['sendCall'] }): string {
  return [
    '// Generated by scripts/route-preloads.ts: starts fetching the first screen (and its data) as the page loads.',
    `(${preloadFirstScreen.toString()})(${JSON.stringify(preloads)}, ${JSON.stringify(base)}, ${sectionOfHash.toString()});`,
    ...(calls ? [`(${sendFirstCalls.toString()})(${JSON.stringify(calls.table)}, ${sectionOfHash.toString()}, ${calls.sendCall.toString()});`] : []),
    '',
  ].join('\n');
}

/** Emits the boot script and names it in index.html's <head>, before the entry. */
export function routePreloadsPlugin(options?: FirstCallsOption): Plugin {
  let base = './';
  return {
    name: 'posture-console:route-preloads',
    apply: 'build',
    configResolved(config) {
      base = config.base || './';
    },
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const html = Object.values(bundle).find((o): o is Rolldown.OutputAsset => o.type === 'asset' && o.fileName.endsWith('index.html'));
        if (!html) return;
        const preloads = routePreloads(bundle);
        const calls = options && { table: firstCallTable(Object.keys(preloads), options.firstCalls), sendCall: options.sendCall };
        const ref = this.emitFile({ type: 'asset', name: 'route-preloads.js', source: bootScript(preloads, base, calls) });
        // Async: a blocking script, even a cached one, holds the parser (and the entry's fetch) until it has run.
        const tag = `<script async src="${base}${this.getFileName(ref)}"></script>`;
        const source = typeof html.source === 'string' ? html.source : new TextDecoder().decode(html.source);
        // Before the entry's module script: fetched first, and run as soon as it is in.
        html.source = source.replace(/(\s*)<script type="module"/, `$1${tag}$1<script type="module"`);
      },
    },
  };
}
