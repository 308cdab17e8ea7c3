// The rule language and rule set as the rest of the core sees them; other modules import from here only.
export type { AlertRecord, FieldSpec } from './fields';
export { fieldCatalog, fieldInfos } from './fields';
export type { CheckedCondition, CompiledCondition, CompileResult } from './condition';
export { checkCondition, compileCondition } from './condition';
export { formatDiagnostic } from './diagnostics';
export { explain } from './explain';
export { completeCondition } from './complete';
export { printCondition } from './print';
export type { CompiledRule, CompiledRuleSet, RuleSetCompileResult, RuleSetMatch } from './rule-set';
export { compileRuleSet, evaluateRuleSet, explainRuleSet, formatIssue, ruleOutcome } from './rule-set';
export type { ExportOptions } from './seed-format';
export { exportDetectionRules, exportDetectionRulesText, importDetectionRules } from './seed-format';
export { interpret } from './interpret';
export { MAX_PATTERN_LENGTH } from './regex';
