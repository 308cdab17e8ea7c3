// Splits a condition into tokens with offsets; never throws, and turns common slips (&&, [ ]) into tokens plus a diagnostic.
import { ConditionKeyword, type RuleDiagnostic } from '../../../../src-shared/schemas/rules';
import type { CompareOp } from './ast';
import { diagnostic } from './diagnostics';

interface At {
  readonly from: number;
  readonly to: number;
  /** The token's source text. */
  readonly text: string;
}

export type Token =
  | (At & { readonly kind: 'ident' })
  | (At & { readonly kind: 'keyword'; readonly keyword: ConditionKeyword })
  | (At & { readonly kind: 'number'; readonly value: number })
  | (At & {
      readonly kind: 'string';
      readonly value: string;
      /** The text between the quotes, escapes untouched (MATCHES patterns read it raw). */
      readonly raw: string;
      readonly quote: "'" | '"';
      readonly terminated: boolean;
      /** Bad escapes; reported by the parser unless the string turns out to be a MATCHES pattern. */
      readonly escapeProblems: readonly RuleDiagnostic[];
    })
  | (At & { readonly kind: 'op'; readonly op: CompareOp })
  | (At & { readonly kind: '(' | ')' | ',' | 'eof' });

export type TokenKind = Token['kind'];

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly diagnostics: readonly RuleDiagnostic[];
}

const keywords = new Set<string>(ConditionKeyword.options);

const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isSpace = (c: string) => /\s/.test(c);

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Operators in longest-first order, with the spelling admins bring from other languages mapped to ours. */
const operators: ReadonlyArray<{ text: string; op: CompareOp; instead?: string }> = [
  { text: '===', op: '=', instead: '=' },
  { text: '!==', op: '!=', instead: '!=' },
  { text: '==', op: '=' },
  { text: '!=', op: '!=' },
  { text: '<>', op: '!=', instead: '!=' },
  { text: '>=', op: '>=' },
  { text: '<=', op: '<=' },
  { text: '=>', op: '>=', instead: '>=' },
  { text: '=<', op: '<=', instead: '<=' },
  { text: '=', op: '=' },
  { text: '>', op: '>' },
  { text: '<', op: '<' },
];

const simpleEscapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };

export function lex(source: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  let pos = 0;
  let strayFrom = -1;

  const flushStray = () => {
    if (strayFrom < 0) return;
    const text = source.slice(strayFrom, pos);
    diagnostics.push(
      diagnostic(source, { from: strayFrom, to: pos }, 'error', 'syntax', `unexpected ${text.length > 1 ? 'characters' : 'character'} '${text}'`, {
        suggestion: 'Conditions use field names, quoted text, numbers, comparison operators, AND, OR, NOT and parentheses.',
      }),
    );
    strayFrom = -1;
  };

  const slip = (from: number, to: number, message: string, replacement: string) =>
    diagnostics.push(diagnostic(source, { from, to }, 'error', 'syntax', message, { suggestion: `Write ${replacement}.`, replacement }));

  while (pos < source.length) {
    const c = source[pos] as string;
    const from = pos;

    if (isSpace(c)) {
      flushStray();
      pos++;
      continue;
    }

    if (isIdentStart(c)) {
      flushStray();
      // Dotted names (device.platform_name) are one token; a trailing dot stays in it so completion sees `device.`.
      while (pos < source.length && (isIdentPart(source[pos] as string) || source[pos] === '.')) pos++;
      const text = source.slice(from, pos);
      const upper = text.toUpperCase();
      if (keywords.has(upper)) tokens.push({ kind: 'keyword', keyword: upper as ConditionKeyword, from, to: pos, text });
      else tokens.push({ kind: 'ident', from, to: pos, text });
      continue;
    }

    if (isDigit(c) || (c === '-' && isDigit(source[pos + 1] ?? '')) || (c === '.' && isDigit(source[pos + 1] ?? ''))) {
      flushStray();
      pos++;
      // Take the whole run so `80abc` or `1.2.3` is one bad number, not a number and a surprise.
      while (pos < source.length) {
        const d = source[pos] as string;
        const signedExponent = (d === '+' || d === '-') && /[eE]/.test(source[pos - 1] ?? '') && isDigit(source[pos + 1] ?? '');
        if (!isIdentPart(d) && d !== '.' && !signedExponent) break;
        pos++;
      }
      const text = source.slice(from, pos);
      if (NUMBER.test(text) && Number.isFinite(Number(text))) {
        tokens.push({ kind: 'number', value: Number(text), from, to: pos, text });
      } else {
        const fixed = /^-?\.\d+$/.test(text) ? text.replace('.', '0.') : undefined;
        diagnostics.push(
          diagnostic(source, { from, to: pos }, 'error', 'syntax', `'${text}' is not a number`, {
            suggestion: fixed ? `Write ${fixed}.` : NUMBER.test(text) ? 'The number is too large.' : 'Numbers are written like 80 or 2.5; put text in quotes.',
            ...(fixed ? { replacement: fixed } : {}),
          }),
        );
        tokens.push({ kind: 'number', value: Number.NaN, from, to: pos, text });
      }
      continue;
    }

    if (c === "'" || c === '"') {
      flushStray();
      tokens.push(lexString(source, pos));
      pos = (tokens[tokens.length - 1] as Token).to;
      const token = tokens[tokens.length - 1] as Extract<Token, { kind: 'string' }>;
      if (!token.terminated)
        diagnostics.push(
          diagnostic(source, { from, to: pos }, 'error', 'syntax', 'unterminated string', {
            suggestion: `Close the text with ${c}.`,
          }),
        );
      continue;
    }

    const op = operators.find((o) => source.startsWith(o.text, pos));
    if (op) {
      flushStray();
      pos += op.text.length;
      tokens.push({ kind: 'op', op: op.op, from, to: pos, text: op.text });
      if (op.instead) slip(from, pos, `'${op.text}' is not an operator here`, op.instead);
      continue;
    }

    if (c === '(' || c === ')' || c === ',') {
      flushStray();
      pos++;
      tokens.push({ kind: c, from, to: pos, text: c });
      continue;
    }

    if (c === '[' || c === ']') {
      flushStray();
      pos++;
      const paren = c === '[' ? '(' : ')';
      tokens.push({ kind: paren, from, to: pos, text: c });
      slip(from, pos, 'lists are written in parentheses', paren);
      continue;
    }

    if (source.startsWith('&&', pos) || source.startsWith('||', pos)) {
      flushStray();
      pos += 2;
      const keyword = c === '&' ? 'AND' : 'OR';
      tokens.push({ kind: 'keyword', keyword, from, to: pos, text: source.slice(from, pos) });
      slip(from, pos, `'${source.slice(from, pos)}' is not an operator here`, keyword);
      continue;
    }

    if (c === '!') {
      flushStray();
      pos++;
      tokens.push({ kind: 'keyword', keyword: 'NOT', from, to: pos, text: c });
      slip(from, pos, "'!' is not an operator here", 'NOT ');
      continue;
    }

    if (strayFrom < 0) strayFrom = pos;
    pos++;
  }
  flushStray();
  tokens.push({ kind: 'eof', from: source.length, to: source.length, text: '' });
  return { tokens, diagnostics };
}

