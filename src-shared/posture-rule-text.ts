// A posture rule in words: the posture log's "expected" column and the Checks list read the same.
import type { PostureRule } from './schemas/posture';
import { describeGenericRule, type GenericRule } from './schemas/sources/generic-rule';

const oneOf = (attribute: string, accepted: readonly string[]) =>
  accepted.length === 1 ? `${attribute} = ${accepted[0]}` : `${attribute} in (${accepted.join(', ')})`;

/**
 * The expected side of a log row, e.g. "overall >= 70", "state in (online, unknown)", "present in Intune".
 * `sourceName` names the source of a presence check (its id otherwise).
 */
export function describeRule(rule: PostureRule, sourceName?: (providerId: string) => string | undefined): string {
  switch (rule.attribute) {
    case 'overall':
    case 'os':
    case 'sensor_config':
    case 'version':
    case 'active_threats':
      return `${rule.attribute} ${rule.operator} ${rule.value}`;
    case 'state':
    case 'network_status':
    case 'operational_state':
      return oneOf(rule.attribute, rule.accepted);
    case 'last_seen':
      return rule.within === '>30d' ? 'last_seen at any time' : `last_seen within ${rule.within}`;
    case 'infected':
    case 'is_active':
      return `${rule.attribute} = ${rule.expected}`;
    case 'present_in':
      return `present in ${sourceName?.(rule.sourceId) ?? rule.sourceId}`;
    default:
      // Attributes described as data (newer sources) read alike by their rule shape.
      return describeGenericRule(rule as GenericRule);
  }
}
