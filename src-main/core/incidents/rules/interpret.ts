// A plain tree-walking evaluator: the reference the compiled closures are tested against, and the benchmark's baseline.
import type { Comparison, Expr, Literal } from './ast';
import { lookupField, readPath, type AlertRecord } from './fields';
import { asNumber, isNull } from './values';

/** Patterns are built once per tree node; re-building them per alert would only measure RegExp. */
const patterns = new WeakMap<object, RegExp>();

export function interpret(expr: Expr, alert: AlertRecord): boolean {
  switch (expr.kind) {
    case 'or':
      return expr.operands.some((operand) => interpret(operand, alert));
    case 'and':
      return expr.operands.every((operand) => interpret(operand, alert));
    case 'not':
      return !interpret(expr.operand, alert);
    case 'constant':
      return expr.value;
    case 'error':
      throw new Error('interpret: the condition has errors');
    default: {
      const found = lookupField(expr.field.name);
      if (found.kind === 'unknown') throw new Error(`interpret: unknown field ${expr.field.name}`);
      const value = readPath(alert, found.spec.path);
      const negated = expr.kind === 'compare' ? expr.op === '!=' : expr.negated;
      const nullTest = expr.kind === 'compare' && expr.value.kind === 'null';
      const positive = nullTest ? isNull(value) : holdsFor(expr, value) || (Array.isArray(value) && value.some((element) => holdsFor(expr, element)));
      return negated ? !positive : positive;
    }
  }
}

function holdsFor(expr: Comparison, value: unknown): boolean {
  switch (expr.kind) {
    case 'compare':
      if (expr.op === '=' || expr.op === '!=') return equals(value, expr.value);
      return compareNumbers(asNumber(value), expr.op, expr.value.value as number);
    case 'in':
      return expr.values.some((literal) => equals(value, literal));
    case 'contains':
      return typeof value === 'string' && value.toLowerCase().includes(expr.value.value.toLowerCase());
    case 'matches': {
      let pattern = patterns.get(expr);
      if (!pattern) patterns.set(expr, (pattern = new RegExp(expr.regex.pattern, expr.regex.flags)));
      return typeof value === 'string' && pattern.test(value);
    }
  }
}

function equals(value: unknown, literal: Literal): boolean {
  switch (literal.kind) {
    case 'string':
      return typeof value === 'string' && value.toLowerCase() === literal.value.toLowerCase();
    case 'number':
      return asNumber(value) === literal.value;
    case 'boolean':
      return value === literal.value;
    case 'null':
      return false;
  }
}

function compareNumbers(value: number, op: '>' | '>=' | '<' | '<=', bound: number): boolean {
  switch (op) {
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
  }
}
