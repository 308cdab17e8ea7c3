// Values a provider reports, judged before a Test step repeats them: a count that cannot be a count, a total
// smaller than the page it came with, a name that is empty or a placeholder. A step never says "✓" over nonsense.
import type { DiagnosisCode } from './diagnosis';
import type { StepResult } from './test-run';

const IMPLAUSIBLE: DiagnosisCode = 'provider.implausible_value';

/** Why a reported value cannot be believed, in words that name it; undefined when it is plausible. */
export type Implausible = { value: string; problem: string } | undefined;

/**
 * A count the provider reported (a pagination total, a countOnly answer). `seen` is how many records came
 * with it on the same page: a total below that contradicts the page.
 */
export function implausibleCount(value: number, seen?: number): Implausible {
  const shown = String(value);
  if (!Number.isFinite(value)) return { value: shown, problem: 'is not a number' };
  if (!Number.isInteger(value)) return { value: shown, problem: 'is not a whole number' };
  if (value < 0) return { value: shown, problem: 'is negative' };
  if (value > Number.MAX_SAFE_INTEGER) return { value: shown, problem: `is larger than any count can be here (over ${Number.MAX_SAFE_INTEGER})` };
  if (seen !== undefined && value < seen) return { value: shown, problem: `is smaller than the ${seen} record${seen === 1 ? '' : 's'} on the same page` };
  return undefined;
}

/** Values API examples and unset fields carry instead of a name. */
const PLACEHOLDER_NAMES = new Set(['string', 'null', 'undefined', 'none', 'nil', 'n/a', 'na', 'unknown', 'example', 'default', 'test', 'tbd', 'xxx', '-', '?']);

/** A name the provider reported (a cloud in X-Cs-Region, a site): empty, invisible or a placeholder is no name. */
export function implausibleName(value: string): Implausible {
  const visible = value
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  if (visible === '') return { value: JSON.stringify(value), problem: 'is empty' };
  if (PLACEHOLDER_NAMES.has(visible.toLowerCase()) || /^[<{[].*[>}\]]$/.test(visible))
    return { value: `“${visible}”`, problem: 'is a placeholder, not a name' };
  return undefined;
}

/** The warning a step gives instead of repeating a value it cannot believe. */
export function implausibleResult(
  provider: 'Falcon' | 'SentinelOne',
  found: NonNullable<Implausible>,
  what: { reported: string; meaning: string; observed: string },
): StepResult {
  return {
    status: 'warn',
    code: IMPLAUSIBLE,
    observed: what.observed,
    cause: `${provider} reported ${what.reported} ${found.value}, which ${found.problem}: ${what.meaning}`,
    fix: `Nothing to change in this app. Test again later; if ${provider} keeps answering this, report it to ${provider === 'Falcon' ? 'CrowdStrike' : 'SentinelOne'} support with the time of this Test.`,
  };
}
