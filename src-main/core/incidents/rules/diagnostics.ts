// Builds positioned diagnostics: offsets into the condition plus the 1-based line and column an admin reads.
import type { DiagnosticCode, DiagnosticSeverity, RuleDiagnostic } from '../../../../src-shared/schemas/rules';

export interface Span {
  readonly from: number;
  readonly to: number;
}

export interface DiagnosticDetails {
  readonly suggestion?: string;
  readonly replacement?: string;
}

export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function diagnostic(
  source: string,
  span: Span,
  severity: DiagnosticSeverity,
  code: DiagnosticCode,
  message: string,
  details: DiagnosticDetails = {},
): RuleDiagnostic {
  const from = Math.min(span.from, source.length);
  const to = Math.min(Math.max(span.to, from), source.length);
  const result: RuleDiagnostic = { from, to, ...lineAndColumn(source, from), severity, code, message };
  if (details.suggestion !== undefined) result.suggestion = details.suggestion;
  if (details.replacement !== undefined) result.replacement = details.replacement;
  return result;
}

export const hasErrors = (diagnostics: readonly RuleDiagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');

/** Diagnostics in reading order, errors before warnings at the same place. */
export const sortDiagnostics = (diagnostics: readonly RuleDiagnostic[]): RuleDiagnostic[] =>
  [...diagnostics].sort((a, b) => a.from - b.from || a.to - b.to || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));

/** One line for logs and the CLI: `1:1 error unknown field 'sevrity' — did you mean 'severity'?` */
export const formatDiagnostic = (d: RuleDiagnostic): string => `${d.line}:${d.column} ${d.severity} ${d.message}${d.suggestion ? ` — ${d.suggestion}` : ''}`;
