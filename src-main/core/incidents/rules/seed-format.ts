// Reads and writes the StackFlow `{"detection_rules": [...]}` document, keeping exactly the keys it was given.
import type { z } from 'zod';
import {
  MAX_CONDITION_LENGTH,
  MAX_RULES,
  SeedDetectionRule,
  type DetectionRule,
  type RuleImportResult,
  type RuleIssue,
  type RuleSet,
  type SeedDetectionRules,
} from '../../../../src-shared/schemas/rules';
import type { Expr } from './ast';
import { checkCondition } from './condition';
import { hasErrors } from './diagnostics';
import { conditionIssue, reachabilityWarnings, settingWarnings } from './rule-set';
import { closestMatch } from './suggest';
import { seedRuleName } from './seed-names';

const ROOT_KEY = 'detection_rules';
/** The seed's key order; export writes keys in this order so a round trip gives back the same text. */
const seedKeys = ['condition', 'action', 'priority', 'assignment_group', 'category', 'auto_contain_host'] as const;
const extensionKeys = ['id', 'name'] as const;

export interface ExportOptions {
  /** Also write this product's `id` and `name`; off by default so StackFlow gets its own format exactly. */
  readonly extensions?: boolean;
}

const rootIssue = (message: string, suggestion?: string): RuleIssue => ({ path: '(root)', severity: 'error', message, ...(suggestion ? { suggestion } : {}) });

/**
 * Validates the seed document (or a bare array of rules, or either as JSON text) into a rule set.
 * Every problem is reported with its path, e.g. `detection_rules[1].priority`, and condition
 * problems carry their line and column inside the condition.
 */
