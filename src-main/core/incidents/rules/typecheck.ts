// Checks a parsed condition against the field catalog: unknown fields are errors, unlikely values are warnings.
import type { RuleDiagnostic } from '../../../../src-shared/schemas/rules';
import { operatorText, type Comparison, type Expr, type FieldRef, type Literal } from './ast';
import { diagnostic, type DiagnosticDetails, type Span } from './diagnostics';
import { lookupField, type FieldSpec } from './fields';
import { closestMatch } from './suggest';

const typeWords = { number: 'a number', string: 'text', 'string-list': 'a list of text', boolean: 'true or false', unknown: 'any value' } as const;

export function typecheck(ast: Expr, source: string): RuleDiagnostic[] {
  const diagnostics: RuleDiagnostic[] = [];
  const report = (span: Span, severity: RuleDiagnostic['severity'], code: RuleDiagnostic['code'], message: string, details?: DiagnosticDetails) =>
    diagnostics.push(diagnostic(source, span, severity, code, message, details));

  /** Re-quotes a replacement value with the quote the admin used. */
  const quoteLike = (literal: Span, text: string) => {
    const quote = source[literal.from] === '"' ? '"' : "'";
    return quote + text.replaceAll('\\', '\\\\').replaceAll(quote, '\\' + quote) + quote;
  };

  function resolve(field: FieldRef): FieldSpec | null {
    const found = lookupField(field.name);
    if (found.kind === 'known') return found.spec;
    if (found.kind === 'device-extra') {
      report(
        field,
        'warning',
        'unknown-field',
        `'${field.name}' is not a known device field; it is read from the alert as-is`,
        found.closest ? { suggestion: `did you mean '${found.closest}'?`, replacement: found.closest } : {},
      );
      return found.spec;
    }
    const trailingDot = field.name.endsWith('.');
    report(
      field,
      'error',
      'unknown-field',
      trailingDot ? `expected a field name after '${field.name}'` : `unknown field '${field.name}'`,
      found.closest
        ? { suggestion: `did you mean '${found.closest}'?`, replacement: found.closest }
        : { suggestion: 'Press Ctrl+Space for the list of alert fields.' },
    );
    return null;
  }

  /** Whether `literal` can be compared with the field at all; reports why not. */
  function checkValue(spec: FieldSpec, literal: Literal, operator: string): boolean {
    if (literal.kind === 'null') return true;
    const type = spec.type;
    if (type === 'unknown') return true;
    if (type === 'number') {
      if (literal.kind === 'number') return true;
      const numeric = literal.kind === 'string' && /^-?\d+(?:\.\d+)?$/.test(literal.value.trim());
      report(
        literal,
        'error',
        'type',
        `${spec.name} is a number; '${operator}' cannot compare it with ${literal.kind === 'string' ? 'text' : literal.kind === 'boolean' ? 'true or false' : 'that'}`,
        numeric && literal.kind === 'string'
          ? { suggestion: `Write ${literal.value.trim()} without quotes.`, replacement: literal.value.trim() }
          : { suggestion: `Compare it with a number, e.g. ${spec.example ?? '80'}.` },
      );
      return false;
    }
    if (type === 'boolean') {
      if (literal.kind === 'boolean') return true;
      const word = literal.kind === 'string' ? literal.value.trim().toLowerCase() : '';
      report(
        literal,
        'error',
        'type',
        `${spec.name} is true or false`,
        word === 'true' || word === 'false'
          ? { suggestion: `Write ${word} without quotes.`, replacement: word }
          : { suggestion: 'Compare it with true or false.' },
      );
      return false;
    }
    if (literal.kind === 'string') return true;
    if (literal.kind === 'number' && !Number.isNaN(literal.value)) {
      const text = source.slice(literal.from, literal.to);
      report(literal, 'error', 'type', `${spec.name} is ${typeWords[type]}; put the value in quotes`, {
        suggestion: `Write '${text}'.`,
        replacement: `'${text}'`,
      });
    } else if (literal.kind === 'boolean') {
      report(literal, 'error', 'type', `${spec.name} is ${typeWords[type]}, not true or false`, {
        suggestion: `Compare it with quoted text${spec.example ? `, e.g. ${spec.example}` : ''}.`,
      });
    }
    return false;
  }

  /** Warnings for values the field is not known to take (after the type is known to fit). */
  function checkKnown(spec: FieldSpec, literal: Literal): void {
    if (literal.kind === 'number' && !Number.isNaN(literal.value)) {
      const { min, max } = spec;
      if ((min !== undefined && literal.value < min) || (max !== undefined && literal.value > max))
        report(
          literal,
          'warning',
          'range',
          `${spec.name} runs ${max === undefined ? `from ${min}` : `from ${min ?? '…'} to ${max}`}, so ${literal.value} is out of range`,
          { suggestion: 'Check the number; the comparison may never (or always) hold.' },
        );
      return;
    }
    if (literal.kind !== 'string') return;
    if (spec.values) {
      const lower = literal.value.toLowerCase();
      if (spec.values.some((v) => v.toLowerCase() === lower)) return;
      const guess = closestMatch(literal.value, spec.values);
      const listed = spec.values.length <= 8 ? `Known values: ${spec.values.join(', ')}.` : 'Press Ctrl+Space for the known values.';
      report(
        literal,
        'warning',
        'unknown-value',
        `'${literal.value}' is not a known ${spec.name} value`,
        guess ? { suggestion: `did you mean '${guess}'?`, replacement: quoteLike(literal, guess) } : { suggestion: listed },
      );
      return;
    }
    if (spec.format && !spec.format.pattern.test(literal.value))
      report(literal, 'warning', 'format', `'${literal.value}' does not look like ${spec.format.description}`, {
        suggestion: 'Check the value; the comparison may never hold.',
      });
  }

  function checkComparison(expr: Comparison): void {
    const spec = resolve(expr.field);
    if (!spec) return;
    const operator = operatorText(expr);
    switch (expr.kind) {
      case 'compare': {
        const ordering = expr.op !== '=' && expr.op !== '!=';
        if (expr.value.kind === 'null') {
          if (ordering)
            report(expr.value, 'error', 'type', `'${expr.op}' cannot compare with null`, { suggestion: `Use ${spec.name} = null or ${spec.name} != null.` });
          return;
        }
        if (ordering && spec.type !== 'number' && spec.type !== 'unknown') {
          report(
            { from: expr.field.to, to: expr.value.from },
            'error',
            'type',
            `'${expr.op}' compares numbers, and ${spec.name} is ${typeWords[spec.type]}`,
            orderedAlternative(spec, expr),
          );
          return;
        }
        if (ordering && spec.type === 'unknown' && expr.value.kind !== 'number') {
          report(expr.value, 'error', 'type', `'${expr.op}' compares numbers; ${source.slice(expr.value.from, expr.value.to)} is not a number`, {
            suggestion: 'Write a number, e.g. 80.',
          });
          return;
        }
        if (checkValue(spec, expr.value, operator)) checkKnown(spec, expr.value);
        return;
      }
      case 'in': {
        const seen = new Set<string>();
        for (const value of expr.values) {
          if (value.kind === 'null') {
            report(value, 'error', 'type', 'null cannot be listed', {
              suggestion: `Write ${spec.name} ${expr.negated ? '!=' : '='} null, joined with ${expr.negated ? 'AND' : 'OR'}.`,
            });
            continue;
          }
          if (!checkValue(spec, value, operator)) continue;
          checkKnown(spec, value);
          const key = typeof value.value === 'string' ? `s:${value.value.toLowerCase()}` : `${typeof value.value}:${String(value.value)}`;
          if (seen.has(key)) report(value, 'warning', 'redundant', `${source.slice(value.from, value.to)} is listed twice`, { suggestion: 'Remove one.' });
          seen.add(key);
        }
        return;
      }
      case 'contains':
      case 'matches': {
        if (spec.type === 'number' || spec.type === 'boolean') {
          report(
            { from: expr.field.to, to: expr.kind === 'contains' ? expr.value.from : expr.regex.from },
            'error',
            'type',
            `${expr.kind === 'contains' ? 'CONTAINS' : 'MATCHES'} works on text, and ${spec.name} is ${typeWords[spec.type]}`,
            { suggestion: spec.type === 'number' ? 'Use =, !=, >, >=, <, <= or IN.' : 'Use = true or = false.' },
          );
          return;
        }
        if (expr.kind === 'contains' && expr.value.value === '')
          report(expr.value, 'warning', 'redundant', `CONTAINS '' holds for every text value`, {
            suggestion: `Use ${spec.name} != null to test that the field is present.`,
          });
        return;
      }
    }
  }

  /** For ordered text (severity_name), `>= 'High'` is better said as IN ('High', 'Critical'). */
  function orderedAlternative(spec: FieldSpec, expr: Extract<Comparison, { kind: 'compare' }>): DiagnosticDetails {
    const values = spec.values;
    const at = expr.value.kind === 'string' && values ? values.findIndex((v) => v.toLowerCase() === (expr.value.value as string).toLowerCase()) : -1;
    if (!spec.ordered || !values || at < 0) return { suggestion: 'Use =, !=, IN, CONTAINS or MATCHES.' };
    const keep = values.filter((_, i) => (expr.op === '>' ? i > at : expr.op === '>=' ? i >= at : expr.op === '<' ? i < at : i <= at));
    if (keep.length === 0) return { suggestion: `No ${spec.name} is ${expr.op} '${values[at]}'.` };
    const rewrite = `${expr.field.name} IN (${keep.map((v) => quoteLike(expr.value, v)).join(', ')})`;
    return { suggestion: `Write ${rewrite}.` };
  }

  const walk = (expr: Expr): void => {
    switch (expr.kind) {
      case 'or':
      case 'and':
        expr.operands.forEach(walk);
        return;
      case 'not':
        walk(expr.operand);
        return;
      case 'constant':
        return;
      case 'error':
        if (expr.field) resolve(expr.field);
        return;
      default:
        checkComparison(expr);
    }
  };
  walk(ast);
  return diagnostics;
}
