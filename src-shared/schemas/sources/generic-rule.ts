// A rule on an attribute described as data (attributes.ts), seen without its literal types: what the generic
// rule text, editor and evaluator read.
import type { CompareOperator, LastSeenBucket, VersionOperator } from './fields';

export interface GenericRule {
  attribute: string;
  accepted?: readonly string[];
  expected?: boolean;
  operator?: VersionOperator | CompareOperator;
  value?: string | number | boolean;
  within?: LastSeenBucket;
  /** keyed rules: the entry of the reported map. */
  key?: string;
}

const oneOf = (attribute: string, accepted: readonly string[]) =>
  accepted.length === 1 ? `${attribute} = ${accepted[0]}` : `${attribute} in (${accepted.join(', ')})`;

/** "complianceState = compliant", "osVersion >= 17.0", "lastSyncDateTime within 7d", "isEncrypted = true". */
export function describeGenericRule(rule: GenericRule): string {
  if (rule.accepted) return oneOf(rule.attribute, rule.accepted);
  if (rule.within) return rule.within === '>30d' ? `${rule.attribute} at any time` : `${rule.attribute} within ${rule.within}`;
  if (rule.key !== undefined) return `${rule.key} ${rule.operator ?? '=='} ${typeof rule.value === 'string' ? `"${rule.value}"` : String(rule.value)}`;
  if (rule.operator) return `${rule.attribute} ${rule.operator} ${rule.value ?? ''}`;
  return `${rule.attribute} = ${String(rule.expected)}`;
}