export function importDetectionRules(json: unknown): RuleImportResult {
  let document = json;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json);
    } catch (error) {
      return {
        ok: false,
        issues: [rootIssue(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`, 'Paste the whole document, starting with { or [.')],
      };
    }
  }

  const issues: RuleIssue[] = [];
  let list: unknown;
  let prefix: string;
  if (Array.isArray(document)) {
    list = document;
    prefix = '';
  } else if (document !== null && typeof document === 'object') {
    const keys = Object.keys(document);
    if (!keys.includes(ROOT_KEY)) {
      const guess = keys.find((k) => closestMatch(k, [ROOT_KEY]) !== undefined) ?? keys.find((k) => /rules/i.test(k));
      return { ok: false, issues: [rootIssue(`expected {"${ROOT_KEY}": [...]}`, guess ? `Rename "${guess}" to "${ROOT_KEY}".` : undefined)] };
    }
    for (const key of keys)
      if (key !== ROOT_KEY) issues.push({ path: key, severity: 'warning', message: `${key} is not part of the detection rules and was ignored` });
    list = (document as Record<string, unknown>)[ROOT_KEY];
    prefix = ROOT_KEY;
  } else {
    return { ok: false, issues: [rootIssue(`expected {"${ROOT_KEY}": [...]} or a list of rules`)] };
  }

  if (!Array.isArray(list)) return { ok: false, issues: [{ path: prefix || '(root)', severity: 'error', message: 'must be a list of rules' }] };
  if (list.length > MAX_RULES)
    return { ok: false, issues: [{ path: prefix, severity: 'error', message: `has ${list.length} rules; the limit is ${MAX_RULES}` }] };

  const rules: SeedDetectionRule[] = [];
  const asts: (Expr | null)[] = [];
  list.forEach((element: unknown, index) => {
    const path = `${prefix}[${index}]`;
    const parsed = SeedDetectionRule.safeParse(element);
    if (!parsed.success) issues.push(...parsed.error.issues.flatMap((issue) => shapeIssues(issue, path, index)));
    // Check the condition even when other fields are wrong, so one import shows every problem.
    const condition = element !== null && typeof element === 'object' ? (element as Record<string, unknown>).condition : undefined;
    const checked = typeof condition === 'string' && condition.length > 0 && condition.length <= MAX_CONDITION_LENGTH ? checkCondition(condition) : null;
    if (checked) issues.push(...checked.diagnostics.map((d) => conditionIssue(d, path, index)));
    asts.push(checked && checked.ast && !hasErrors(checked.diagnostics) ? checked.ast : null);
    if (parsed.success) {
      issues.push(...settingWarnings(parsed.data, path, index));
      rules.push(parsed.data);
    }
  });
  issues.push(...duplicateIds(list, prefix), ...reachabilityWarnings(asts, (index) => `${prefix}[${index}]`));

  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues: ordered(issues) };
  return { ok: true, ruleSet: { rules: withIdentity(rules) }, warnings: ordered(issues) };
}

/** Issues by rule, then field, in the order the document lists them. */
const ordered = (issues: RuleIssue[]): RuleIssue[] =>
  issues
    .map((issue, at) => ({ issue, at }))
    .sort((a, b) => (a.issue.ruleIndex ?? -1) - (b.issue.ruleIndex ?? -1) || a.at - b.at)
    .map(({ issue }) => issue);

function shapeIssues(issue: z.core.$ZodIssue, path: string, ruleIndex: number): RuleIssue[] {
  const at = (field: string): RuleIssue => ({ path: `${path}.${field}`, ruleIndex, field, severity: 'error', message: '' });
  if (issue.code === 'unrecognized_keys') {
    const known = [...seedKeys, ...extensionKeys];
    return issue.keys.map((key) => {
      const guess = closestMatch(key, known);
      return { ...at(key), message: 'is not a detection-rule field', suggestion: guess ? `did you mean '${guess}'?` : `Fields: ${known.join(', ')}.` };
    });
  }
  const field = issue.path.map(String).join('.');
  if (field === '') return [{ path, ruleIndex, severity: 'error', message: 'must be an object such as {"condition": "severity >= 80", "action": "log_only"}' }];
  return [{ ...at(field), message: issue.message }];
}

function duplicateIds(list: readonly unknown[], prefix: string): RuleIssue[] {
  const first = new Map<string, number>();
  const issues: RuleIssue[] = [];
  list.forEach((element, index) => {
    const id = element !== null && typeof element === 'object' ? (element as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string') return;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else
      issues.push({
        path: `${prefix}[${index}].id`,
        ruleIndex: index,
        field: 'id',
        severity: 'error',
        message: `${id} is also the id of ${prefix}[${earlier}]`,
        suggestion: 'Give each rule its own id, or leave ids out.',
      });
  });
  return issues;
}

/** Gives every rule an id and a name, keeping those the document had; generated ids avoid the given ones. */
function withIdentity(rules: readonly SeedDetectionRule[]): DetectionRule[] {
  const taken = new Set(rules.flatMap((r) => (r.id === undefined ? [] : [r.id])));
  return rules.map((rule, index) => {
    let id = rule.id;
    if (id === undefined) {
      id = `rule-${index + 1}`;
      for (let n = 2; taken.has(id); n++) id = `rule-${index + 1}-${n}`;
      taken.add(id);
    }
    return { id, name: rule.name ?? seedRuleName(rule) ?? `Rule ${index + 1}`, ...pick(rule, seedKeys) } as DetectionRule;
  });
}

/** The keys of `source` that are present, in `keys` order (absent stays absent: no `undefined` values). */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** Writes the seed's document: its keys in its order, optional ones only when the rule has them. */
export function exportDetectionRules(set: RuleSet, options: ExportOptions = {}): SeedDetectionRules {
  return {
    [ROOT_KEY]: set.rules.map((rule) => ({ ...(options.extensions ? pick(rule, extensionKeys) : {}), ...pick(rule, seedKeys) }) as SeedDetectionRule),
  };
}

/** The document as text, indented like the seed. */
export function exportDetectionRulesText(set: RuleSet, options: ExportOptions = {}): string {
  return JSON.stringify(exportDetectionRules(set, options), null, 2);
}
