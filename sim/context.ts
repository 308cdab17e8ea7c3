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
}
