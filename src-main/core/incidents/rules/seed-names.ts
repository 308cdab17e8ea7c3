// The published seed rules carry no names: a nameless rule that is one of them (same condition and action) is
// given its name, so lists and incident headers say what it does ("Rule 2: Medium severity", not "Rule 2: Rule 2").
const seedNames = new Map<string, string>([
  ["create_incident\nseverity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')", 'Critical or high-impact tactic'],
  ['create_incident\nseverity >= 50', 'Medium severity'],
  ['log_only\nseverity < 50', 'Low severity'],
]);

export function seedRuleName(rule: { condition: string; action: string }): string | undefined {
  return seedNames.get(`${rule.action}\n${rule.condition.trim().replace(/\s+/g, ' ')}`);
}
