// The rule set being edited and the rule selected in it. UI state: `draft` stays null until the first
// edit (the screen shows the saved set), so discarding is just forgetting it. It survives leaving the screen.
import { create } from 'zustand';
import type { DetectionRule, RuleSet } from '../../../src-shared/schemas/rules';

interface RuleDraftState {
  draft: RuleSet | null;
  selectedId: string | null;
  setDraft(draft: RuleSet): void;
  select(id: string | null): void;
  discard(): void;
}

export const useRuleDraft = create<RuleDraftState>((set) => ({
  draft: null,
  selectedId: null,
  setDraft: (draft) => set({ draft }),
  select: (selectedId) => set({ selectedId }),
  discard: () => set({ draft: null }),
}));

const ruleFields = ['id', 'name', 'condition', 'action', 'priority', 'assignment_group', 'category', 'auto_contain_host'] as const;

/** Same rules in the same order, whatever order their keys were written in. */
export function sameRuleSet(a: RuleSet, b: RuleSet): boolean {
  return a.rules.length === b.rules.length && a.rules.every((rule, i) => ruleFields.every((k) => rule[k] === b.rules[i]?.[k]));
}

/** A fresh id (`rule-N`) that no rule in the set uses. */
export function nextRuleId(rules: readonly DetectionRule[]): string {
  const taken = new Set(rules.map((r) => r.id));
  let n = rules.length + 1;
  while (taken.has(`rule-${n}`)) n++;
  return `rule-${n}`;
}