/** Reads a quoted string from `start`; an unclosed one ends at the end of its line so later lines still lex. */
function lexString(source: string, start: number): Extract<Token, { kind: 'string' }> {
  const quote = source[start] as "'" | '"';
  const problems: RuleDiagnostic[] = [];
  let value = '';
  let pos = start + 1;
  while (pos < source.length) {
    const c = source[pos] as string;
    if (c === quote) {
      return {
        kind: 'string',
        value,
        raw: source.slice(start + 1, pos),
        quote,
        terminated: true,
        escapeProblems: problems,
        from: start,
        to: pos + 1,
        text: source.slice(start, pos + 1),
      };
    }
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      pos++;
      continue;
    }
    const next = source[pos + 1];
    if (next === undefined || next === '\n') {
      pos++;
      break;
    }
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
      continue;
    }
    if (next === 'u') {
      const unicode = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(source.slice(pos + 1, pos + 11));
      const code = unicode ? parseInt((unicode[1] ?? unicode[2]) as string, 16) : -1;
      if (unicode && code <= 0x10ffff) {
        value += String.fromCodePoint(code);
        pos += 1 + unicode[0].length;
        continue;
      }
      problems.push(
        diagnostic(source, { from: pos, to: pos + 2 }, 'error', 'syntax', 'a \\u escape needs four hex digits or {hex}', {
          suggestion: 'Write \\u00e9 or \\u{1F600}; write \\\\u for a backslash followed by u.',
        }),
      );
      value += '\\u';
      pos += 2;
      continue;
    }
    // Keep the text as typed so later checks see what the admin meant (usually a Windows path).
    problems.push(
      diagnostic(source, { from: pos, to: pos + 2 }, 'error', 'syntax', `'\\${next}' is not an escape`, {
        suggestion: `Write \\\\${next} for a backslash followed by '${next}' (escapes: \\\\ \\' \\" \\n \\r \\t \\u).`,
        replacement: `\\\\${next}`,
      }),
    );
    value += '\\' + next;
    pos += 2;
  }
  return {
    kind: 'string',
    value,
    raw: source.slice(start + 1, pos),
    quote,
    terminated: false,
    escapeProblems: problems,
    from: start,
    to: pos,
    text: source.slice(start, pos),
  };
}
