// Deterministic synthetic polls (a seeded fleet whose posture drifts) for the store's tests and benchmarks.
import type { PollEvaluations, PostureEvaluation } from '../../../src-shared/schemas/posture-log';

export type SyntheticOptions = {
  devices: number;
  polls: number;
  seed?: number;
  providerId?: string;
  checks?: number;
  start?: number;
  intervalMs?: number;
  /** Chance that a device/check changes received value (and maybe result) at a poll. */
  changeRate?: number;
  /** Chance that a device is missing from a poll (offline, filtered out by the provider). */
  absentRate?: number;
  /** Device names and values with CSV and spreadsheet traps: quotes, commas, newlines, formulas, emoji, bidi. */
  hostile?: boolean;
};

/** mulberry32: small, fast and reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(A1:A2)',
  '\tTAB-LEAD',
  '\rCR-LEAD',
  'Laptop, "Finance"',
  'multi\nline\r\nname',
  'Ünïcødé 💻🔒',
  'bidi \u202Egnp.exe\u202C \u2066iso\u2069',
  '  spaced  ',
];

export function* syntheticPolls(options: SyntheticOptions): Generator<PollEvaluations> {
  const {
    devices,
    polls,
    seed = 1,
    providerId = 'falcon',
    checks = 2,
    start = Date.UTC(2026, 10, 1),
    intervalMs = 5 * 60_000,
    changeRate = 0.02,
    absentRate = 0.01,
    hostile = false,
  } = options;
  const rand = random(seed);
  const name = (i: number) => (hostile && i % 3 === 0 ? `${HOSTILE_NAMES[i % HOSTILE_NAMES.length]} #${i}` : `host-${String(i).padStart(6, '0')}`);
  // Current score per device/check; 0 stands for "no assessment" (result unknown).
  const scores = Array.from({ length: devices * checks }, () => Math.floor(rand() * 100) + 1);

  // As providers report them: hostile fleets add dashes, lower case, a formula lead and a line break.
  const serialOf = (d: number): string | null => {
    if (d % 17 === 0) return null;
    const padded = String(d).padStart(8, '0');
    if (!hostile) return `SN${padded}`;
    return d % 5 === 0 ? `=SN${d}` : d % 11 === 0 ? `sn-${padded}` : d % 13 === 0 ? `SN\n${padded}` : `SN${padded}`;
  };
  const keyOf = (serial: string | null) => serial && serial.toUpperCase().replace(/[\s-]/g, '');

  for (let p = 0; p < polls; p++) {
    const rows: PostureEvaluation[] = [];
    for (let d = 0; d < devices; d++) {
      if (p > 0 && rand() < absentRate) continue;
      for (let c = 0; c < checks; c++) {
        const i = d * checks + c;
        if (p > 0 && rand() < changeRate) scores[i] = rand() < 0.05 ? 0 : Math.floor(rand() * 100) + 1;
        const score = scores[i] ?? 0;
        const threshold = 50 + c * 10;
        rows.push({
          deviceKey: `${providerId}-dev-${d}`,
          deviceName: name(d),
          serial: serialOf(d),
          serialKey: keyOf(serialOf(d)),
          platform: ['windows', 'mac', 'linux'][d % 3] ?? null,
          checkId: `check-${c}`,
          checkName: hostile && c === 1 ? '@risk, "sensor"' : `ZTA overall ≥ ${threshold}`,
          result: score === 0 ? 'unknown' : score >= threshold ? 'pass' : 'fail',
          expected: `>= ${threshold}`,
          received: score === 0 ? null : hostile && d % 7 === 0 ? `-${score}` : String(score),
          reason: score === 0 ? 'No ZTA assessment for this host' : null,
        });
      }
    }
    yield { pollId: `${providerId}-poll-${p}`, providerId, evaluatedAt: start + p * intervalMs, rows };
  }
}
