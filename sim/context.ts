// State every surface of one simulator shares: the fleet, the clock and the active fault plan.
import type { FaultPlan } from './faults';
import type { FalconRegion } from './falcon/regions';
import type { FleetStore } from './fleet';

export interface SimContext {
  readonly fleet: FleetStore;
  readonly seed: number;
  readonly now: () => number;
  /**
   * Time for rate-limit windows: `now()`, plus real elapsed time when the clock is injected, so a
   * frozen test clock cannot lock a client out forever while a test can still jump windows ahead.
   */
  readonly rateNow: () => number;
  readonly homeRegion: FalconRegion;
  /** Swapped at runtime by setFaults/clearFaults. */
  faults: FaultPlan;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: string;
  /** Test hook (Simulator.rewriteAnswers): changes answers before the faults that alter bodies. */
  rewrite: AnswerRewrite | null;
}

/** An answer as a rewrite sees it: the JSON body as plain values (prerendered records parsed). */
export interface SimAnswer {
  method: string;
  /** Path inside the API (`/devices/combined/devices/v1`, `/agents`). */
  path: string;
  query: URLSearchParams;
  status: number;
  body: unknown;
}

/** Undefined keeps the answer; `json` replaces its body; `text` sends that text instead (e.g. an HTML page). */
export type AnswerRewrite = (answer: SimAnswer) => { json: unknown } | { text: string; contentType?: string } | undefined;
