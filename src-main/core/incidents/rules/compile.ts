// Turns a checked condition tree into nested closures once, so evaluating an alert is plain function calls.
import type { Comparison, Expr, Literal } from './ast';
import { lookupField, pathReader, type AlertRecord } from './fields';
import { anyElement, asNumber, isNull, sameText } from './values';

export type Predicate = (alert: AlertRecord) => boolean;

/** The compiled tree mirrors the condition so `explain` can show every part without re-reading the AST. */
export type CompiledNode =
  | { readonly kind: 'or' | 'and'; readonly expr: Expr; readonly test: Predicate; readonly children: readonly CompiledNode[] }
  | { readonly kind: 'not'; readonly expr: Expr; readonly test: Predicate; readonly children: readonly [CompiledNode] }
  | {
      readonly kind: 'comparison';
      readonly expr: Comparison;
      readonly test: Predicate;
      readonly read: (alert: AlertRecord) => unknown;
      /** Whether a value read from the alert satisfies the comparison (negation included). */
      readonly holds: (value: unknown) => boolean;
    }
  | { readonly kind: 'constant'; readonly expr: Expr; readonly test: Predicate };

/** Compiles a tree that parsed and type-checked without errors. */
export function compileExpr(expr: Expr): CompiledNode {
  switch (expr.kind) {
    case 'or':
    case 'and': {
      const children = expr.operands.map(compileExpr);
      const tests = children.map((c) => c.test);
      return { kind: expr.kind, expr, children, test: expr.kind === 'or' ? anyOf(tests) : allOf(tests) };
    }
    case 'not': {
      const child = compileExpr(expr.operand);
      const inner = child.test;
      return { kind: 'not', expr, children: [child], test: (alert) => !inner(alert) };
    }
    case 'constant': {
      const value = expr.value;
      return { kind: 'constant', expr, test: () => value };
    }
    case 'error':
      throw new Error('compileExpr: the condition has errors; check it before compiling');
    default: {
      const read = reader(expr);
      const holds = valueTest(expr);
      return { kind: 'comparison', expr, read, holds, test: (alert) => holds(read(alert)) };
    }
  }
}

function reader(expr: Comparison): (alert: AlertRecord) => unknown {
  const found = lookupField(expr.field.name);
  if (found.kind === 'unknown') throw new Error(`compileExpr: unknown field ${expr.field.name}`);
  return pathReader(found.spec.path);
}

// Two and three operands are the usual shapes; unrolled they avoid a loop per alert.
function anyOf(tests: readonly Predicate[]): Predicate {
  const [a, b, c] = tests;
  if (tests.length === 2 && a && b) return (alert) => a(alert) || b(alert);
  if (tests.length === 3 && a && b && c) return (alert) => a(alert) || b(alert) || c(alert);
  return (alert) => {
    for (const test of tests) if (test(alert)) return true;
    return false;
  };
}

function allOf(tests: readonly Predicate[]): Predicate {
  const [a, b, c] = tests;
  if (tests.length === 2 && a && b) return (alert) => a(alert) && b(alert);
  if (tests.length === 3 && a && b && c) return (alert) => a(alert) && b(alert) && c(alert);
  return (alert) => {
    for (const test of tests) if (!test(alert)) return false;
    return true;
  };
}

/** The value test of a comparison, with the literal normalised once (lower-cased, parsed, put in a Set). */
export function valueTest(expr: Comparison): (value: unknown) => boolean {
  const positive = positiveTest(expr);
  const negated = expr.kind === 'compare' ? expr.op === '!=' : expr.negated;
  return negated ? (value) => !positive(value) : positive;
}

function positiveTest(expr: Comparison): (value: unknown) => boolean {
  switch (expr.kind) {
    case 'compare':
      return expr.op === '=' || expr.op === '!=' ? equalsTest(expr.value) : orderTest(expr.op, expr.value.value as number);
    case 'in':
      return inTest(expr.values);
    case 'contains': {
      const needle = expr.value.value.toLowerCase();
      return anyElement((value) => typeof value === 'string' && value.toLowerCase().includes(needle));
    }
    case 'matches': {
      const pattern = new RegExp(expr.regex.pattern, expr.regex.flags);
      return anyElement((value) => typeof value === 'string' && pattern.test(value));
    }
  }
}

function equalsTest(literal: Literal): (value: unknown) => boolean {
  switch (literal.kind) {
    case 'null':
      return isNull;
    case 'string': {
      const text = literal.value;
      const lower = text.toLowerCase();
      return anyElement((value) => typeof value === 'string' && sameText(value, text, lower));
    }
    case 'number': {
      const number = literal.value;
      return anyElement((value) => (typeof value === 'number' ? value === number : asNumber(value) === number));
    }
    case 'boolean': {
      const flag = literal.value;
      return anyElement((value) => value === flag);
    }
  }
}

function orderTest(op: '>' | '>=' | '<' | '<=', bound: number): (value: unknown) => boolean {
  switch (op) {
    case '>':
      return anyElement((value) => asNumber(value) > bound);
    case '>=':
      return anyElement((value) => asNumber(value) >= bound);
    case '<':
      return anyElement((value) => asNumber(value) < bound);
    case '<=':
      return anyElement((value) => asNumber(value) <= bound);
  }
}

function inTest(literals: readonly Literal[]): (value: unknown) => boolean {
  const texts = new Set<string>();
  const numbers = new Set<number>();
  const flags = new Set<boolean>();
  for (const literal of literals) {
    if (literal.kind === 'string') texts.add(literal.value).add(literal.value.toLowerCase());
    else if (literal.kind === 'number') numbers.add(literal.value);
    else if (literal.kind === 'boolean') flags.add(literal.value);
  }
  // `texts` holds each literal as written and lower-cased: an exact hit skips toLowerCase.
  return anyElement((value) => {
    if (typeof value === 'string') return texts.has(value) || texts.has(value.toLowerCase()) || (numbers.size > 0 && numbers.has(asNumber(value)));
    if (typeof value === 'number') return numbers.has(value);
    return typeof value === 'boolean' && flags.has(value);
  });
}
