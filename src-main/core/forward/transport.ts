// The seam between the outbox (which owns durability, batching, caps and backoff) and one sink's wire
// protocol (syslog, Splunk HEC, OTLP/HTTP). A transport never stores anything and never retries by itself:
// it sends one batch and says what the receiver did with it.
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import type { TestStep } from '../../../src-shared/schemas/providers';

/** A failure in the admin's terms; `code` is stable (e.g. 'hec.bad_token', 'syslog.tls_untrusted'). Never quotes a secret. */
export interface SinkError {
  code: string;
  message: string;
  fix: string;
}

export type DeliveryOutcome =
  /** The receiver accepted every event (for HEC with acknowledgement: indexed, not just received). */
  | { kind: 'delivered' }
  /** Some events were refused for good (HEC invalid-event-number): they go to dead letters; the rest count as delivered. */
  | {
      kind: 'partial';
      rejected: { id: string; reason: string }[];
      /**
       * Records the receiver refused without saying which (OTLP partial success gives a count and a message):
       * nothing to dead-letter by id, so the batch counts as delivered and this is reported as the sink's error.
       */
      unattributed?: { count: number; error: SinkError };
    }
  /** Nothing is known to have arrived and trying again may work (refused connection, 429/5xx, timeout). */
  | { kind: 'retry'; error: SinkError; afterMs?: number }
  /** The whole batch was refused for good (400, malformed): every event goes to dead letters. */
  | { kind: 'refused'; error: SinkError };

export interface SinkTransport {
  /**
   * For protocols without receipts (syslog over TCP/TLS): how long after 'delivered' the receiver may still lose
   * a batch unnoticed. The outbox keeps delivered events that long and sends them again after a restart.
   */
  readonly settleMs?: number;
  /** Sends one batch, in order. Must resolve (never reject) with an outcome; `signal` aborts a send in flight. */
  deliver(batch: readonly ForwardEvent[], signal: AbortSignal): Promise<DeliveryOutcome>;
  /** The layered one-click Test (reachability → TLS → authentication → a test event accepted), step by step. */
  test(onStep: (step: TestStep) => void, signal: AbortSignal): Promise<TestStep[]>;
  /** Closes sockets and pools. */
  close(): Promise<void>;
}
