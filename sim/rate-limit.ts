// Sliding-window request limits: Falcon's per-CID budget, its per-IP token limit, S1's per-token rate.

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the oldest request leaves the window (epoch ms); meaningful when refused. */
  retryAtMs: number;
}

/** Timestamps of accepted requests in a ring buffer sized to the limit: O(1) per request. */
class SlidingWindow {
  private readonly times: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.times = new Float64Array(Math.max(1, limit));
  }

  private evict(nowMs: number): void {
    while (this.size > 0 && (this.times[this.head] ?? 0) <= nowMs - this.windowMs) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  take(nowMs: number, enforce: boolean): LimitDecision {
    this.evict(nowMs);
    const oldest = this.size > 0 ? (this.times[this.head] ?? nowMs) : nowMs;
    if (this.size >= this.limit) return { allowed: !enforce, limit: this.limit, remaining: 0, retryAtMs: oldest + this.windowMs };
    this.times[(this.head + this.size) % this.times.length] = nowMs;
    this.size++;
    return { allowed: true, limit: this.limit, remaining: this.limit - this.size, retryAtMs: oldest + this.windowMs };
  }
}

/** One sliding window per key (CID, IP or token). */
export class RateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    /** Time source for the windows (the simulator's rate clock). */
    private readonly clock: () => number,
    /** When false the limiter only counts, for headers such as the unauthenticated 15/min. */
    private readonly enforce = true,
  ) {}

  take(key: string): LimitDecision {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindow(this.limit, this.windowMs)));
    return window.take(this.clock(), this.enforce);
  }

  reset(): void {
    this.windows.clear();
  }
}
