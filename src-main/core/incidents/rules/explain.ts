// Why a condition did or did not match one alert: every sub-expression with its value and the field values it read.
import type { ExplainNode, ExplainValue, MatchExplanation } from '../../../../src-shared/schemas/rules';
import { operatorText, type Comparison, type Literal } from './ast';
import type { CompiledNode } from './compile';
import type { CompiledCondition } from './condition';
import type { AlertRecord } from './fields';
import { toExplainValue } from './values';

export function explain(compiled: CompiledCondition, alert: AlertRecord): MatchExplanation {
  const tree = explainNode(compiled.source, compiled.root, alert);
  return { condition: compiled.source, matched: tree.result, tree: { ...tree, decisive: true } };
}

/** Evaluates every part (no short-circuit) with the same closures the rule set runs, so the two never disagree. */
function explainNode(source: string, node: CompiledNode, alert: AlertRecord): ExplainNode {
  const { from, to } = node.expr;
  const base = { text: source.slice(from, to), from, to, decisive: false };
  switch (node.kind) {
    case 'or':
    case 'and':
    case 'not': {
      const children = node.children.map((child) => explainNode(source, child, alert));
      const result = node.kind === 'or' ? children.some((c) => c.result) : node.kind === 'and' ? children.every((c) => c.result) : !children[0]?.result;
      // A child decided its parent when its value is the one the parent took (inverted under NOT).
      for (const child of children) child.decisive = node.kind === 'not' || child.result === result;
      return { kind: node.kind, ...base, result, children };
    }
    case 'constant':
      return { kind: 'constant', ...base, result: node.test(alert) };
    case 'comparison': {
      const value = node.read(alert);
      const explained: ExplainNode = {
        kind: 'comparison',
        ...base,
        result: node.holds(value),
        field: node.expr.field.name,
        operator: operatorText(node.expr),
        expected: expectedValue(node.expr),
        received: toExplainValue(value),
      };
      if (value === undefined) explained.missing = true;
      return explained;
    }
  }
}

const literalValue = (literal: Literal) => literal.value;

function expectedValue(expr: Comparison): ExplainValue {
  switch (expr.kind) {
    case 'compare':
      return literalValue(expr.value);
    case 'in':
      return expr.values.map(literalValue);
    case 'contains':
      return expr.value.value;
    case 'matches':
      return `/${expr.regex.pattern}/${expr.regex.flags}`;
  }
}
