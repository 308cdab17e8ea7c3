import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuleImportResult, RuleSet, SeedDetectionRules } from '../../../../src-shared/schemas/rules';
import { formatIssue } from './rule-set';
import { exportDetectionRules, exportDetectionRulesText, importDetectionRules } from './seed-format';

const seedText = readFileSync(new URL('./fixtures/seed-detection-rules.json', import.meta.url), 'utf8');
const seedJson: unknown = JSON.parse(seedText);

function imported(json: unknown) {
  const result = importDetectionRules(json);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result;
}

/** Each problem the way the import panel lists it. */
function problems(json: unknown): string[] {
  const result = importDetectionRules(json);
  return (result.ok ? result.warnings : result.issues).map(formatIssue);
}

const rule = (fields: Record<string, unknown>) => ({
  detection_rules: [{ condition: 'severity >= 50', action: 'create_incident', priority: 'P2', ...fields }],
});

describe('seed format: import', () => {
  it('reads the seed document into an ordered rule set with ids and names', () => {
    const { ruleSet, warnings } = imported(seedJson);
    expect(warnings).toEqual([]);
    expect(RuleSet.parse(ruleSet)).toEqual(ruleSet);
    expect(ruleSet.rules.map((r) => [r.id, r.name, r.action, r.priority])).toEqual([
      // The published rules carry no names: they are recognised and named for what they do.
      ['rule-1', 'Critical or high-impact tactic', 'create_incident', 'P1'],
      ['rule-2', 'Medium severity', 'create_incident', 'P2'],
      ['rule-3', 'Low severity', 'log_only', undefined],
    ]);
    expect('auto_contain_host' in (ruleSet.rules[0] ?? {})).toBe(true);
    expect('auto_contain_host' in (ruleSet.rules[1] ?? {})).toBe(false);
  });

  it('accepts the document as JSON text, and a bare list of rules', () => {
    expect(imported(seedText).ruleSet).toEqual(imported(seedJson).ruleSet);
    expect(imported((seedJson as { detection_rules: unknown[] }).detection_rules).ruleSet).toEqual(imported(seedJson).ruleSet);
  });

  it('names the rule and field of each problem', () => {
    expect(problems(rule({ priority: 'P5' }))).toEqual(['detection_rules[0].priority: P5 is not one of P1, P2, P3, P4']);
    expect(
      problems({
        detection_rules: [
          { condition: 'severity < 50', action: 'log_only' },
          { condition: 'severity >= 50', action: 'create_incident', priority: 'P5' },
        ],
      }),
    ).toEqual(['detection_rules[1].priority: P5 is not one of P1, P2, P3, P4']);
    expect(problems(rule({ action: 'page_someone' }))).toEqual(['detection_rules[0].action: page_someone is not one of create_incident, log_only']);
    expect(problems(rule({ priority: undefined }))).toEqual(['detection_rules[0].priority: is required when the action is create_incident']);
    expect(problems(rule({ auto_contain_host: 'yes' }))).toEqual(['detection_rules[0].auto_contain_host: must be true or false']);
    expect(problems({ detection_rules: [{ action: 'log_only' }] })).toEqual(['detection_rules[0].condition: is required']);
    expect(problems(rule({ condition: '' }))).toEqual(['detection_rules[0].condition: the condition is empty']);
    expect(problems({ detection_rules: ['severity > 5'] })[0]).toMatch(/^detection_rules\[0\]: must be an object/);
    expect(problems([{ condition: 'severity < 5', action: 'log_only', priority: 'P0' }])).toEqual(['[0].priority: P0 is not one of P1, P2, P3, P4']);
  });

  it('rejects unknown fields with the field meant', () => {
    expect(problems(rule({ prority: 'P1' }))).toEqual(["detection_rules[0].prority: is not a detection-rule field — did you mean 'priority'?"]);
  });

  it('reports condition problems with their line and column', () => {
    const result = importDetectionRules(rule({ condition: "severity >= 80 OR tatic IN ('Execution')" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      {
        path: 'detection_rules[0].condition',
        ruleIndex: 0,
        field: 'condition',
        severity: 'error',
        message: "unknown field 'tatic'",
        suggestion: "did you mean 'tactic'?",
        diagnostic: {
          from: 18,
          to: 23,
          line: 1,
          column: 19,
          severity: 'error',
          code: 'unknown-field',
          message: "unknown field 'tatic'",
          suggestion: "did you mean 'tactic'?",
          replacement: 'tactic',
        },
      },
    ]);
    expect(RuleImportResult.parse(result)).toEqual(result);
  });

  it('reports every problem of every rule at once', () => {
    expect(
      problems({
        detection_rules: [
          { condition: 'severity >=', action: 'create_incident', priority: 'P9' },
          { condition: 'x', action: 'log' },
        ],
      }),
    ).toEqual([
      'detection_rules[0].priority: P9 is not one of P1, P2, P3, P4',
      "detection_rules[0].condition: expected a value after '>=' (line 1, column 12) — Values are numbers (80), quoted text ('Execution'), true, false or null.",
      'detection_rules[1].action: log is not one of create_incident, log_only',
      "detection_rules[1].condition: unknown field 'x' (line 1, column 1) — Press Ctrl+Space for the list of alert fields.",
      "detection_rules[1].condition: expected an operator after 'x' (line 1, column 2) — Operators: =, !=, >, >=, <, <=, IN, NOT IN, CONTAINS, MATCHES.",
    ]);
  });

  it('imports with warnings: unknown values, unused settings, unreachable rules, extra keys', () => {
    const result = importDetectionRules({
      detection_rules: [
        { condition: "tactic = 'Exfiltraton'", action: 'create_incident', priority: 'P1' },
        { condition: 'severity < 50', action: 'log_only', category: 'security' },
        { condition: 'severity<50', action: 'log_only' },
      ],
      enrichment_fields: {},
    });
    expect(result.ok).toBe(true);
    expect(problems({ detection_rules: [{ condition: "tactic = 'Exfiltraton'", action: 'log_only' }], enrichment_fields: {} })).toEqual([
      'enrichment_fields: enrichment_fields is not part of the detection rules and was ignored',
      "detection_rules[0].condition: 'Exfiltraton' is not a known tactic value (line 1, column 10) — did you mean 'Exfiltration'?",
    ]);
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual([
      'enrichment_fields',
      'detection_rules[0].condition',
      'detection_rules[1].category',
      'detection_rules[2].condition',
    ]);
  });

  it('refuses what is not a rules document, saying what is expected', () => {
    expect(problems('{"detection_rules": [')[0]).toMatch(/^\(root\): not valid JSON/);
    expect(problems({ detection_rule: [] })).toEqual(['(root): expected {"detection_rules": [...]} — Rename "detection_rule" to "detection_rules".']);
    expect(problems(42)).toEqual(['(root): expected {"detection_rules": [...]} or a list of rules']);
    expect(problems({ detection_rules: {} })).toEqual(['detection_rules: must be a list of rules']);
  });

  it('keeps given ids and names, generates the rest without clashing, and rejects duplicates', () => {
    const { ruleSet } = imported({
      detection_rules: [
        { condition: 'TRUE', action: 'log_only' },
        { id: 'rule-1', name: 'Catch-all', condition: 'severity > 1', action: 'log_only' },
      ],
    });
    expect(ruleSet.rules.map((r) => [r.id, r.name])).toEqual([
      ['rule-1-2', 'Rule 1'],
      ['rule-1', 'Catch-all'],
    ]);
    expect(
      problems({
        detection_rules: [
          { id: 'a', condition: 'TRUE', action: 'log_only' },
          { id: 'a', condition: 'severity > 1', action: 'log_only' },
        ],
      }),
    ).toContain('detection_rules[1].id: a is also the id of detection_rules[0] — Give each rule its own id, or leave ids out.');
  });
});

describe('seed format: export', () => {
  it('gives back the seed text exactly after a round trip', () => {
    const { ruleSet } = imported(seedText);
    expect(exportDetectionRules(ruleSet)).toEqual(seedJson);
    expect(exportDetectionRulesText(ruleSet) + '\n').toBe(seedText);
    expect(SeedDetectionRules.parse(exportDetectionRules(ruleSet))).toEqual(seedJson);
  });

  it('writes only the keys a rule has, in the seed order, and ids and names on request', () => {
    const set = { rules: [{ id: 'r', name: 'Noisy', action: 'log_only' as const, condition: 'severity < 20', auto_contain_host: false }] };
    expect(JSON.stringify(exportDetectionRules(set))).toBe('{"detection_rules":[{"condition":"severity < 20","action":"log_only","auto_contain_host":false}]}');
    expect(exportDetectionRules(set, { extensions: true }).detection_rules[0]).toEqual({
      id: 'r',
      name: 'Noisy',
      condition: 'severity < 20',
      action: 'log_only',
      auto_contain_host: false,
    });
    expect(imported(exportDetectionRules(set, { extensions: true })).ruleSet).toEqual(set);
  });
});
