// An ordered rule set, compiled once: the first rule whose condition matches an alert decides its outcome.
import type { DetectionRule, RuleDiagnostic, RuleIssue, RuleOutcome, RuleSet, RuleSetExplanation } from '../../../../src-shared/schemas/rules';
import type { Expr } from './ast';
import { compileCondition, type CompiledCondition } from './condition';
import { explain } from './explain';
import type { AlertRecord } from './fields';
import { printCondition } from './print';

export interface CompiledRule {
  readonly index: number;
  readonly rule: DetectionRule;
  readonly condition: CompiledCondition;
  readonly outcome: RuleOutcome;
  /** Built once so routing an alert allocates nothing. */
  readonly match: RuleSetMatch;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
}

/** The first matching rule; the same frozen object is returned for every alert the rule matches. */
export interface RuleSetMatch {
  readonly ruleIndex: number;
  readonly rule: DetectionRule;
  readonly outcome: RuleOutcome;
}

export type RuleSetCompileResult =
  | { readonly ok: true; readonly compiled: CompiledRuleSet; readonly warnings: readonly RuleIssue[] }
  | { readonly ok: false; readonly issues: readonly RuleIssue[] };

export function ruleOutcome(rule: Pick<DetectionRule, 'action' | 'priority' | 'assignment_group' | 'category' | 'auto_contain_host'>): RuleOutcome {
  if (rule.action === 'log_only') return { action: 'log_only' };
  if (rule.priority === undefined) throw new Error('ruleOutcome: create_incident needs a priority');
  const outcome: RuleOutcome = { action: 'create_incident', priority: rule.priority, auto_contain_host: rule.auto_contain_host ?? false };
  if (rule.assignment_group !== undefined) outcome.assignment_group = rule.assignment_group;
  if (rule.category !== undefined) outcome.category = rule.category;
  return outcome;
}

/** Formats an issue for a log line or the CLI: `detection_rules[1].priority: P5 is not one of P1, P2, P3, P4`. */
export function formatIssue(issue: RuleIssue): string {
  const at = issue.diagnostic ? ` (line ${issue.diagnostic.line}, column ${issue.diagnostic.column})` : '';
  return `${issue.path}: ${issue.message}${at}${issue.suggestion ? ` — ${issue.suggestion}` : ''}`;
}

export function conditionIssue(d: RuleDiagnostic, path: string, ruleIndex: number): RuleIssue {
  const issue: RuleIssue = { path: `${path}.condition`, ruleIndex, field: 'condition', severity: d.severity, message: d.message, diagnostic: d };
  if (d.suggestion !== undefined) issue.suggestion = d.suggestion;
  return issue;
}

type RuleSettings = Pick<DetectionRule, 'action' | 'priority' | 'assignment_group' | 'category' | 'auto_contain_host'>;

/** Settings that do nothing for the rule's action: not wrong, but probably not what the admin meant. */
export function settingWarnings(rule: RuleSettings, path: string, ruleIndex: number): RuleIssue[] {
  if (rule.action !== 'log_only') return [];
  const unused: string[] = (['priority', 'assignment_group', 'category'] as const).filter((key) => rule[key] !== undefined);
  if (rule.auto_contain_host === true) unused.push('auto_contain_host');
  return unused.map((field) => ({
    path: `${path}.${field}`,
    ruleIndex,
    field,
    severity: 'warning',
    message: `${field} has no effect when the action is log_only`,
    suggestion: 'Remove it, or change the action to create_incident.',
  }));
}

/** Warns about rules that can never match because an earlier rule takes every alert they would. */
export function reachabilityWarnings(conditions: readonly (Expr | null)[], path: (index: number) => string): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Map<string, number>();
  let catchAll = -1;
  conditions.forEach((ast, index) => {
    if (!ast) return;
    const canonical = printCondition(ast);
    const earlier = catchAll >= 0 ? catchAll : seen.get(canonical);
    if (earlier !== undefined)
      issues.push({
        path: `${path(index)}.condition`,
        ruleIndex: index,
        field: 'condition',
        severity: 'warning',
        message: catchAll >= 0 ? `never reached: rule ${earlier + 1} matches every alert` : `never reached: rule ${earlier + 1} has the same condition`,
        suggestion: 'Move this rule up or remove it; the first matching rule wins.',
      });
    if (!seen.has(canonical)) seen.set(canonical, index);
    if (catchAll < 0 && ast.kind === 'constant' && ast.value) catchAll = index;
  });
  return issues;
}

export function compileRuleSet(set: RuleSet): RuleSetCompileResult {
  const issues: RuleIssue[] = [];
  const rules: CompiledRule[] = [];
  const asts: (Expr | null)[] = [];
  set.rules.forEach((rule, index) => {
    const path = `rules[${index}]`;
    const compiled = compileCondition(rule.condition);
    if (!compiled.ok) {
      issues.push(...compiled.diagnostics.map((d) => conditionIssue(d, path, index)));
      asts.push(null);
      return;
    }
    asts.push(compiled.condition.ast);
    issues.push(...compiled.condition.warnings.map((d) => conditionIssue(d, path, index)), ...settingWarnings(rule, path, index));
    const outcome = Object.freeze(ruleOutcome(rule));
    const match = Object.freeze({ ruleIndex: index, rule, outcome });
    rules.push(Object.freeze({ index, rule, condition: compiled.condition, outcome, match }));
  });
  issues.push(...reachabilityWarnings(asts, (index) => `rules[${index}]`));
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, compiled: { rules }, warnings: issues };
}

export function evaluateRuleSet(set: CompiledRuleSet, alert: AlertRecord): RuleSetMatch | null {
  for (const compiled of set.rules) if (compiled.condition.test(alert)) return compiled.match;
  return null;
}

/** The rules tried in order on one alert, each with why it did or did not match, up to the first match. */
export function explainRuleSet(set: CompiledRuleSet, alert: AlertRecord): RuleSetExplanation {
  const tried: RuleSetExplanation['tried'] = [];
  for (const compiled of set.rules) {
    const explanation = explain(compiled.condition, alert);
    tried.push({ ruleIndex: compiled.index, ruleId: compiled.rule.id, explanation });
    if (explanation.matched) return { match: { ruleIndex: compiled.index, ruleId: compiled.rule.id, outcome: compiled.outcome }, tried };
  }
  return { match: null, tried };
}
