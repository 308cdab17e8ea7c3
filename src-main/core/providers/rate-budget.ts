// A client-side request budget per API (origin + bucket), mirroring the server's sliding 60 s window
// so a full-fleet poll spends the quota evenly instead of provoking a storm of 429s.
import type { Clock } from './clock';

const WINDOW_MS = 60_000;
/** Server clocks count arrivals, we count departures: this covers the latency in between. */
const WINDOW_MARGIN_MS = 1_000;

export class RateBudget {
  readonly #clock: Clock;
  /** Departure times inside the current window, oldest first. */
  readonly #sent: number[] = [];
  #limit: number | undefined;
  #serverRemaining: number | undefined;
  #sentSinceObservation = 0;
  #pausedUntil = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Waits until one more request fits the budget, then records it as sent. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      this.#prune(now);
      const wait = this.#waitMs(now);
      if (wait <= 0) {
        this.#sent.push(now);
        this.#sentSinceObservation += 1;
        return;
      }
      await this.#clock.sleep(wait, signal);
    }
  }

  /** Learns the limit from `X-RateLimit-Limit` / `X-RateLimit-Remaining`. */
  observe(limit: number | undefined, remaining: number | undefined): void {
    if (limit !== undefined && Number.isFinite(limit) && limit > 0) this.#limit = limit;
    if (remaining !== undefined && Number.isFinite(remaining) && remaining >= 0) {
      this.#serverRemaining = remaining;
      this.#sentSinceObservation = 0;
    }
  }

  /** After a 429, nobody on this budget sends before the server said so. */
  pauseUntil(epochMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, epochMs);
  }

  get limit(): number | undefined {
    return this.#limit;
  }

  #prune(now: number): void {
    const horizon = now - WINDOW_MS - WINDOW_MARGIN_MS;
    let drop = 0;
    while (drop < this.#sent.length && (this.#sent[drop] ?? 0) <= horizon) drop += 1;
    if (drop) this.#sent.splice(0, drop);
  }

  #waitMs(now: number): number {
    if (now < this.#pausedUntil) return this.#pausedUntil - now;
    const limit = this.#limit;
    if (limit === undefined) return 0;
    // Keep a little of the shared per-customer quota for the other integrations on the account.
    const reserve = Math.max(1, Math.ceil(limit * 0.02));
    const capacity = Math.max(1, limit - reserve);
    if (this.#sent.length >= capacity) {
      const oldest = this.#sent[this.#sent.length - capacity] ?? now;
      return oldest + WINDOW_MS + WINDOW_MARGIN_MS - now;
    }
    // Others are spending the same quota: drip at the sustained rate until the window frees up.
    const serverLeft = (this.#serverRemaining ?? limit) - this.#sentSinceObservation;
    if (serverLeft <= reserve) {
      const last = this.#sent[this.#sent.length - 1];
      const spacing = WINDOW_MS / limit;
      if (last !== undefined && now - last < spacing) return last + spacing - now;
    }
    return 0;
  }
}
