// One condition from text to verdict: check (for the editor) and compile (for the rule set).
import { MAX_CONDITION_LENGTH, type RuleDiagnostic } from '../../../../src-shared/schemas/rules';
import type { Expr } from './ast';
import { compileExpr, type CompiledNode, type Predicate } from './compile';
import { diagnostic, hasErrors, sortDiagnostics } from './diagnostics';
import type { Token } from './lexer';
import { parse } from './parser';
import { typecheck } from './typecheck';

export interface CheckedCondition {
  readonly source: string;
  /** Null when the text is empty or too long to read; may hold `error` nodes when diagnostics has errors. */
  readonly ast: Expr | null;
  readonly tokens: readonly Token[];
  /** Errors and warnings in reading order. */
  readonly diagnostics: readonly RuleDiagnostic[];
}

export interface CompiledCondition {
  readonly source: string;
  readonly ast: Expr;
  readonly root: CompiledNode;
  readonly test: Predicate;
  readonly warnings: readonly RuleDiagnostic[];
}

export type CompileResult =
  { readonly ok: true; readonly condition: CompiledCondition } | { readonly ok: false; readonly diagnostics: readonly RuleDiagnostic[] };

/** Parses and type-checks; never throws, whatever the text. */
export function checkCondition(source: string): CheckedCondition {
  if (source.length > MAX_CONDITION_LENGTH) {
    const tooLong = diagnostic(
      source,
      { from: MAX_CONDITION_LENGTH, to: source.length },
      'error',
      'syntax',
      `the condition is ${source.length} characters long; the limit is ${MAX_CONDITION_LENGTH}`,
      { suggestion: 'Split it across several rules.' },
    );
    return { source, ast: null, tokens: [], diagnostics: [tooLong] };
  }
  const parsed = parse(source);
  const checked = parsed.ast ? typecheck(parsed.ast, source) : [];
  return { source, ast: parsed.ast, tokens: parsed.tokens, diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked]) };
}

export function compileCondition(source: string): CompileResult {
  const checked = checkCondition(source);
  if (!checked.ast || hasErrors(checked.diagnostics)) return { ok: false, diagnostics: checked.diagnostics };
  const root = compileExpr(checked.ast);
  return { ok: true, condition: { source, ast: checked.ast, root, test: root.test, warnings: checked.diagnostics } };
}
