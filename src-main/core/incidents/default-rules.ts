// The rule set a new installation starts with: the StackFlow page's detection_rules, as published.
import type { RuleSet } from '../../../src-shared/schemas/rules';
import { importDetectionRules } from './rules';

export const seedDetectionRulesJson = {
  detection_rules: [
    {
      condition: "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')",
      action: 'create_incident',
      priority: 'P1',
      assignment_group: 'Security Operations',
      category: 'security',
      auto_contain_host: false,
    },
    { condition: 'severity >= 50', action: 'create_incident', priority: 'P2', assignment_group: 'Security Operations', category: 'security' },
    { condition: 'severity < 50', action: 'log_only' },
  ],
};

/** Named on import (rules/seed-names.ts), as the same JSON pasted by an admin would be. */
export function defaultRuleSet(): RuleSet {
  const imported = importDetectionRules(seedDetectionRulesJson);
  if (!imported.ok) throw new Error('The built-in detection rules do not import');
  return imported.ruleSet;
}
