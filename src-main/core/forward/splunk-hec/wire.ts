// How a ForwardEvent looks to Splunk's HTTP Event Collector: one JSON event object each, concatenated.
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { HecSinkConfig } from '../../../../src-shared/schemas/sinks';

export const HEC_EVENT_PATH = '/services/collector/event';
export const HEC_ACK_PATH = '/services/collector/ack';
export const HEC_HEALTH_PATH = '/services/collector/health';

export interface HecEndpoints {
  event: string;
  ack: string;
  health: string;
}

/** The admin may paste the collector base or any of its endpoints; everything before /services/collector is kept. */
export function hecEndpoints(url: string): HecEndpoints {
  const parsed = new URL(url);
  const at = parsed.pathname.indexOf('/services/collector');
  const prefix = (at >= 0 ? parsed.pathname.slice(0, at) : parsed.pathname).replace(/\/+$/, '');
  const base = `${parsed.origin}${prefix}`;
  return { event: base + HEC_EVENT_PATH, ack: base + HEC_ACK_PATH, health: base + HEC_HEALTH_PATH };
}

export type HecMetadata = Pick<HecSinkConfig, 'index' | 'source' | 'sourcetype'> & { host: string };

/** HEC wants epoch seconds; milliseconds ride as the fraction. Undefined lets Splunk use the receipt time. */
export function epochSeconds(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** One event object. The stable id comes first and cannot be overwritten by a body field of the same name. */
export function hecEvent(event: ForwardEvent, meta: HecMetadata): Record<string, unknown> {
  const { id: _id, kind: _kind, summary: _summary, ...rest } = event.body;
  const time = epochSeconds(event.time);
  return {
    ...(time !== undefined ? { time } : {}),
    host: meta.host,
    source: meta.source ?? 'posture-console',
    sourcetype: meta.sourcetype ?? '_json',
    ...(meta.index ? { index: meta.index } : {}),
    event: { id: event.id, kind: event.kind, summary: event.summary, ...rest },
  };
}

/** The request body: event objects back to back, one per line (HEC's batch format, not a JSON array). */
export function hecBatchBody(events: readonly ForwardEvent[], meta: HecMetadata): string {
  return events.map((e) => JSON.stringify(hecEvent(e, meta))).join('\n');
}
