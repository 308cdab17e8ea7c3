// Recursive-descent parser (NOT > AND > OR) that recovers after an error so one pass reports every problem it can.
import type { ConditionKeyword, RuleDiagnostic } from '../../../../src-shared/schemas/rules';
import type { Expr, FieldRef, Literal } from './ast';
import { diagnostic, lineAndColumn, type DiagnosticDetails, type Span } from './diagnostics';
import { lex, type Token } from './lexer';
import { readRegex, rawStringValue } from './regex';
import { closestMatch } from './suggest';

export interface ParseResult {
  /** Null only when there is nothing to parse; otherwise a tree that may hold `error` nodes. */
  readonly ast: Expr | null;
  readonly diagnostics: readonly RuleDiagnostic[];
  readonly tokens: readonly Token[];
}

/** Deep enough for any rule a person writes; bounds recursion on hostile input. */
export const MAX_NESTING = 64;

const operatorWords = ['IN', 'NOT IN', 'CONTAINS', 'NOT CONTAINS', 'MATCHES', 'NOT MATCHES'];
const OPERATOR_LIST = '=, !=, >, >=, <, <=, IN, NOT IN, CONTAINS, MATCHES';

class Bail extends Error {}

export function parse(source: string): ParseResult {
  const { tokens, diagnostics: lexed } = lex(source);
  const diagnostics: RuleDiagnostic[] = [...lexed];
  let i = 0;
  let depth = 0;
  let parens = 0;

  const peek = (ahead = 0): Token => tokens[Math.min(i + ahead, tokens.length - 1)] as Token;
  const advance = (): Token => {
    const token = peek();
    if (token.kind !== 'eof') i++;
    return token;
  };
  const previous = (): Token | undefined => tokens[i - 1];
  const isKeyword = (token: Token, ...words: ConditionKeyword[]) => token.kind === 'keyword' && words.includes(token.keyword);
  const startsCondition = (token: Token) => token.kind === 'ident' || token.kind === '(' || isKeyword(token, 'NOT', 'TRUE', 'FALSE');

  const error = (span: Span, message: string, details?: DiagnosticDetails) => diagnostics.push(diagnostic(source, span, 'error', 'syntax', message, details));

  /** How a token reads in a message: `'AND'`, `the end of the condition`. */
  const describe = (token: Token) => (token.kind === 'eof' ? 'the end of the condition' : `'${token.text}'`);
  const after = () => {
    const before = previous();
    return before ? ` after '${before.text}'` : '';
  };

  /** Skips to where the next condition can start, so one mistake is reported once. */
  const synchronize = (from: number): Extract<Expr, { kind: 'error' }> => {
    let to = Math.max(from, previous()?.to ?? from);
    while (peek().kind !== 'eof' && peek().kind !== ')' && !isKeyword(peek(), 'AND', 'OR')) to = advance().to;
    return { kind: 'error', from, to };
  };

  const enter = () => {
    if (++depth > MAX_NESTING) {
      error(peek(), `the condition is nested more than ${MAX_NESTING} levels deep`, { suggestion: 'Remove some parentheses or NOTs.' });
      throw new Bail();
    }
  };

  function parseOr(): Expr {
    const operands = [parseAnd()];
    while (isKeyword(peek(), 'OR')) {
      advance();
      operands.push(parseAnd());
    }
    return join('or', operands);
  }

  function parseAnd(): Expr {
    const operands = [parseNot()];
    for (;;) {
      if (isKeyword(peek(), 'AND')) {
        advance();
      } else if (startsCondition(peek())) {
        // Point at the gap where the missing word goes, so applying the fix inserts it there.
        const gap = { from: previous()?.to ?? peek().from, to: peek().from };
        error(gap, `expected AND or OR before ${describe(peek())}`, { suggestion: 'Join conditions with AND or OR.', replacement: ' AND ' });
      } else {
        break;
      }
      operands.push(parseNot());
    }
    return join('and', operands);
  }

  function join(kind: 'or' | 'and', operands: Expr[]): Expr {
    const first = operands[0] as Expr;
    const last = operands[operands.length - 1] as Expr;
    return operands.length === 1 ? first : { kind, operands, from: first.from, to: last.to };
  }

  function parseNot(): Expr {
    const token = peek();
    if (!isKeyword(token, 'NOT')) return parsePrimary();
    enter();
    advance();
    const operand = parseNot();
    depth--;
    return { kind: 'not', operand, from: token.from, to: operand.to };
  }

  function parsePrimary(): Expr {
    const token = peek();
    if (token.kind === '(') {
      enter();
      advance();
      if (peek().kind === ')') {
        error({ from: token.from, to: advance().to }, 'empty parentheses', { suggestion: 'Put a condition between them, e.g. (severity >= 80).' });
        depth--;
        return { kind: 'error', from: token.from, to: previous()?.to ?? token.to };
      }
      parens++;
      const inner = parseOr();
      parens--;
      depth--;
      if (peek().kind === ')') return { ...inner, from: token.from, to: advance().to };
      const { column } = lineAndColumn(source, token.from);
      error(peek(), `missing ')' to close the '(' at column ${column}`, { suggestion: "Add ')'." });
      return inner;
    }
    if (isKeyword(token, 'TRUE', 'FALSE')) {
      advance();
      return { kind: 'constant', value: token.kind === 'keyword' && token.keyword === 'TRUE', from: token.from, to: token.to };
    }
    if (token.kind === 'ident') return parseComparison(advance() as Extract<Token, { kind: 'ident' }>);
    if (token.kind === 'eof') {
      error(token, `expected a condition${after()}`, { suggestion: 'Write a comparison such as severity >= 80.' });
      return { kind: 'error', from: token.from, to: token.to };
    }
    if (token.kind === ')') {
      if (parens > 0) {
        error(token, `expected a condition before ')'`, { suggestion: 'Write a comparison such as severity >= 80.' });
        return { kind: 'error', from: token.from, to: token.from };
      }
      error(advance(), "unmatched ')'", { suggestion: "Remove it or add the '(' it closes." });
      return startsCondition(peek()) ? parsePrimary() : { kind: 'error', from: token.from, to: token.to };
    }
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'op')
      error(token, `a condition starts with a field name, not ${describe(token)}`, {
        suggestion: "Write the field first, e.g. severity >= 80 or tactic = 'Execution'.",
      });
    else error(token, `expected a condition, found ${describe(token)}`, { suggestion: 'Write a comparison such as severity >= 80.' });
    return synchronize(token.from);
  }

  function parseComparison(fieldToken: Token): Expr {
    const field: FieldRef = { name: fieldToken.text, from: fieldToken.from, to: fieldToken.to };
    const start = field.from;
    const token = peek();
    const failed = (): Expr => ({ ...synchronize(start), field });

    if (token.kind === 'op') {
      advance();
      const value = parseValue();
      return value ? { kind: 'compare', field, op: token.op, value, from: start, to: value.to } : failed();
    }

    let negated = false;
    if (isKeyword(token, 'NOT')) {
      const operator = peek(1);
      if (!isKeyword(operator, 'IN', 'CONTAINS', 'MATCHES')) {
        error({ from: token.from, to: operator.to }, `expected IN, CONTAINS or MATCHES after '${fieldToken.text} NOT'`, {
          suggestion: `To negate a comparison write NOT before it: NOT ${fieldToken.text} = …`,
        });
        advance();
        return failed();
      }
      advance();
      negated = true;
    }

    const operator = peek();
    if (isKeyword(operator, 'IN')) {
      advance();
      const values = parseList();
      return values ? { kind: 'in', field, negated, values, from: start, to: previous()?.to ?? operator.to } : failed();
    }
    if (isKeyword(operator, 'CONTAINS')) {
      advance();
      const value = parseValue();
      if (!value) return failed();
      if (value.kind !== 'string') {
        error(value, `CONTAINS takes quoted text, not ${describe(previous() as Token)}`, {
          replacement: `'${String(value.value)}'`,
          suggestion: `Write '${String(value.value)}'.`,
        });
        return { kind: 'error', field, from: start, to: value.to };
      }
      return { kind: 'contains', field, negated, value, from: start, to: value.to };
    }
    if (isKeyword(operator, 'MATCHES')) {
      advance();
      const pattern = peek();
      if (pattern.kind !== 'string') {
        error(pattern, `expected a pattern such as '/^powershell/i' after 'MATCHES'`, {
          suggestion: "Write the pattern in quotes between slashes: '/pattern/flags'.",
        });
        return failed();
      }
      advance();
      if (!pattern.terminated) return { kind: 'error', field, from: start, to: pattern.to };
      const reading = readRegex(rawStringValue(pattern.raw, pattern.quote), pattern.quote);
      if (!reading.ok) {
        diagnostics.push(
          diagnostic(source, pattern, 'error', 'regex', reading.message, {
            suggestion: reading.suggestion,
            ...(reading.replacement !== undefined ? { replacement: reading.replacement } : {}),
          }),
        );
        return { kind: 'error', field, from: start, to: pattern.to };
      }
      return {
        kind: 'matches',
        field,
        negated,
        regex: { pattern: reading.pattern, flags: reading.flags, from: pattern.from, to: pattern.to },
        from: start,
        to: pattern.to,
      };
    }

    const guess = operator.kind === 'ident' ? closestMatch(operator.text, operatorWords) : undefined;
    if (guess) {
      error(operator, `unknown operator '${operator.text}' — did you mean ${guess}?`, { suggestion: `Operators: ${OPERATOR_LIST}.`, replacement: guess });
    } else {
      error(
        operator.kind === 'eof' ? operator : { from: operator.from, to: operator.to },
        `expected an operator after '${fieldToken.text}'${operator.kind === 'eof' ? '' : `, found ${describe(operator)}`}`,
        {
          suggestion: `Operators: ${OPERATOR_LIST}.`,
        },
      );
    }
    return failed();
  }

  /** A literal; a bare word is taken as text so the rest still checks, with an error asking for quotes. */
  function parseValue(): Literal | null {
    const token = peek();
    switch (token.kind) {
      case 'string':
        advance();
        for (const problem of token.escapeProblems) diagnostics.push(problem);
        return { kind: 'string', value: token.value, from: token.from, to: token.to };
      case 'number':
        advance();
        return { kind: 'number', value: token.value, from: token.from, to: token.to };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          advance();
          return { kind: 'boolean', value: token.keyword === 'TRUE', from: token.from, to: token.to };
        }
        if (token.keyword === 'NULL') {
          advance();
          return { kind: 'null', value: null, from: token.from, to: token.to };
        }
        break;
      case 'ident':
        advance();
        error(token, `text values go in quotes: '${token.text}'`, { suggestion: `Write '${token.text}'.`, replacement: `'${token.text}'` });
        return { kind: 'string', value: token.text, from: token.from, to: token.to };
    }
    error(token, `expected a value${after()}${token.kind === 'eof' ? '' : `, found ${describe(token)}`}`, {
      suggestion: "Values are numbers (80), quoted text ('Execution'), true, false or null.",
    });
    return null;
  }

  /** `( value, value … )`; null after reporting when the list cannot be read. */
  function parseList(): Literal[] | null {
    const open = peek();
    if (open.kind !== '(') {
      const single = open.kind === 'string' || open.kind === 'number' ? parseValue() : null;
      error(single ?? open, `expected a list in parentheses after '${previous()?.text ?? 'IN'}'`, {
        suggestion: "Write IN ('Execution', 'Impact').",
        ...(single ? { replacement: `(${source.slice(single.from, single.to)})` } : {}),
      });
      return single ? [single] : null;
    }
    advance();
    const values: Literal[] = [];
    if (peek().kind === ')') {
      error({ from: open.from, to: advance().to }, 'the list is empty', { suggestion: 'Put at least one value in it.' });
      return null;
    }
    for (;;) {
      const value = parseValue();
      if (!value) return null;
      values.push(value);
      const token = peek();
      if (token.kind === ')') {
        advance();
        return values;
      }
      if (token.kind === ',') {
        advance();
        continue;
      }
      if (token.kind === 'string' || token.kind === 'number' || token.kind === 'ident' || isKeyword(token, 'TRUE', 'FALSE', 'NULL')) {
        error({ from: value.to, to: token.from }, "expected ',' between values", { suggestion: "Separate values with ','.", replacement: ', ' });
        continue;
      }
      const { column } = lineAndColumn(source, open.from);
      error(token, `missing ')' to close the list opened at column ${column}`, { suggestion: "Add ')'." });
      return values;
    }
  }

  if (peek().kind === 'eof') {
    if (source.trim() === '') error({ from: 0, to: source.length }, 'the condition is empty', { suggestion: 'Write a comparison such as severity >= 80.' });
    return { ast: null, diagnostics, tokens };
  }

  let ast: Expr;
  try {
    ast = parseOr();
    while (peek().kind !== 'eof') {
      const stray = peek();
      const from = stray.from;
      let to = stray.to;
      while (peek().kind !== 'eof' && !startsCondition(peek()) && !isKeyword(peek(), 'AND', 'OR')) to = advance().to;
      error({ from, to }, stray.kind === ')' ? "unmatched ')'" : `unexpected ${describe(stray)}`, {
        suggestion: stray.kind === ')' ? "Remove it or add the '(' it closes." : 'Join conditions with AND or OR.',
      });
      if (isKeyword(peek(), 'AND', 'OR')) advance();
      if (peek().kind !== 'eof') parseOr();
      ast = { kind: 'error', from: ast.from, to: source.length };
    }
  } catch (bail) {
    if (!(bail instanceof Bail)) throw bail;
    ast = { kind: 'error', from: 0, to: source.length };
  }
  return { ast, diagnostics, tokens };
}
