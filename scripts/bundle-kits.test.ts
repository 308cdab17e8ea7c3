// Test kits stay out of what ships: lint stops production code importing a `*.testkit.ts` file, and this checks the
// result in the built bundles (out/, built by the vitest global set-up when missing or stale). Bundles carry no file
// names, so each kit is recognised by what survives bundling: its top-level names (main and preload are not minified)
// and its longer string literals (which survive minification too), keeping only those no production source contains.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { testKits } from '../eslint.config.js';

const root = join(import.meta.dirname, '..');

/** Kits no bundle could carry a trace of; each with why it cannot reach a bundle anyway. */
const unmarked: Record<string, string> = {
  // Only polyfills and a vitest hook: loaded by vitest.config.ts's setupFiles, and it imports vitest itself.
  'src-renderer/test-setup.testkit.ts': 'vitest set-up file',
};

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const kits = files.filter((file) => path.matchesGlob(file, testKits));
const production = files
  .filter((file) => /^(src-shared|src-main|src-preload|src-renderer|sim)\/.*\.tsx?$/.test(file))
  .filter((file) => !kits.includes(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith('src-main/reliability/'))
  .map((file) => withoutKitImports(readFileSync(join(root, file), 'utf8')))
  .join('\n');

/** A production source less its imports of kits and every use of the names they bind, so a production file that does
 * import a kit cannot make the kit's names look common (and so hide the kit from this check). */
function withoutKitImports(source: string): string {
  let text = source;
  for (const [statement, clause] of source.matchAll(/import\s([^;]*?)from\s*['"][^'"]*\.testkit['"];?/g)) {
    text = text.replace(statement, '');
    for (const [name] of clause!.matchAll(/[A-Za-z_$][\w$]*/g))
      if (!['type', 'as'].includes(name)) text = text.replace(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'), '');
  }
  return text;
}

/** What of a kit would show in a bundle that contains it: top-level names of 8+ characters, string literals of 16+. */
function markersOf(file: string): { names: string[]; strings: string[] } {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const strings = new Set<string>();
  for (const statement of source.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
  }
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent))
      strings.add(node.text);
    if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) strings.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const unique = (marker: string) => !new RegExp(`\\b${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(production);
  return {
    names: [...names].filter((name) => name.length >= 8 && unique(name)),
    strings: [...strings].filter((text) => text.length >= 16 && !production.includes(text)),
  };
}

function bundles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) return bundles(file);
    return /\.(m?js|cjs|html)$/.test(entry.name) ? [file] : [];
  });
}

describe('test kits are not in the production bundles', () => {
  const markers = new Map(kits.map((kit) => [kit, markersOf(kit)]));

  it('every test kit has markers to be found by (or a reason it cannot reach a bundle)', () => {
    expect(kits.length).toBeGreaterThan(10);
    const blind = kits.filter((kit) => !(kit in unmarked) && markers.get(kit)!.names.length + markers.get(kit)!.strings.length === 0);
    expect(blind).toEqual([]);
  });

  it('no bundle in out/ holds a name or string of a test kit', () => {
    const built = bundles(join(root, 'out'));
    expect(built.map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']),
    );
    const found: string[] = [];
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      for (const [kit, { names, strings }] of markers) {
        // A bundler renames a clashing top-level name with a `$n` suffix; a match must not be part of a longer name.
        for (const name of names)
          if (new RegExp(`(?<![\\w$])${name}(?:\\$\\d+)?(?![\\w$])`).test(text)) found.push(`${path.relative(root, file)}: ${kit} (${name})`);
        for (const text_ of strings) if (text.includes(text_)) found.push(`${path.relative(root, file)}: ${kit} (${JSON.stringify(text_)})`);
      }
    }
    expect(found).toEqual([]);
  });
});
