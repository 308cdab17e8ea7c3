// `posture-console export` never calls the app, so its start-up must not pay for the app: the modules it loads
// before running (its static imports, followed through the repository) stay clear of the contract (every
// channel's schema), the app and the store worker. Lazy `import()`s load only when used, so they are not followed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** The repository files `file` imports for their values (type-only imports are erased by the build). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier.text);
    const target = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => existsSync(f) && f.match(/\.tsx?$/));
    if (target) found.push(target);
  }
  return found;
}

function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...valueImports(file));
  }
  return new Set([...seen].map((f) => relative(root, f)));
}

describe('what posture-console export loads at start', () => {
  const closure = staticClosure(join(root, 'src-main/cli/export.ts'));

  it('reaches the log reader and the CSV writer (the walk follows real imports)', () => {
    expect(closure).toContain('src-main/core/store/log-reader.ts');
    expect(closure).toContain('src-main/core/export/csv.ts');
  });

  it('stays clear of the contract, the app and the store worker', () => {
    for (const heavy of ['src-shared/contract.ts', 'src-shared/dispatch.ts', 'src-main/core/app.ts', 'src-main/core/store-worker.ts', 'src-main/core/log.ts'])
      expect(closure, `${heavy} is loaded by export`).not.toContain(heavy);
  });
});
