import { describe, expect, it } from 'vitest';
import { checkCondition } from './condition';

const problems = (source: string) =>
  checkCondition(source).diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    suggestion: d.suggestion,
    replacement: d.replacement,
    from: d.from,
    to: d.to,
  }));
const only = (source: string) => {
  const found = problems(source);
  expect(found).toHaveLength(1);
  return found[0] as (typeof found)[number];
};

describe('type checking', () => {
  it('accepts the seed conditions without a word', () => {
    for (const source of ["severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')", 'severity >= 50', 'severity < 50'])
      expect(problems(source)).toEqual([]);
  });

  it('suggests the closest field for a misspelt one', () => {
    expect(only('sevrity >= 80')).toMatchObject({
      severity: 'error',
      code: 'unknown-field',
      message: "unknown field 'sevrity'",
      suggestion: "did you mean 'severity'?",
      replacement: 'severity',
      from: 0,
      to: 7,
    });
    expect(only("tatic = 'Impact'")).toMatchObject({ replacement: 'tactic' });
    expect(only("xyzzy = 'a'")).toMatchObject({ message: "unknown field 'xyzzy'", suggestion: 'Press Ctrl+Space for the list of alert fields.' });
    expect(problems('sevrity >=').map((d) => d.message)).toEqual(["unknown field 'sevrity'", "expected a value after '>='"]);
  });

  it('reads field names case-insensitively and hostname as device.hostname', () => {
    expect(problems('Severity >= 80 AND HOSTNAME = "ws-1" AND device.Platform_Name = "Windows"')).toEqual([]);
  });

  it('allows device fields outside the catalog with a warning', () => {
    expect(only("device.site_name = 'HQ'")).toMatchObject({ severity: 'warning', code: 'unknown-field' });
    expect(only("device.hostnme = 'x'")).toMatchObject({ severity: 'warning', replacement: 'device.hostname' });
    expect(only('device. = 1')).toMatchObject({ severity: 'error', message: "expected a field name after 'device.'" });
  });

  it('rejects text compared with a number field, offering the number', () => {
    expect(only("severity >= '80'")).toMatchObject({
      severity: 'error',
      code: 'type',
      message: "severity is a number; '>=' cannot compare it with text",
      replacement: '80',
    });
    expect(only('severity = true').message).toBe("severity is a number; '=' cannot compare it with true or false");
    expect(only("severity IN (80, 'high')").from).toBe(17);
  });

  it('rejects ordering on text fields, rewriting ordered ones as IN', () => {
    expect(only("tactic > 'Impact'")).toMatchObject({
      code: 'type',
      message: "'>' compares numbers, and tactic is text",
      suggestion: 'Use =, !=, IN, CONTAINS or MATCHES.',
    });
    expect(only("severity_name >= 'high'").suggestion).toBe("Write severity_name IN ('High', 'Critical').");
    expect(only("severity_name < 'Low'").suggestion).toBe("Write severity_name IN ('Informational').");
  });

  it('asks for quotes around numbers compared with text fields', () => {
    expect(only('tactic_id = 2')).toMatchObject({ message: 'tactic_id is text; put the value in quotes', replacement: "'2'" });
  });

  it('rejects CONTAINS and MATCHES on numbers and booleans', () => {
    expect(only("severity CONTAINS '8'").message).toBe('CONTAINS works on text, and severity is a number');
    expect(only("show_in_ui MATCHES '/t/'").message).toBe('MATCHES works on text, and show_in_ui is true or false');
  });

  it('checks boolean fields', () => {
    expect(problems('show_in_ui = false')).toEqual([]);
    expect(only("show_in_ui = 'true'")).toMatchObject({ replacement: 'true' });
    expect(only('show_in_ui >= 1').code).toBe('type');
  });

  it('allows null only with = and !=', () => {
    expect(problems('filename = null OR device.local_ip != null')).toEqual([]);
    expect(only('severity > null').message).toBe("'>' cannot compare with null");
    expect(only("tactic IN ('Impact', null)").message).toBe('null cannot be listed');
  });

  it('warns about values an enum-like field does not take, suggesting the closest', () => {
    expect(only("tactic IN ('Execution', 'Exfiltraton')")).toMatchObject({
      severity: 'warning',
      code: 'unknown-value',
      message: "'Exfiltraton' is not a known tactic value",
      replacement: "'Exfiltration'",
    });
    expect(only('status = "open"')).toMatchObject({ severity: 'warning', suggestion: 'Known values: new, in_progress, closed, reopened.' });
    expect(problems("tactic = 'execution' AND status = 'IN_PROGRESS'")).toEqual([]);
    expect(only('severity_name = "Hihg"').replacement).toBe('"High"');
  });

  it('warns about out-of-range numbers and values in the wrong format', () => {
    expect(only('severity >= 800')).toMatchObject({ severity: 'warning', code: 'range', message: 'severity runs from 1 to 100, so 800 is out of range' });
    expect(only("sha256 = 'abc'")).toMatchObject({ severity: 'warning', code: 'format', message: "'abc' does not look like a SHA-256 (64 hex digits)" });
    expect(problems(`md5 = '${'a'.repeat(32)}' AND technique_id IN ('T1003', 'T1059.001') AND tactic_id = 'TA0002'`)).toEqual([]);
    expect(only("technique_id = 'T13'").code).toBe('format');
  });

  it('warns about values listed twice and CONTAINS of nothing', () => {
    expect(only("tactic IN ('Impact', 'impact')")).toMatchObject({ code: 'redundant', message: "'impact' is listed twice" });
    expect(only("cmdline CONTAINS ''").code).toBe('redundant');
  });

  it('lets unknown device fields take any value but keeps ordering numeric', () => {
    expect(problems("device.site_name = 'x'").filter((d) => d.severity === 'error')).toEqual([]);
    expect(problems("device.site_name >= 'x'").filter((d) => d.severity === 'error')[0]?.message).toBe("'>=' compares numbers; 'x' is not a number");
  });

  it('reports every problem in reading order', () => {
    expect(problems("sevrity > 'x' OR tactic = 'Impct' OR status > 1").map((d) => d.from)).toEqual([0, 26, 43]);
  });
});
