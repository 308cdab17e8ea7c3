import { describe, expect, it } from 'vitest';
import { RuleSet, type DetectionRule } from '../../../../src-shared/schemas/rules';
import type { AlertRecord } from './fields';
import { compileRuleSet, evaluateRuleSet, explainRuleSet, formatIssue, ruleOutcome, type CompiledRuleSet } from './rule-set';

const seedRules: DetectionRule[] = [
  {
    id: 'rule-1',
    name: 'Rule 1',
    condition: "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')",
    action: 'create_incident',
    priority: 'P1',
    assignment_group: 'Security Operations',
    category: 'security',
    auto_contain_host: false,
  },
  {
    id: 'rule-2',
    name: 'Rule 2',
    condition: 'severity >= 50',
    action: 'create_incident',
    priority: 'P2',
    assignment_group: 'Security Operations',
    category: 'security',
  },
  { id: 'rule-3', name: 'Rule 3', condition: 'severity < 50', action: 'log_only' },
];

function compiled(rules: DetectionRule[]): CompiledRuleSet {
  const result = compileRuleSet(RuleSet.parse({ rules }));
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.compiled;
}

const route = (set: CompiledRuleSet, alert: AlertRecord) => evaluateRuleSet(set, alert)?.ruleIndex ?? null;

describe('rule set', () => {
  const seed = compiled(seedRules);

  it('routes the seed examples: first match wins', () => {
    expect(route(seed, { severity: 95 })).toBe(0);
    expect(route(seed, { severity: 30, tactic: 'Exfiltration' })).toBe(0);
    expect(route(seed, { severity: 60, tactic: 'Discovery' })).toBe(1);
    // Rule 3 would match too (severity < 50), but rule 1 comes first.
    expect(route(seed, { severity: 20, tactic: 'Impact' })).toBe(0);
    expect(route(seed, { severity: 20 })).toBe(2);
  });

  it('answers no match when no rule matches', () => {
    expect(evaluateRuleSet(seed, {})).toBeNull();
    expect(evaluateRuleSet(compiled([]), { severity: 99 })).toBeNull();
  });

  it('returns the rule and its outcome with the defaults filled in', () => {
    expect(evaluateRuleSet(seed, { severity: 60 })).toEqual({
      ruleIndex: 1,
      rule: seedRules[1],
      outcome: { action: 'create_incident', priority: 'P2', assignment_group: 'Security Operations', category: 'security', auto_contain_host: false },
    });
    expect(evaluateRuleSet(seed, { severity: 1 })?.outcome).toEqual({ action: 'log_only' });
    expect(ruleOutcome({ action: 'create_incident', priority: 'P3', auto_contain_host: true })).toEqual({
      action: 'create_incident',
      priority: 'P3',
      auto_contain_host: true,
    });
  });

  it('hands back the same match object for every alert a rule takes', () => {
    expect(evaluateRuleSet(seed, { severity: 90 })).toBe(evaluateRuleSet(seed, { severity: 99 }));
    expect(Object.isFrozen(evaluateRuleSet(seed, { severity: 90 }))).toBe(true);
  });

  it('explains the rules tried up to the match', () => {
    const explanation = explainRuleSet(seed, { severity: 20 });
    expect(explanation.match).toEqual({ ruleIndex: 2, ruleId: 'rule-3', outcome: { action: 'log_only' } });
    expect(explanation.tried.map((t) => [t.ruleId, t.explanation.matched])).toEqual([
      ['rule-1', false],
      ['rule-2', false],
      ['rule-3', true],
    ]);
    expect(explainRuleSet(seed, {}).match).toBeNull();
  });

  it('refuses a set with a bad condition, naming the rule and the position', () => {
    const result = compileRuleSet({ rules: [...seedRules.slice(0, 1), { ...(seedRules[1] as DetectionRule), condition: 'sevrity >= 50' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'rules[1].condition',
        ruleIndex: 1,
        field: 'condition',
        severity: 'error',
        message: "unknown field 'sevrity'",
        diagnostic: expect.objectContaining({ line: 1, column: 1, from: 0, to: 7 }),
      }),
    ]);
    expect(formatIssue(result.issues[0]!)).toBe("rules[1].condition: unknown field 'sevrity' (line 1, column 1) — did you mean 'severity'?");
  });

  it('warns about rules that can never match and settings that do nothing', () => {
    const result = compileRuleSet({
      rules: [
        { id: 'a', name: 'A', condition: 'severity >= 50', action: 'create_incident', priority: 'P2' },
        { id: 'b', name: 'B', condition: 'severity>=50', action: 'create_incident', priority: 'P1' },
        { id: 'c', name: 'C', condition: 'TRUE', action: 'log_only', priority: 'P4', auto_contain_host: true },
        { id: 'd', name: 'D', condition: 'severity < 10', action: 'log_only' },
      ],
    });
    expect(result.ok && result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'rules[2].priority: priority has no effect when the action is log_only',
      'rules[2].auto_contain_host: auto_contain_host has no effect when the action is log_only',
      'rules[1].condition: never reached: rule 1 has the same condition',
      'rules[3].condition: never reached: rule 3 matches every alert',
    ]);
  });

  it('rejects duplicate ids and a create_incident rule without a priority', () => {
    expect(RuleSet.safeParse({ rules: [seedRules[0], seedRules[0]] }).error?.issues[0]).toMatchObject({
      path: ['rules', 1, 'id'],
      message: 'rule-1 is also the id of rule 1',
    });
    expect(RuleSet.safeParse({ rules: [{ ...seedRules[0], priority: undefined }] }).error?.issues[0]).toMatchObject({ path: ['rules', 0, 'priority'] });
  });
});
