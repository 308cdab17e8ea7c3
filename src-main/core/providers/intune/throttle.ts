// Intune's devices service allows 2,000 requests per 20 s per app per tenant: a sliding window spent evenly so
// a large tenant's poll never provokes the 429 storm the limit would answer.
import type { Clock } from '../clock';

export const INTUNE_REQUESTS_PER_WINDOW = 2_000;
export const INTUNE_WINDOW_MS = 20_000;

export class WindowBudget {
  readonly #sent: number[] = [];
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #windowMs: number;
  #pausedUntil = 0;

  constructor(clock: Clock, limit = INTUNE_REQUESTS_PER_WINDOW, windowMs = INTUNE_WINDOW_MS) {
    this.#clock = clock;
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Waits until one more request fits the window (and any 429 pause has passed), then records it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - this.#windowMs) this.#sent.shift();
      const wait = Math.max(this.#pausedUntil - now, this.#sent.length >= this.#limit ? this.#sent[0]! + this.#windowMs - now : 0);
      if (wait <= 0) {
        this.#sent.push(now);
        return;
      }
      await this.#clock.sleep(wait, signal);
    }
  }

  /** After a 429: nobody sends before `until`. */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
