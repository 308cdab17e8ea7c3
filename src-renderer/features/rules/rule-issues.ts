// Problems per rule and field: the schema's own checks on the draft as it is typed, plus what the last
// Save answered (paths `rules[0].condition` from the core, `rules.0.priority` from the contract's parse).
import { ContractError } from '../../../src-shared/contract-error';
import { RuleSet } from '../../../src-shared/schemas/rules';

export type RuleProblems = Map<number, Record<string, string>>;

const RULE_PATH = /^rules(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?/;

function add(problems: RuleProblems, index: number, field: string, message: string) {
  const forRule = problems.get(index) ?? {};
  // The first problem per field is the one to fix first; the rest usually follow from it.
  forRule[field] ??= message;
  problems.set(index, forRule);
}

export function ruleProblems(draft: RuleSet, saveError: unknown): { byRule: RuleProblems; other: string[] } {
  const byRule: RuleProblems = new Map();
  const other: string[] = [];
  const parsed = RuleSet.safeParse(draft);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [root, index, field] = issue.path;
      if (root === 'rules' && typeof index === 'number') add(byRule, index, String(field ?? 'rule'), issue.message);
      else other.push(issue.message);
    }
  if (saveError instanceof ContractError)
    for (const issue of saveError.issues ?? []) {
      const match = RULE_PATH.exec(issue.path);
      if (match) add(byRule, Number(match[1] ?? match[2]), match[3] ?? 'rule', issue.message);
      else other.push(`${issue.path}: ${issue.message}`);
    }
  return { byRule, other };
}
