// What can be typed at the cursor: fields, operators that fit the field, its known values, AND/OR.
import type { ConditionCompletion } from '../../../../src-shared/schemas/rules';
import { fieldCatalog, lookupField, type FieldType } from './fields';
import { lex, type Token } from './lexer';
import { printLiteral } from './print';

type Option = ConditionCompletion['options'][number];

/** Where the grammar stands after the tokens before the cursor; states inside a comparison remember its field. */
type State =
  | { readonly expect: 'condition' | 'after' | 'pattern' }
  | { readonly expect: 'operator' | 'negated-operator' | 'list-open' | 'list-separator'; readonly field: string }
  | { readonly expect: 'value' | 'list-value'; readonly field: string; readonly operator: string };

const comparisonOperators: ReadonlyArray<{ label: string; detail: string; types: readonly FieldType[] }> = [
  { label: '=', detail: 'equals (text ignores case)', types: ['number', 'string', 'string-list', 'boolean', 'unknown'] },
  { label: '!=', detail: 'does not equal', types: ['number', 'string', 'string-list', 'boolean', 'unknown'] },
  { label: '>=', detail: 'at least', types: ['number', 'unknown'] },
  { label: '>', detail: 'more than', types: ['number', 'unknown'] },
  { label: '<=', detail: 'at most', types: ['number', 'unknown'] },
  { label: '<', detail: 'less than', types: ['number', 'unknown'] },
];
const wordOperators: ReadonlyArray<{ label: string; detail: string; types: readonly FieldType[] }> = [
  { label: 'IN', detail: 'one of a list: IN (…)', types: ['number', 'string', 'string-list', 'unknown'] },
  { label: 'CONTAINS', detail: 'contains text, ignoring case', types: ['string', 'string-list', 'unknown'] },
  { label: 'MATCHES', detail: "matches a pattern: '/re/flags'", types: ['string', 'string-list', 'unknown'] },
];

const typeDetail: Record<FieldType, string> = { number: 'number', string: 'text', 'string-list': 'list of text', boolean: 'true/false', unknown: 'any' };

export function completeCondition(source: string, offset: number): ConditionCompletion {
  const cursor = Math.max(0, Math.min(offset, source.length));
  const tokens = lex(source).tokens.filter((t) => t.kind !== 'eof');
  // The token being typed: a word or number touching the cursor, or a string the cursor is inside.
  const current = tokens.find((t) =>
    t.kind === 'string'
      ? t.from < cursor && (cursor < t.to || !t.terminated)
      : (t.kind === 'ident' || t.kind === 'keyword' || t.kind === 'number') && t.from < cursor && cursor <= t.to,
  );
  const from = current?.from ?? cursor;
  const to = current?.kind === 'string' ? current.to : cursor;
  const state = stateAfter(tokens.filter((t) => t.to <= from));
  return { from, to, options: optionsFor(state) };
}

function stateAfter(tokens: readonly Token[]): State {
  let state: State = { expect: 'condition' };
  const keyword = (t: Token) => (t.kind === 'keyword' ? t.keyword : undefined);
  const isValue = (t: Token) => t.kind === 'string' || t.kind === 'number' || t.kind === 'ident' || ['TRUE', 'FALSE', 'NULL'].includes(keyword(t) ?? '');
  for (const t of tokens) {
    switch (state.expect) {
      case 'condition':
      case 'after':
        if (t.kind === 'ident') state = { expect: 'operator', field: t.text };
        else if (keyword(t) === 'AND' || keyword(t) === 'OR' || keyword(t) === 'NOT' || t.kind === '(') state = { expect: 'condition' };
        else if (keyword(t) === 'TRUE' || keyword(t) === 'FALSE' || t.kind === ')') state = { expect: 'after' };
        break;
      case 'operator':
      case 'negated-operator': {
        const field: string = state.field;
        if (t.kind === 'op') state = { expect: 'value', field, operator: t.op };
        else if (keyword(t) === 'NOT' && state.expect === 'operator') state = { expect: 'negated-operator', field };
        else if (keyword(t) === 'IN') state = { expect: 'list-open', field };
        else if (keyword(t) === 'CONTAINS') state = { expect: 'value', field, operator: 'CONTAINS' };
        else if (keyword(t) === 'MATCHES') state = { expect: 'pattern' };
        else state = { expect: 'after' };
        break;
      }
      case 'list-open':
        state = t.kind === '(' ? { expect: 'list-value', field: state.field, operator: 'IN' } : { expect: 'after' };
        break;
      case 'list-value':
        if (isValue(t)) state = { expect: 'list-separator', field: state.field };
        else if (t.kind === ')') state = { expect: 'after' };
        break;
      case 'list-separator':
        if (t.kind === ',') state = { expect: 'list-value', field: state.field, operator: 'IN' };
        else if (t.kind === ')') state = { expect: 'after' };
        break;
      case 'value':
      case 'pattern':
        state = { expect: 'after' };
        break;
    }
  }
  return state;
}

function optionsFor(state: State): Option[] {
  switch (state.expect) {
    case 'condition':
      return [
        ...fieldCatalog.map((f): Option => ({ label: f.name, kind: 'field', detail: typeDetail[f.type], info: f.description })),
        { label: 'NOT', kind: 'keyword', detail: 'negates the next condition' },
      ];
    case 'after':
      return [
        { label: 'AND', kind: 'keyword', detail: 'both must hold' },
        { label: 'OR', kind: 'keyword', detail: 'either may hold' },
      ];
    case 'operator':
    case 'negated-operator': {
      const type = fieldType(state.field);
      const words = wordOperators.filter((o) => o.types.includes(type)).map((o): Option => ({ label: o.label, kind: 'operator', detail: o.detail }));
      if (state.expect === 'negated-operator') return words;
      return [
        ...comparisonOperators.filter((o) => o.types.includes(type)).map((o): Option => ({ label: o.label, kind: 'operator', detail: o.detail })),
        ...words,
        ...words.map((o): Option => ({ ...o, label: `NOT ${o.label}`, detail: `not: ${o.detail ?? ''}` })),
      ];
    }
    case 'value':
    case 'list-value':
      return valueOptions(state.field, state.operator);
    case 'pattern':
      return [{ label: "'/pattern/i'", kind: 'value', detail: 'regular expression; i ignores case' }];
    case 'list-open':
    case 'list-separator':
      return [];
  }
}

function fieldType(name: string): FieldType {
  const found = lookupField(name);
  return found.kind === 'unknown' ? 'unknown' : found.spec.type;
}

function valueOptions(name: string, operator: string): Option[] {
  const found = lookupField(name);
  if (found.kind === 'unknown') return [];
  const spec = found.spec;
  const options: Option[] = [];
  if (spec.type === 'boolean') options.push({ label: 'true', kind: 'value' }, { label: 'false', kind: 'value' });
  for (const value of spec.values ?? []) options.push({ label: printLiteral({ kind: 'string', value, from: 0, to: 0 }), kind: 'value', detail: spec.name });
  if (options.length === 0 && spec.example) options.push({ label: spec.example, kind: 'value', detail: 'example' });
  if (operator === '=' || operator === '!=') options.push({ label: 'null', kind: 'keyword', detail: 'the field is absent' });
  return options;
}
