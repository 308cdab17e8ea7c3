// What the console forwards to a SOC system (syslog, Splunk HEC, OTLP), before any sink's framing.
import { z } from 'zod';

export const ForwardEventKind = z.enum(['posture.change', 'incident.created', 'incident.state', 'user.risk', 'audit']);
export type ForwardEventKind = z.infer<typeof ForwardEventKind>;

/**
 * One event as it sits in the outbox. `id` is stable across retries and restarts, so a receiver can
 * drop the duplicates that at-least-once delivery produces. `body` never holds a secret.
 */
export const ForwardEvent = z.object({
  id: z.string().min(1),
  kind: ForwardEventKind,
  /** ISO 8601 time the event happened (not when it was sent). */
  time: z.string(),
  /** One line for humans: the syslog MSG, the HEC `event.message`, the OTLP log body. */
  summary: z.string(),
  body: z.record(z.string(), z.unknown()),
});
export type ForwardEvent = z.infer<typeof ForwardEvent>;
