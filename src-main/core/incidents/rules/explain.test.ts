import { describe, expect, it } from 'vitest';
import type { ExplainNode } from '../../../../src-shared/schemas/rules';
import { MatchExplanation } from '../../../../src-shared/schemas/rules';
import { compileCondition } from './condition';
import { explain } from './explain';
import type { AlertRecord } from './fields';

function explained(source: string, alert: AlertRecord) {
  const compiled = compileCondition(source);
  if (!compiled.ok) throw new Error('does not compile');
  const explanation = explain(compiled.condition, alert);
  expect(explanation.matched).toBe(compiled.condition.test(alert));
  return explanation;
}

/** The leaves that decided the outcome, as an admin would be told. */
const reasons = (node: ExplainNode): string[] => (!node.decisive ? [] : node.children ? node.children.flatMap(reasons) : [node.text]);

describe('explain', () => {
  const seed = "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')";

  it('shows each sub-expression with its value and what the alert held', () => {
    const explanation = explained(seed, { severity: 42, tactic: 'Impact' });
    expect(explanation).toEqual({
      condition: seed,
      matched: true,
      tree: {
        kind: 'or',
        text: seed,
        from: 0,
        to: 67,
        result: true,
        decisive: true,
        children: [
          {
            kind: 'comparison',
            text: 'severity >= 80',
            from: 0,
            to: 14,
            result: false,
            decisive: false,
            field: 'severity',
            operator: '>=',
            expected: 80,
            received: 42,
          },
          {
            kind: 'comparison',
            text: "tactic IN ('Execution', 'Exfiltration', 'Impact')",
            from: 18,
            to: 67,
            result: true,
            decisive: true,
            field: 'tactic',
            operator: 'IN',
            expected: ['Execution', 'Exfiltration', 'Impact'],
            received: 'Impact',
          },
        ],
      },
    });
    expect(MatchExplanation.parse(explanation)).toEqual(explanation);
  });

  it('marks as decisive the terms that made it match, or made it fail', () => {
    expect(reasons(explained(seed, { severity: 90, tactic: 'Impact' }).tree)).toEqual(['severity >= 80', "tactic IN ('Execution', 'Exfiltration', 'Impact')"]);
    expect(reasons(explained("severity > 5 AND (status = 'new' OR NOT product = 'epp')", { severity: 9, status: 'closed', product: 'idp' }).tree)).toEqual([
      'severity > 5',
      "product = 'epp'",
    ]);
    expect(reasons(explained("severity > 5 AND status = 'new'", { severity: 9, status: 'closed' }).tree)).toEqual(["status = 'new'"]);
  });

  it('says when a field was missing and shows lists, patterns and nested values', () => {
    const tree = explained("cmdline MATCHES '/enc/i' OR device.tags CONTAINS 'prod' OR hostname = null", { device: { tags: ['Prod', 'x'] } }).tree;
    expect(tree.children?.map((c) => [c.expected, c.received, c.missing])).toEqual([
      ['/enc/i', null, true],
      ['prod', ['Prod', 'x'], undefined],
      [null, null, true],
    ]);
  });

  it('keeps the source text of parenthesised groups', () => {
    const tree = explained("NOT (severity > 50 OR status = 'new')", { severity: 10, status: 'closed' }).tree;
    expect(tree).toMatchObject({
      kind: 'not',
      result: true,
      children: [{ kind: 'or', text: "(severity > 50 OR status = 'new')", result: false, decisive: true }],
    });
  });
});
