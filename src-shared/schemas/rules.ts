// Detection rules as data: the seed's JSON format, the stored rule set, and what the editor and back-test show.
import { z } from 'zod';

/** Longest condition accepted anywhere; a rule is a line or two, this only stops abuse. */
export const MAX_CONDITION_LENGTH = 4000;
export const MAX_RULES = 500;

/** Reserved words of the condition language; case-insensitive in conditions, listed in canonical case. */
export const ConditionKeyword = z.enum(['AND', 'OR', 'NOT', 'IN', 'CONTAINS', 'MATCHES', 'TRUE', 'FALSE', 'NULL']);
export type ConditionKeyword = z.infer<typeof ConditionKeyword>;

const quoted = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

/** An enum whose messages read `P5 is not one of P1, P2, P3, P4` and `is required`. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? 'is required' : `${quoted(issue.input)} is not one of ${values.join(', ')}`),
  });
}

export const RuleAction = oneOf(['create_incident', 'log_only']);
export type RuleAction = z.infer<typeof RuleAction>;

export const RulePriority = oneOf(['P1', 'P2', 'P3', 'P4']);
export type RulePriority = z.infer<typeof RulePriority>;

const text = (what: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `${what} must be text`) })
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`);

const ruleShape = {
  condition: text('the condition', MAX_CONDITION_LENGTH),
  action: RuleAction,
  priority: RulePriority.optional(),
  assignment_group: text('the assignment group', 200).optional(),
  category: text('the category', 100).optional(),
  // Absent means false; kept optional so a seed that omits it exports without it.
  auto_contain_host: z.boolean({ error: 'must be true or false' }).optional(),
};

const identity = {
  id: text('the id', 100).regex(/^[A-Za-z0-9._:-]+$/, 'the id may use letters, digits and . _ : - only'),
  name: text('the name', 200),
};

type RuleFields = { action: RuleAction; priority?: RulePriority | undefined };

function requirePriority(rule: RuleFields, ctx: z.RefinementCtx): void {
  if (rule.action === 'create_incident' && rule.priority === undefined)
    ctx.addIssue({ code: 'custom', path: ['priority'], message: 'is required when the action is create_incident' });
}

/** One rule exactly as the StackFlow seed writes it; `id` and `name` are this product's optional extensions. */
export const SeedDetectionRule = z.strictObject({ ...ruleShape, id: identity.id.optional(), name: identity.name.optional() }).superRefine(requirePriority);
export type SeedDetectionRule = z.infer<typeof SeedDetectionRule>;

/** The seed's document: `{"detection_rules": [...]}`. */
export const SeedDetectionRules = z.object({ detection_rules: z.array(SeedDetectionRule).max(MAX_RULES) });
export type SeedDetectionRules = z.infer<typeof SeedDetectionRules>;

/** A stored rule: the seed's fields plus a stable id and a display name. */
export const DetectionRule = z.strictObject({ ...identity, ...ruleShape }).superRefine(requirePriority);
export type DetectionRule = z.infer<typeof DetectionRule>;

/** Ordered rules; the first whose condition matches an alert decides what happens to it. */
export const RuleSet = z.object({ rules: z.array(DetectionRule).max(MAX_RULES, `at most ${MAX_RULES} rules`) }).superRefine((set, ctx) => {
  const seen = new Map<string, number>();
  set.rules.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first === undefined) seen.set(rule.id, index);
    else ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `${rule.id} is also the id of rule ${first + 1}` });
  });
});
export type RuleSet = z.infer<typeof RuleSet>;

/** What a matching rule asks for. */
export const RuleOutcome = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('create_incident'),
    priority: RulePriority,
    assignment_group: z.string().optional(),
    category: z.string().optional(),
    auto_contain_host: z.boolean(),
  }),
  z.object({ action: z.literal('log_only') }),
]);
export type RuleOutcome = z.infer<typeof RuleOutcome>;

export const RuleMatch = z.object({
  ruleIndex: z.number().int().nonnegative(),
  ruleId: z.string(),
  outcome: RuleOutcome,
});
export type RuleMatch = z.infer<typeof RuleMatch>;

export const DiagnosticSeverity = z.enum(['error', 'warning']);
export type DiagnosticSeverity = z.infer<typeof DiagnosticSeverity>;

