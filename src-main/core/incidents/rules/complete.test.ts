import { describe, expect, it } from 'vitest';
import { completeCondition } from './complete';

/** Completes at the `|` in the text. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const result = completeCondition(textWithCursor.replace('|', ''), offset);
  return { ...result, labels: result.options.map((o) => o.label) };
}

describe('completion', () => {
  it('offers fields and NOT where a condition starts', () => {
    const start = at('|');
    expect(start).toMatchObject({ from: 0, to: 0 });
    expect(start.labels).toEqual(expect.arrayContaining(['severity', 'tactic', 'hostname', 'device.platform_name', 'NOT']));
    expect(start.options.find((o) => o.label === 'severity')).toMatchObject({ kind: 'field', detail: 'number' });
    expect(at('severity > 5 AND (sev|')).toMatchObject({ from: 18, to: 21 });
    expect(at('device.|').from).toBe(0);
  });

  it('offers the operators that fit the field', () => {
    expect(at('severity |').labels).toEqual(['=', '!=', '>=', '>', '<=', '<', 'IN', 'NOT IN']);
    expect(at('tactic |').labels).toEqual(['=', '!=', 'IN', 'CONTAINS', 'MATCHES', 'NOT IN', 'NOT CONTAINS', 'NOT MATCHES']);
    expect(at('show_in_ui |').labels).toEqual(['=', '!=']);
    expect(at('cmdline NOT |').labels).toEqual(['IN', 'CONTAINS', 'MATCHES']);
    expect(at('cmdline con|')).toMatchObject({ from: 8, to: 11 });
  });

  it("offers the field's known values, quoted, after = and inside IN lists", () => {
    expect(at('status = |').labels).toEqual(["'new'", "'in_progress'", "'closed'", "'reopened'", 'null']);
    expect(at("tactic IN ('Execution', |").labels).toContain("'Exfiltration'");
    expect(at('severity_name IN (|').labels).toEqual(["'Informational'", "'Low'", "'Medium'", "'High'", "'Critical'"]);
    expect(at('show_in_ui = |').labels).toEqual(['true', 'false', 'null']);
  });

  it('replaces the whole string when the cursor is inside one', () => {
    expect(at("tactic = 'Exe|cution'")).toMatchObject({ from: 9, to: 20 });
    expect(at("tactic IN ('Exe|").labels).toContain("'Execution'");
  });

  it('offers AND / OR after a complete comparison, and a pattern after MATCHES', () => {
    expect(at("tactic = 'Impact' |").labels).toEqual(['AND', 'OR']);
    expect(at("tactic IN ('Impact') |").labels).toEqual(['AND', 'OR']);
    expect(at('cmdline MATCHES |').labels).toEqual(["'/pattern/i'"]);
  });

  it('never throws, wherever the cursor is', () => {
    const text = "severity >= 80 OR (tactic NOT IN ('a', 'b') AND cmdline MATCHES '/x/') ) ( '";
    for (let i = -1; i <= text.length + 1; i++) expect(() => completeCondition(text, i)).not.toThrow();
  });
});
