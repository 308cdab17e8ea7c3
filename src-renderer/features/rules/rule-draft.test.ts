import { beforeEach, describe, expect, it } from 'vitest';
import { DetectionRule, RuleSet } from '../../../src-shared/schemas/rules';
import { nextRuleId, sameRuleSet, useRuleDraft } from './rule-draft';

const rule = (id: string, extra: Partial<DetectionRule> = {}): DetectionRule =>
  DetectionRule.parse({ id, name: `Rule ${id}`, condition: 'severity >= 80', action: 'create_incident', priority: 'P1', ...extra });
const set = (...rules: DetectionRule[]): RuleSet => RuleSet.parse({ rules });
/** The same rule as written with its keys in the opposite order (as a JSON import may write it). */
const reordered = (r: DetectionRule) => Object.fromEntries(Object.entries(r).reverse()) as DetectionRule;

describe('rule draft', () => {
  beforeEach(() => useRuleDraft.setState({ draft: null, selectedId: null }));

  it('stays empty until the first edit, and discarding forgets the draft but not the selection', () => {
    expect(useRuleDraft.getState().draft).toBeNull();
    useRuleDraft.getState().setDraft(set(rule('rule-1')));
    useRuleDraft.getState().select('rule-1');
    useRuleDraft.getState().discard();
    expect(useRuleDraft.getState()).toMatchObject({ draft: null, selectedId: 'rule-1' });
  });

  it('the same rules with their keys in another order are the same set', () => {
    const a = set(rule('rule-1'), rule('rule-2', { priority: 'P3' }));
    const b: RuleSet = { rules: [reordered(rule('rule-1')), reordered(rule('rule-2', { priority: 'P3' }))] };
    expect(Object.keys(b.rules[0]!)).not.toEqual(Object.keys(a.rules[0]!));
    expect(sameRuleSet(a, b)).toBe(true);
  });

  it('a changed field, a reordering or a missing rule makes a different set', () => {
    const saved = set(rule('rule-1'), rule('rule-2'));
    expect(sameRuleSet(saved, set(rule('rule-1'), rule('rule-2', { condition: 'severity >= 90' })))).toBe(false);
    expect(sameRuleSet(saved, set(rule('rule-2'), rule('rule-1')))).toBe(false);
    expect(sameRuleSet(saved, set(rule('rule-1')))).toBe(false);
  });

  it('a new rule gets an id no rule in the set uses', () => {
    expect(nextRuleId([])).toBe('rule-1');
    expect(nextRuleId([rule('rule-2'), rule('rule-3')])).toBe('rule-4');
    expect(nextRuleId([rule('a'), rule('rule-3'), rule('rule-4')])).toBe('rule-5');
    expect(nextRuleId([rule('rule-1'), rule('rule-2'), rule('rule-4')])).toBe('rule-5');
  });
});
