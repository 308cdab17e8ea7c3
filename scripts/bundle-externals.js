// The packages a built bundle still loads from node_modules at run time: static imports, literal dynamic imports,
// and `createRequire(…)('name')` or a require made that way (how pino and conf load on first use). Everything else was bundled, so it belongs
// in devDependencies: electron-builder copies `dependencies` into the package whether the code needs them or not.
import { builtinModules } from 'node:module';

const SPECIFIERS = [
  // `import x from "pkg"` at the start of a line: bundles are not minified, and a doc comment's example starts with `*`.
  /^import\s[^;]*?\sfrom\s*["']([^"'./][^"']*)["']/gm,
  /^import\s*["']([^"'./][^"']*)["']/gm,
  /\bimport\(\s*["']([^"'./][^"']*)["']\s*\)/g,
  // require('x'), and a require made by createRequire under any name (`requireModule('conf')`).
  /\b[\w$]*[Rr]equire[\w$]*\(\s*["']([^"'./][^"']*)["']\s*\)/g,
  /\)\(\s*["']([^"'./][^"']*)["']\s*\)/g,
];

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare package names `code` loads at run time, Node's built-ins left out. */
export function externalPackages(code) {
  const found = new Set();
  for (const pattern of SPECIFIERS)
    for (const [, specifier] of code.matchAll(pattern)) {
      const name = packageOf(specifier);
      if (!specifier.startsWith('node:') && !builtinModules.includes(name)) found.add(name);
    }
  return found;
}

/**
 * What is wrong with `dependencies` for bundles that load `loaded`: a package loaded but not a dependency fails at
 * run time in the package; a dependency nothing loads is bundled or unused, and only makes the package bigger.
 * `provided` are supplied by the runtime (Electron itself).
 */
export function dependencyProblems(loaded, dependencies, provided = ['electron']) {
  const problems = [];
  for (const name of [...loaded].sort())
    if (!dependencies.includes(name) && !provided.includes(name)) problems.push(`${name} is loaded by the built app but is not in dependencies`);
  for (const name of dependencies)
    if (!loaded.has(name)) problems.push(`${name} is in dependencies but the built app never loads it (bundled or unused): move it to devDependencies`);
  return problems;
}
