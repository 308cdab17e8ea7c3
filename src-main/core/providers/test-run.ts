// The bookkeeping of a one-click Test: each step is announced as it starts, reported as it ends, and
// any thrown provider failure becomes the step's cause and fix.
import type { StepStatus, TestStep } from '../../../src-shared/schemas/providers';
import type { Clock } from './clock';
import type { HttpClient } from './http';
import { isProviderError, type Diagnosis } from './diagnosis';

export interface StepResult {
  status?: Exclude<StepStatus, 'running' | 'skip'>;
  observed: string;
  cause?: string;
  fix?: string;
  code?: string;
}

/** A warning or failure from a diagnosis, as a step result. */
export function fromDiagnosis(d: Diagnosis, status: 'warn' | 'fail' = 'fail'): StepResult {
  return { status, observed: d.observed ?? d.message, cause: d.message, fix: d.fix, code: d.code };
}

export function diagnosisOf(error: unknown): Diagnosis {
  if (isProviderError(error)) return error.diagnosis;
  // Bugs are reported without their text: it could quote anything, including a secret.
  return {
    code: 'http.unexpected',
    message: 'The test stopped on an internal error.',
    fix: 'Try again; if it persists, report it with the app logs.',
    observed: error instanceof Error ? error.name : 'error',
  };
}

export class TestRun {
  readonly steps: TestStep[] = [];
  readonly #clock: Clock;
  readonly #onStep: (step: TestStep) => void;

  constructor(clock: Clock, onStep: (step: TestStep) => void) {
    this.#clock = clock;
    this.#onStep = onStep;
  }

  /** Runs one step; returns its result status ('fail' when it threw). */
  async step(id: string, title: string, body: () => Promise<StepResult>): Promise<StepResult & { status: 'pass' | 'warn' | 'fail' }> {
    this.#onStep({ id, title, status: 'running', observed: '' });
    const started = this.#clock.now();
    let result: StepResult;
    try {
      result = await body();
    } catch (error) {
      result = fromDiagnosis(diagnosisOf(error));
    }
    const status = result.status ?? 'pass';
    const step: TestStep = {
      id,
      title,
      status,
      observed: result.observed,
      ...(result.cause ? { cause: result.cause } : {}),
      ...(result.fix ? { fix: result.fix } : {}),
      ...(result.code ? { code: result.code } : {}),
      durationMs: Math.max(0, this.#clock.now() - started),
    };
    this.steps.push(step);
    this.#onStep(step);
    return { ...result, status };
  }

  skip(id: string, title: string, reason: string): void {
    const step: TestStep = { id, title, status: 'skip', observed: reason };
    this.steps.push(step);
    this.#onStep(step);
  }

  get ok(): boolean {
    return this.steps.every((s) => s.status !== 'fail');
  }
}

/** Clocks further apart than this break token lifetimes, TLS validity and "last seen" checks. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Layer 1: can we reach the host at all (DNS, TCP, TLS, timeout)? Any HTTP answer proves it.
 * `probe` makes one request; its failure, if any, is the diagnosis.
 */
export async function reachabilityStep(run: TestRun, baseUrl: string, probe: () => Promise<{ status: number; elapsedMs: number }>) {
  const url = new URL(baseUrl);
  const transport = url.protocol === 'https:' ? 'over TLS with a trusted certificate' : 'over plain HTTP (loopback)';
  return run.step('reachability', 'Reachability', async () => {
    try {
      const res = await probe();
      return { observed: `${url.host} answered ${transport} in ${res.elapsedMs} ms (HTTP ${res.status}).` };
    } catch (error) {
      // A 429 or 5xx is still an answer: the host is reachable, the later steps will say the rest.
      const d = isProviderError(error) ? error.diagnosis : undefined;
      if (d?.code !== 'http.rate_limited' && d?.code !== 'http.server_error') throw error;
      return { observed: `${url.host} answered ${transport} (HTTP ${d.status}).` };
    }
  });
}

/** Layer 1b: the server's Date header against this computer's clock. A warning, never a blocker. */
export async function clockStep(run: TestRun, http: HttpClient, baseUrl: string): Promise<void> {
  await run.step('clock', 'Clock', async () => {
    const skew = http.clockSkewMs(baseUrl);
    if (skew === undefined) return { observed: 'The server sent no Date header; clock not compared.' };
    const minutes = Math.round(Math.abs(skew) / 60_000);
    if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS)
      return { observed: `This computer’s clock is within ${Math.max(1, Math.ceil(Math.abs(skew) / 1000))} s of the server’s.` };
    return fromDiagnosis(
      {
        code: 'clock.skew',
        message: `This computer’s clock is ${minutes} minutes ${skew > 0 ? 'behind' : 'ahead of'} the provider’s. Token lifetimes, certificate checks and “last seen” ages will be wrong.`,
        fix: 'Set the date and time automatically (Windows: Settings > Time & language; macOS: System Settings > General > Date & Time; Linux: enable NTP with timedatectl set-ntp true).',
        observed: `Server Date differs from local time by ${Math.round(skew / 1000)} s.`,
      },
      'warn',
    );
  });
}

/** Skips every remaining step of a plan with the same reason. */
export function skipRest(run: TestRun, steps: readonly (readonly [string, string])[], reason: string): void {
  for (const [id, title] of steps) run.skip(id, title, reason);
}
