// Readings for attributes described as data (src-shared/schemas/sources/attributes.ts): a new source's checks
// are evaluated from its attribute specs, by rule shape, without code of their own.
import { lastSeenBucketMs, type AttributeSpec, type SourcePosture, type UnknownReason } from '../../../src-shared/schemas/posture';
import type { GenericRule } from '../../../src-shared/schemas/sources/generic-rule';
import type { VersionOperator } from '../../../src-shared/schemas/sources/fields';

/** The outcome of reading one attribute: a value to judge, or why there is none. */
export type Reading = { received: string; holds: boolean } | { unknown: UnknownReason; reason: string; received?: string };

/** The leading dotted number of a version as reported ("14.6.1 (23G93)" → [14, 6, 1]); null when there is none. */
export function leadingVersion(text: string): number[] | null {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(text);
  return m ? m[1]!.split('.').map(Number) : null;
}

export function genericReader(
  rule: GenericRule,
  spec: AttributeSpec,
  kind: SourcePosture['kind'],
  sourceName: string,
  helpers: {
    compareVersions: (a: readonly number[], b: readonly number[]) => number;
    versionHolds: (op: VersionOperator, cmp: number) => boolean;
    lastSeenBucketOf: (elapsed: number) => string;
  },
): (posture: SourcePosture, now: number) => Reading {
  const name = rule.attribute;
  const notReported: Reading = { unknown: 'missing_attribute', reason: `This provider does not report ${name}.` };
  const missing: Reading = { unknown: 'missing_attribute', reason: `${sourceName} did not report ${name} for this device.` };
  const field = (p: SourcePosture): unknown => (p as unknown as Record<string, unknown>)[spec.field];
  switch (spec.shape) {
    case 'names':
    case 'accepted': {
      const accepted = new Set(rule.accepted ?? []);
      return (p) => {
        if (p.kind !== kind) return notReported;
        const value = field(p);
        if (value === null || value === undefined || value === '') return missing;
        // A value outside the known enum is shown as reported and is simply not accepted.
        return { received: `${name} = ${String(value)}`, holds: accepted.has(String(value)) };
      };
    }
    case 'boolean':
      return (p) => {
        if (p.kind !== kind) return notReported;
        const value = field(p);
        if (typeof value !== 'boolean') return missing;
        return { received: `${name} = ${value}`, holds: value === rule.expected };
      };
    case 'version': {
      const wanted = leadingVersion(String(rule.value ?? '')) ?? [];
      const op = (rule.operator ?? '>=') as VersionOperator;
      return (p) => {
        if (p.kind !== kind) return notReported;
        const value = field(p);
        if (typeof value !== 'string' || value.trim() === '') return missing;
        const parsed = leadingVersion(value);
        if (!parsed) return { unknown: 'unparseable_value', reason: `${name} "${value}" is not a dotted version.`, received: `${name} = ${value}` };
        return { received: `${name} = ${value}`, holds: helpers.versionHolds(op, helpers.compareVersions(parsed, wanted)) };
      };
    }
    case 'number': {
      const op = rule.operator ?? '>=';
      const wanted = Number(rule.value);
      return (p) => {
        if (p.kind !== kind) return notReported;
        const value = field(p);
        if (typeof value !== 'number') {
          const record = p as unknown as Record<string, unknown>;
          const why = typeof record.noScore === 'string' ? record.noScore : null;
          // Fail closed: the source says a device without a value fails (the custom endpoint's default).
          if (spec.closedField && record[spec.closedField] === true) return { received: `${name}: none${why ? ` (${why})` : ''}`, holds: false };
          return why ? { unknown: 'missing_attribute', reason: `${sourceName}: ${why}.` } : missing;
        }
        return { received: `${name} = ${value}`, holds: compareNumbers(value, op, wanted) };
      };
    }
    case 'keyed': {
      const key = rule.key ?? '';
      const op = rule.operator ?? '==';
      return (p) => {
        if (p.kind !== kind) return notReported;
        const map = field(p);
        const value = map && typeof map === 'object' ? (map as Record<string, unknown>)[key] : undefined;
        if (value === undefined || value === null)
          return { unknown: 'missing_attribute', reason: `${sourceName} did not report the attribute ${key} for this device.` };
        const received = `${key} = ${typeof value === 'string' ? `"${value}"` : String(value)}`;
        const wanted = rule.value;
        if (typeof wanted === 'number') {
          if (typeof value !== 'number')
            return { unknown: 'unparseable_value', reason: `${key} is ${typeof value}, not a number to compare with ${wanted}.`, received };
          return { received, holds: compareNumbers(value, op, wanted) };
        }
        const same = value === wanted;
        return { received, holds: op === '!=' ? !same : same };
      };
    }
    case 'within': {
      const limit = lastSeenBucketMs[rule.within ?? '>30d'];
      return (p, now) => {
        if (p.kind !== kind) return notReported;
        const at = field(p);
        if (typeof at !== 'number') return missing;
        // A time slightly ahead of our clock is skew, not the future.
        const elapsed = Math.max(0, now - at);
        const bucket = helpers.lastSeenBucketOf(elapsed);
        return { received: bucket === '>30d' ? `${name} more than 30d ago` : `${name} within ${bucket}`, holds: elapsed < limit };
      };
    }
  }
}

function compareNumbers(value: number, op: string, wanted: number): boolean {
  switch (op) {
    case '<':
      return value < wanted;
    case '<=':
      return value <= wanted;
    case '>':
      return value > wanted;
    case '>=':
      return value >= wanted;
    case '!=':
      return value !== wanted;
    default:
      return value === wanted;
  }
}
