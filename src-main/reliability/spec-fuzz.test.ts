// Spec-generated answers for every endpoint the product calls. The endpoint list is what the simulator recorded
// while the product ran its real flows (Test, posture polls, detections, IOCs, containment), not a list written
// here; each endpoint's driver feeds the product's own client and parser answers generated from the vendor's
// response schema (json-schema-faker), half of them with real-world variance applied (fast-check plans).
// Unmutated answers must give the pass/fail (or matched rule) an oracle reads from the raw instance; varied ones
// must never fail a poll or throw: a result, an unknown with its reason, or a record counted as set aside.
// CI runs SPEC_FUZZ_CASES (default 1,000) per endpoint; `npm run fuzz` runs enough for 100,000 in total.
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { allDrivers, type CaseReport } from './spec/drivers';
import { mutationPlan } from './spec/instances';
import { endpointKey, recordProductFlows } from './spec/product-flows';

const CASES = Number(process.env.SPEC_FUZZ_CASES ?? 1_000);
/** fast-check's seed: fixed in CI so a failure reproduces; `npm run fuzz` draws a new one (printed). */
const SEED = process.env.SPEC_FUZZ_SEED ? Number(process.env.SPEC_FUZZ_SEED) : process.env.SPEC_FUZZ_CASES ? Date.now() % 2 ** 31 : 20261206;

/** Endpoints the product calls whose answer it does not parse, with why (the Test's reachability probe). */
const NOT_PARSED: Record<string, string> = {
  'falcon GET /oauth2/token': 'the reachability step reads only that an HTTP answer came back (any status); the spec has no GET operation',
};

const flows = await recordProductFlows();
// An endpoint listed as not parsed is left out only while it answered nothing but errors (the probe's 405).
const endpoints = [...flows.endpoints.values()].filter((e) => !(endpointKey(e) in NOT_PARSED) || [...e.statuses].some((s) => s < 300));
const drivers = allDrivers();
const totals = { cases: 0, failures: 0 };
/** Oracle comparisons per endpoint, by expected result, for the summary line. */
const comparedBy: Record<string, Record<string, number>> = {};

afterAll(() => {
  console.log(`spec fuzz: ${totals.cases} cases over ${endpoints.length} endpoints, ${totals.failures} failures (fast-check seed ${SEED})`);
  for (const [key, compared] of Object.entries(comparedBy)) console.log(`  oracle ${key}: ${JSON.stringify(compared)}`);
});

describe('spec-generated answers for every endpoint the product calls', () => {
  test('the recorded flows reached the posture, detection, IOC and containment endpoints of both providers', () => {
    const keys = endpoints.map(endpointKey);
    for (const expected of [
      'falcon GET /devices/combined/devices/v1',
      'sentinelone GET /agents',
      'intune GET /v1.0/deviceManagement/managedDevices',
      'falcon POST /alerts/entities/alerts/v2',
      'falcon POST /iocs/entities/indicators/v1',
      'falcon POST /devices/entities/devices-actions/v2',
      'custom POST /posture',
    ])
      expect(keys).toContain(expected);
  });

  test.each(endpoints.map((e) => [endpointKey(e)]))(
    '%s',
    async (key) => {
      if (key in NOT_PARSED) return;
      const driver = drivers.get(key);
      expect(driver, `the product calls ${key} but no driver feeds it spec-generated answers`).toBeDefined();
      if (!driver) return;
      const compared: Record<string, number> = (comparedBy[key] = {});
      let failure: CaseReport | undefined;
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.option(mutationPlan, { nil: null, freq: 2 }), async (seed, plan) => {
          const report = await driver.run({ seed, plan });
          totals.cases++;
          for (const [k, v] of Object.entries(report.compared)) compared[k] = (compared[k] ?? 0) + v;
          if (report.violations.length > 0) {
            totals.failures++;
            failure ??= report;
            // Long strings shortened so a 10 kB value does not hide the rest of the answer.
            const sample = JSON.stringify(report.answer, (_, v: unknown) =>
              typeof v === 'string' && v.length > 60 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
            ).slice(0, 1500);
            throw new Error(
              `${report.violations.slice(0, 5).join('; ')}\n  mutations: ${report.applied.join(', ') || 'none (spec-valid)'}\n  answer: ${sample}`,
            );
          }
        }),
        { numRuns: CASES, seed: SEED, endOnFailure: true },
      );
      if (driver.oracle) {
        // Leniency is not the goal: spec-valid answers must give real passes and fails, not unknown for everything.
        const decided = Object.entries(compared)
          .filter(([k]) => k !== 'unknown' && k !== 'no_match')
          .reduce((sum, [, v]) => sum + v, 0);
        const all = Object.values(compared).reduce((sum, v) => sum + v, 0);
        expect(all, `${key}: results compared with the oracle`).toBeGreaterThan(CASES / 10);
        expect(decided / all, `${key}: share of decided results ${JSON.stringify(compared)}`).toBeGreaterThan(0.2);
        for (const outcome of driver.outcomes ?? []) expect(compared[outcome] ?? 0, `${key}: spec-valid answers that gave ${outcome}`).toBeGreaterThan(0);
      }
    },
    30_000 + CASES * 200,
  );

  test('the run reached the number of cases asked', () => {
    // `npm run fuzz` asks for 100,000 in all; CI for 1,000 per endpoint. A failing endpoint stops at its first
    // failure and has already failed its own test.
    if (totals.failures > 0) return;
    const fed = endpoints.filter((e) => !(endpointKey(e) in NOT_PARSED)).length;
    expect(totals.cases).toBeGreaterThanOrEqual(Number(process.env.SPEC_FUZZ_MIN_TOTAL ?? CASES * fed));
  });
});
