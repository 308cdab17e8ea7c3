// The saved rule set as the poller runs it: compiled once per version, or refused with field-level issues.
import { ContractError } from '../../../src-shared/errors';
import type { RuleSet } from '../../../src-shared/schemas/rules';
import { compileRuleSet, formatIssue, type CompiledRuleSet } from './rules';

/** Compiles a rule set or throws its problems as field-level issues (`rules[1].condition: …`). */
export function compileOrThrow(set: RuleSet, which: string): CompiledRuleSet {
  const compiled = compileRuleSet(set);
  if (compiled.ok) return compiled.compiled;
  const errors = compiled.issues.filter((i) => i.severity === 'error');
  throw new ContractError({
    code: 'rules.invalid',
    message: `The ${which} rule set has errors: ${errors.map(formatIssue).slice(0, 3).join('; ')}`,
    fix: 'Correct the rules shown and try again.',
    issues: errors.map((i) => ({ path: i.path, message: i.message })),
  });
}

/** Compiles the saved set again only when it changed. */
export function savedRules(source: () => RuleSet | Promise<RuleSet>): () => Promise<CompiledRuleSet> {
  let cached: { text: string; compiled: CompiledRuleSet } | undefined;
  return async () => {
    const set = await source();
    const text = JSON.stringify(set);
    if (cached?.text !== text) cached = { text, compiled: compileOrThrow(set, 'saved') };
    return cached.compiled;
  };
}
