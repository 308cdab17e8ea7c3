// What the server needs from each provider surface (Falcon, SentinelOne) to apply generic faults.
import type { SimReply, SimRequest } from './http';

export interface Surface {
  /** The array a truncated_page fault trims (`resources` or `data`). */
  readonly listKey: string;
  /** The routes this surface serves, as `METHOD /path` inside the API. */
  routes(): string[];
  handle(req: SimRequest): SimReply | Promise<SimReply>;
  /** A 429 in this provider's envelope; the client should wait `retryAfterSeconds`. */
  rateLimited(req: SimRequest, retryAfterSeconds: number): SimReply;
  serverError(req: SimRequest, status: number): SimReply;
  /** Adds the headers every response of this provider carries. */
  decorate(req: SimRequest, reply: SimReply): SimReply;
}
