// Prints a condition tree as canonical text that parses back to the same tree (used by formatting and round-trip tests).
import { operatorText, type Expr, type Literal, type RegexLiteral } from './ast';

const precedence = { or: 1, and: 2, not: 3 } as const;
const precedenceOf = (expr: Expr): number => (expr.kind === 'or' || expr.kind === 'and' || expr.kind === 'not' ? precedence[expr.kind] : 4);

export function printCondition(expr: Expr): string {
  return print(expr, 0);
}

/** `above` is the precedence the context binds with; a child that binds no tighter gets parentheses. */
function print(expr: Expr, above: number): string {
  const text = printBare(expr);
  return precedenceOf(expr) > above ? text : `(${text})`;
}

function printBare(expr: Expr): string {
  switch (expr.kind) {
    case 'or':
    case 'and':
      return expr.operands.map((operand) => print(operand, precedence[expr.kind])).join(expr.kind === 'or' ? ' OR ' : ' AND ');
    case 'not':
      // NOT NOT x needs no parentheses: the operand binds as tightly as NOT itself.
      return `NOT ${print(expr.operand, expr.operand.kind === 'not' ? precedence.and : precedence.not)}`;
    case 'constant':
      return expr.value ? 'true' : 'false';
    case 'compare':
      return `${expr.field.name} ${expr.op} ${printLiteral(expr.value)}`;
    case 'in':
      return `${expr.field.name} ${operatorText(expr)} (${expr.values.map(printLiteral).join(', ')})`;
    case 'contains':
      return `${expr.field.name} ${operatorText(expr)} ${printLiteral(expr.value)}`;
    case 'matches':
      return `${expr.field.name} ${operatorText(expr)} ${printRegex(expr.regex)}`;
    case 'error':
      throw new Error('printCondition: the tree has errors');
  }
}

const escapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string': {
      let text = '';
      for (const c of literal.value) {
        const code = c.charCodeAt(0);
        // Other control characters would lex fine but be invisible in the editor.
        text += escapes[c] ?? (code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c);
      }
      return `'${text}'`;
    }
    case 'number':
      return String(literal.value);
    case 'boolean':
      return literal.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}

/** MATCHES strings are raw (only \' is an escape), so only quotes and line breaks need care. */
export function printRegex(regex: Pick<RegexLiteral, 'pattern' | 'flags'>): string {
  let body = '';
  const { pattern } = regex;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1] as string;
      // In a pattern \' means ', and raw strings turn \' into ', so the backslash can go.
      body += next === "'" ? "\\'" : next === '\n' ? '\\n' : next === '\r' ? '\\r' : c + next;
      i++;
    } else {
      body += c === "'" ? "\\'" : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c;
    }
  }
  return `'/${body}/${regex.flags}'`;
}
