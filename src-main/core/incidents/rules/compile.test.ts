import { describe, expect, it } from 'vitest';
import { compileCondition } from './condition';
import type { AlertRecord } from './fields';
import { interpret } from './interpret';

/** Compiles and evaluates, and checks the reference interpreter agrees on every call. */
function matches(source: string, alert: AlertRecord): boolean {
  const compiled = compileCondition(source);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const result = compiled.condition.test(alert);
  expect(interpret(compiled.condition.ast, alert)).toBe(result);
  return result;
}

const alert: AlertRecord = {
  severity: 70,
  severity_name: 'High',
  tactic: 'Credential Access',
  tactic_id: 'TA0006',
  status: 'new',
  cmdline: 'powershell.exe -NoP -Enc SQBFAFgA',
  filepath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  product: 'epp',
  show_in_ui: true,
  tags: ['Prod', 'Finance'],
  device: { hostname: 'WS-0042', platform_name: 'Windows', local_ip: '10.0.0.5', tags: ['FalconGroupingTags/Prod'], site_name: 'HQ' },
};

describe('compiled conditions', () => {
  it('compare numbers with every operator', () => {
    expect([70, 69, 71].map((n) => matches(`severity = ${n}`, alert))).toEqual([true, false, false]);
    expect(matches('severity == 70', alert)).toBe(true);
    expect(matches('severity != 70', alert)).toBe(false);
    expect(matches('severity > 69', alert)).toBe(true);
    expect(matches('severity > 70', alert)).toBe(false);
    expect(matches('severity >= 70', alert)).toBe(true);
    expect(matches('severity < 70', alert)).toBe(false);
    expect(matches('severity <= 70', alert)).toBe(true);
  });

  it('read numbers sent as text, as some Falcon payloads do', () => {
    expect(matches('severity >= 50', { severity: '50' })).toBe(true);
    expect(matches('severity IN (50)', { severity: '50' })).toBe(true);
    expect(matches('severity >= 0', { severity: '' })).toBe(false);
    expect(matches('severity >= 0', { severity: 'high' })).toBe(false);
  });

  it('compare text ignoring case', () => {
    expect(matches("tactic = 'credential access'", alert)).toBe(true);
    expect(matches("tactic IN ('Execution', 'CREDENTIAL ACCESS')", alert)).toBe(true);
    expect(matches("tactic NOT IN ('Execution', 'Impact')", alert)).toBe(true);
    expect(matches("tactic != 'Credential Access'", alert)).toBe(false);
  });

  it('CONTAINS finds text anywhere, ignoring case', () => {
    expect(matches("cmdline CONTAINS '-enc'", alert)).toBe(true);
    expect(matches("cmdline NOT CONTAINS '-ENC'", alert)).toBe(false);
    expect(matches("filepath CONTAINS 'c:\\\\windows\\\\system32'", alert)).toBe(true);
  });

  it('MATCHES follows the pattern and its flags', () => {
    expect(matches("cmdline MATCHES '/-enc\\s+[A-Za-z0-9+/=]+/i'", alert)).toBe(true);
    expect(matches("cmdline MATCHES '/-enc/'", alert)).toBe(false);
    expect(matches("filepath MATCHES '/^C:\\\\Windows\\\\/'", alert)).toBe(true);
    expect(matches("filepath NOT MATCHES '/\\.exe$/'", alert)).toBe(false);
  });

  it('give the same answer on every call (no regex lastIndex state)', () => {
    const compiled = compileCondition("cmdline MATCHES '/enc/i'");
    if (!compiled.ok) throw new Error('does not compile');
    expect([1, 2, 3].map(() => compiled.condition.test(alert))).toEqual([true, true, true]);
  });

  it('treat a missing field as null: comparisons fail, negations hold', () => {
    const bare: AlertRecord = { severity: 10 };
    expect(matches("tactic = 'Impact'", bare)).toBe(false);
    expect(matches("tactic != 'Impact'", bare)).toBe(true);
    expect(matches("tactic NOT IN ('Impact')", bare)).toBe(true);
    expect(matches("cmdline NOT CONTAINS 'x'", bare)).toBe(true);
    expect(matches('confidence > 0', bare)).toBe(false);
    expect(matches('NOT confidence > 0', bare)).toBe(true);
    expect(matches('hostname = null', bare)).toBe(true);
    expect(matches('hostname = null', { device: null })).toBe(true);
    expect(matches('hostname != null', alert)).toBe(true);
    expect(matches("hostname = 'x'", { device: 'not an object' })).toBe(false);
  });

  it('read device fields, hostname included', () => {
    expect(matches("hostname = 'ws-0042' AND device.platform_name = 'windows'", alert)).toBe(true);
    expect(matches("device.local_ip MATCHES '/^10\\./'", alert)).toBe(true);
    expect(matches("device.site_name = 'hq'", alert)).toBe(true);
  });

  it('match list fields when any element matches', () => {
    expect(matches("tags = 'finance'", alert)).toBe(true);
    expect(matches("tags != 'finance'", alert)).toBe(false);
    expect(matches("tags IN ('x', 'prod')", alert)).toBe(true);
    expect(matches("device.tags CONTAINS '/prod'", alert)).toBe(true);
    expect(matches("device.tags MATCHES '/^FalconGroupingTags\\//'", alert)).toBe(true);
    expect(matches("tags = 'none'", { tags: [] })).toBe(false);
  });

  it('compare booleans and constants', () => {
    expect(matches('show_in_ui = true', alert)).toBe(true);
    expect(matches('show_in_ui != true', alert)).toBe(false);
    expect(matches('true', {})).toBe(true);
    expect(matches('false OR severity > 1', alert)).toBe(true);
  });

  it('combine with AND, OR and NOT at their precedence', () => {
    expect(matches("severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')", alert)).toBe(false);
    expect(matches("severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')", { severity: 85 })).toBe(true);
    expect(matches("severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')", { severity: 10, tactic: 'Impact' })).toBe(true);
    expect(matches("NOT severity > 50 OR status = 'new' AND product = 'epp'", alert)).toBe(true);
    expect(matches("NOT (severity > 50 OR status = 'new') AND product = 'epp'", alert)).toBe(false);
    expect(matches('severity > 1 AND severity > 2 AND severity > 3 AND severity > 4', alert)).toBe(true);
    expect(matches('severity > 99 OR severity > 98 OR severity > 97 OR severity > 4', alert)).toBe(true);
  });

  it('do not compile a condition with errors', () => {
    const result = compileCondition('sevrity > 5');
    expect(result.ok).toBe(false);
  });

  it('keep warnings next to a compiled condition', () => {
    const result = compileCondition("status = 'open'");
    expect(result.ok && result.condition.warnings.map((w) => w.code)).toEqual(['unknown-value']);
  });
});
