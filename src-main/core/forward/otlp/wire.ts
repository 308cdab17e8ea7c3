// How ForwardEvents look as an OTLP/HTTP JSON ExportLogsServiceRequest (opentelemetry-proto logs v1, with
// the proto3 JSON mapping OTLP prescribes: lowerCamelCase keys, 64-bit integers as decimal strings, enums as numbers).
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';

export type AnyValue =
  { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number } | { arrayValue: { values: AnyValue[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { stringValue: string };
  attributes: KeyValue[];
}
export interface ExportLogsServiceRequest {
  resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { scope: { name: string; version?: string }; logRecords: LogRecord[] }[] }[];
}

/** SeverityNumber values from the logs data model (INFO = 9, WARN = 13, ERROR = 17). */
const SEVERITY = { INFO: 9, WARN: 13, ERROR: 17 } as const;
type Severity = keyof typeof SEVERITY;

/**
 * The event's severity: its own `severity` or `priority` field when it has one, otherwise a failing posture
 * result or a new incident is a warning and everything else information.
 */
export function severityOf(event: ForwardEvent): Severity {
  const stated = String(event.body.severity ?? event.body.priority ?? '').toLowerCase();
  if (['critical', 'high', 'p1', 'error', 'fatal'].includes(stated)) return 'ERROR';
  if (['medium', 'p2', 'warn', 'warning'].includes(stated)) return 'WARN';
  if (['low', 'p3', 'p4', 'informational', 'info'].includes(stated)) return 'INFO';
  if (event.kind === 'incident.created' || event.body.result === 'fail') return 'WARN';
  return 'INFO';
}

/** ISO time → Unix nanoseconds as a decimal string ("0" = unknown, as the data model allows). */
export function unixNano(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? (BigInt(Math.round(ms)) * 1_000_000n).toString() : '0';
}

const MAX_DEPTH = 4;

/** A primitive or an array of them as an AnyValue; anything else as its JSON text. */
function anyValue(value: unknown): AnyValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { intValue: String(value) } : Number.isFinite(value) ? { doubleValue: value } : undefined;
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))
      return { arrayValue: { values: value.map(anyValue).filter((v): v is AnyValue => v !== undefined) } };
    return { stringValue: JSON.stringify(value) };
  }
  return { stringValue: JSON.stringify(value) };
}

/** Body fields as attributes, nested objects flattened with dots (`device.serial`). */
export function flatten(body: Record<string, unknown>, prefix = '', depth = 0, out: KeyValue[] = []): KeyValue[] {
  for (const [key, value] of Object.entries(body)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < MAX_DEPTH) flatten(value as Record<string, unknown>, name, depth + 1, out);
    else {
      const v = anyValue(value);
      if (v) out.push({ key: name, value: v });
    }
  }
  return out;
}

const RESERVED = new Set(['event.id', 'event.kind']);

export function logRecord(event: ForwardEvent, observedIso: string): LogRecord {
  const severity = severityOf(event);
  return {
    timeUnixNano: unixNano(event.time),
    observedTimeUnixNano: unixNano(observedIso),
    severityNumber: SEVERITY[severity],
    severityText: severity,
    body: { stringValue: event.summary },
    attributes: [
      { key: 'event.id', value: { stringValue: event.id } },
      { key: 'event.kind', value: { stringValue: event.kind } },
      // A body field cannot pose as the stable id or kind.
      ...flatten(event.body).filter((kv) => !RESERVED.has(kv.key)),
    ],
  };
}

export interface OtlpResource {
  serviceName: string;
  hostName?: string;
  version?: string;
}

export function exportRequest(records: LogRecord[], resource: OtlpResource): ExportLogsServiceRequest {
  const attributes: KeyValue[] = [{ key: 'service.name', value: { stringValue: resource.serviceName } }];
  if (resource.hostName) attributes.push({ key: 'host.name', value: { stringValue: resource.hostName } });
  if (records.length === 0) return { resourceLogs: [] };
  return {
    resourceLogs: [
      {
        resource: { attributes },
        scopeLogs: [{ scope: { name: 'posture-console.forward', ...(resource.version ? { version: resource.version } : {}) }, logRecords: records }],
      },
    ],
  };
}
