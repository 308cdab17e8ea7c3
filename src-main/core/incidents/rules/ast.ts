// The condition tree the parser builds and the printer, checker, compiler and explainer walk.
import type { Span } from './diagnostics';

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

export interface FieldRef extends Span {
  /** As written, e.g. `device.platform_name`. */
  readonly name: string;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly from: number; readonly to: number }
  | { readonly kind: 'number'; readonly value: number; readonly from: number; readonly to: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly from: number; readonly to: number }
  | { readonly kind: 'null'; readonly value: null; readonly from: number; readonly to: number };

export type StringLiteral = Extract<Literal, { kind: 'string' }>;

/** `'/pattern/flags'`: the pattern and flags as the RegExp constructor takes them. */
export interface RegexLiteral extends Span {
  readonly pattern: string;
  readonly flags: string;
}

export type Expr =
  | { readonly kind: 'or'; readonly operands: readonly Expr[]; readonly from: number; readonly to: number }
  | { readonly kind: 'and'; readonly operands: readonly Expr[]; readonly from: number; readonly to: number }
  | { readonly kind: 'not'; readonly operand: Expr; readonly from: number; readonly to: number }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Literal; readonly from: number; readonly to: number }
  | {
      readonly kind: 'in';
      readonly field: FieldRef;
      readonly negated: boolean;
      readonly values: readonly Literal[];
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: 'contains';
      readonly field: FieldRef;
      readonly negated: boolean;
      readonly value: StringLiteral;
      readonly from: number;
      readonly to: number;
    }
  | { readonly kind: 'matches'; readonly field: FieldRef; readonly negated: boolean; readonly regex: RegexLiteral; readonly from: number; readonly to: number }
  | { readonly kind: 'constant'; readonly value: boolean; readonly from: number; readonly to: number }
  /** Stands in for a piece that did not parse; keeps the field it named so that can still be checked. */
  | { readonly kind: 'error'; readonly field?: FieldRef; readonly from: number; readonly to: number };

export type Comparison = Extract<Expr, { kind: 'compare' | 'in' | 'contains' | 'matches' }>;

export const isComparison = (expr: Expr): expr is Comparison =>
  expr.kind === 'compare' || expr.kind === 'in' || expr.kind === 'contains' || expr.kind === 'matches';

/** The operator as an admin reads it: `>=`, `NOT IN`, `CONTAINS`. */
export function operatorText(expr: Comparison): string {
  switch (expr.kind) {
    case 'compare':
      return expr.op;
    case 'in':
      return expr.negated ? 'NOT IN' : 'IN';
    case 'contains':
      return expr.negated ? 'NOT CONTAINS' : 'CONTAINS';
    case 'matches':
      return expr.negated ? 'NOT MATCHES' : 'MATCHES';
  }
}
