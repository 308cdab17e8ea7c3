// Lets a child Node run the app from TypeScript source (the crash test): extensionless relative imports
// resolve to `<name>.ts` or `<name>/index.ts`, as the bundler would. The store worker has its own hooks.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    const fromSource = context.parentURL?.endsWith('.ts') && !context.parentURL.includes('/node_modules/');
    // A known extension, not any dot: `../core/test-app.testkit` still needs its `.ts`.
    if (!relative || !fromSource || /\.(ts|tsx|js|mjs|cjs|json|node)$/i.test(specifier)) return nextResolve(specifier, context);
    const asFile = new URL(`${specifier}.ts`, context.parentURL!);
    if (existsSync(fileURLToPath(asFile))) return nextResolve(`${specifier}.ts`, context);
    return nextResolve(`${specifier}/index.ts`, context);
  },
});