export const DiagnosticCode = z.enum([
  'syntax', // the text does not parse
  'unknown-field', // no such alert field
  'type', // the operator or value does not fit the field's type
  'regex', // MATCHES pattern is malformed or unsafe
  'unknown-value', // a value the field is not known to take
  'range', // a number outside the field's range
  'format', // a value that does not look like the field's format (hash, ATT&CK id)
  'redundant', // a value listed twice, a setting that has no effect
]);
export type DiagnosticCode = z.infer<typeof DiagnosticCode>;

/**
 * A problem in a condition. `from`/`to` are UTF-16 offsets into the condition (CodeMirror's unit);
 * `line`/`column` are 1-based and point at `from`. When `replacement` is set, replacing
 * `from..to` with it applies the suggestion.
 */
export const RuleDiagnostic = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  severity: DiagnosticSeverity,
  code: DiagnosticCode,
  message: z.string(),
  suggestion: z.string().optional(),
  replacement: z.string().optional(),
});
export type RuleDiagnostic = z.infer<typeof RuleDiagnostic>;

/** A field-level problem in an imported document or a rule set; `diagnostic` locates it inside a condition. */
export const RuleIssue = z.object({
  path: z.string(),
  ruleIndex: z.number().int().nonnegative().optional(),
  field: z.string().optional(),
  severity: DiagnosticSeverity,
  message: z.string(),
  suggestion: z.string().optional(),
  diagnostic: RuleDiagnostic.optional(),
});
export type RuleIssue = z.infer<typeof RuleIssue>;

export const RuleImportResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ruleSet: RuleSet, warnings: z.array(RuleIssue) }),
  z.object({ ok: z.literal(false), issues: z.array(RuleIssue) }),
]);
export type RuleImportResult = z.infer<typeof RuleImportResult>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A value as shown in an explanation: a literal, or what the alert held (lists for tags). */
export const ExplainValue = z.union([Scalar, z.array(Scalar)]);
export type ExplainValue = z.infer<typeof ExplainValue>;

/**
 * One sub-expression of a condition with its truth value on one alert. A node is `decisive` when
 * its value is what made its parent come out the way it did (the true terms of a matching OR).
 */
export const ExplainNode = z.object({
  kind: z.enum(['or', 'and', 'not', 'comparison', 'constant']),
  text: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  result: z.boolean(),
  decisive: z.boolean(),
  field: z.string().optional(),
  operator: z.string().optional(),
  expected: ExplainValue.optional(),
  received: ExplainValue.optional(),
  missing: z.boolean().optional(),
  get children(): z.ZodOptional<z.ZodArray<typeof ExplainNode>> {
    return z.array(ExplainNode).optional();
  },
});
export type ExplainNode = z.infer<typeof ExplainNode>;

/** Why a condition did or did not match one alert. */
export const MatchExplanation = z.object({
  condition: z.string(),
  matched: z.boolean(),
  tree: ExplainNode,
});
export type MatchExplanation = z.infer<typeof MatchExplanation>;

/** A rule set run on one alert: the rules tried in order, up to and including the first match. */
export const RuleSetExplanation = z.object({
  match: RuleMatch.nullable(),
  tried: z.array(z.object({ ruleIndex: z.number().int().nonnegative(), ruleId: z.string(), explanation: MatchExplanation })),
});
export type RuleSetExplanation = z.infer<typeof RuleSetExplanation>;

export const RuleFieldType = z.enum(['number', 'string', 'boolean', 'string-list']);
export type RuleFieldType = z.infer<typeof RuleFieldType>;

/** One alert field a condition can name, for completion and hover. */
export const RuleFieldInfo = z.object({
  name: z.string(),
  type: RuleFieldType,
  description: z.string(),
  /** Known values, in the alert's spelling; conditions compare them case-insensitively. */
  values: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  example: z.string().optional(),
});
export type RuleFieldInfo = z.infer<typeof RuleFieldInfo>;

export const CompletionKind = z.enum(['field', 'operator', 'keyword', 'value']);
export type CompletionKind = z.infer<typeof CompletionKind>;

/** Completions at a cursor: replace `from..to` with an option's `apply` (or its `label`). */
export const ConditionCompletion = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  options: z.array(
    z.object({
      label: z.string(),
      kind: CompletionKind,
      apply: z.string().optional(),
      detail: z.string().optional(),
      info: z.string().optional(),
    }),
  ),
});
export type ConditionCompletion = z.infer<typeof ConditionCompletion>;
