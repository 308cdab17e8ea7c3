// How alert values compare with literals: text ignores case, numbers accept numeric text, lists match on any element.
import type { ExplainValue } from '../../../../src-shared/schemas/rules';

const NUMERIC_TEXT = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

/** The number an alert value stands for, or NaN; some Falcon payloads carry severity as "50". */
export function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMERIC_TEXT.test(value) ? Number(value) : Number.NaN;
}

/** Case-insensitive text equality, with the literal already lower-cased once at compile time. */
export const sameText = (value: string, literal: string, lowerLiteral: string): boolean => value === literal || value.toLowerCase() === lowerLiteral;

/** A missing field and an explicit JSON null are both "null" to a condition. */
export const isNull = (value: unknown): boolean => value === null || value === undefined;

/** Lifts a test on one value to alert fields that hold lists (tags): true when any element passes. */
export const anyElement =
  (test: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    test(value) || (Array.isArray(value) && value.some(test));

const MAX_SHOWN = 200;

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > MAX_SHOWN * 5 ? value.slice(0, MAX_SHOWN * 5) + '…' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return Number.isFinite(value) || typeof value === 'boolean' ? value : String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_SHOWN ? json.slice(0, MAX_SHOWN) + '…' : json;
}

/** An alert value as an explanation can carry it over IPC: scalars as-is, lists element-wise, objects as short JSON. */
export function toExplainValue(value: unknown): ExplainValue {
  return Array.isArray(value) ? value.slice(0, 50).map(scalar) : scalar(value);
}
