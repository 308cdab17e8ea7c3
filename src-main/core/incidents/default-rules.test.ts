import { describe, expect, it } from 'vitest';
import { defaultRuleSet, seedDetectionRulesJson } from './default-rules';
import { importDetectionRules } from './rules';

describe('the built-in rule set', () => {
  it('names each seed rule for what it does, not by its position', () => {
    const { rules } = defaultRuleSet();
    expect(rules.map((r) => r.name)).toEqual(['Critical or high-impact tactic', 'Medium severity', 'Low severity']);
    for (const rule of rules) expect(rule.name).not.toMatch(/^Rule \d+$/);
  });

  it('a nameless rule that is not a seed rule is still named by its position', () => {
    const other = importDetectionRules({ detection_rules: [{ condition: 'severity >= 90', action: 'log_only' }] });
    expect(other.ok && other.ruleSet.rules[0]!.name).toBe('Rule 1');
  });

  it('keeps the published conditions and outcomes as they are', () => {
    const { rules } = defaultRuleSet();
    expect(rules.map((r) => [r.condition, r.action])).toEqual(seedDetectionRulesJson.detection_rules.map((r) => [r.condition, r.action]));
  });
});
