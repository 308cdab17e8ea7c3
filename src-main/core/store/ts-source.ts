// Lets plain Node (≥ 22.18, which strips types) run this TypeScript source directly: the store worker in
// dev and tests, the crash-test child and the benchmarks. Relative imports here are extensionless
// (moduleResolution "bundler"), so resolve them to `.ts`. Bundled builds never load this file.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    // A known extension, not any dot: `./synthetic-polls.testkit` still needs its `.ts`.
    if (relative && !/\.(ts|tsx|js|mjs|cjs|json|node)$/i.test(specifier)) return nextResolve(`${specifier}.ts`, context);
    return nextResolve(specifier, context);
  },
});
