// RFC 5424 syslog messages for forwarded events, framed by octet counting (RFC 5425 §4.3, RFC 6587 §3.4.1).
import type { ForwardEvent, ForwardEventKind } from '../../../../src-shared/schemas/forward';
import { syslogFacilityCodes, type SyslogFacility } from '../../../../src-shared/schemas/sinks';

/** RFC 5612 reserves enterprise number 32473 for documentation and examples; a private SD-ID needs one. */
export const SD_ID = 'posture@32473';

const SEVERITY = { warning: 4, notice: 5, info: 6 } as const;

function severityOf(event: ForwardEvent): number {
  if (event.kind === 'posture.change') return event.body.result === 'fail' ? SEVERITY.warning : SEVERITY.info;
  if (event.kind === 'incident.created' || event.kind === 'user.risk') return SEVERITY.warning;
  return SEVERITY.notice;
}

/** PARAM-VALUE escapes `"`, `\` and `]` (RFC 5424 §6.3.3). */
const sdValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/** HOSTNAME, APP-NAME and friends: printable US-ASCII without spaces, or the nil value. */
function header(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export type SyslogOrigin = { facility: SyslogFacility; appName: string; hostname: string; procId: string };

/** One RFC 5424 message: the event id and kind in structured data, MSG = summary, a space, the JSON event. */
export function formatSyslog(event: ForwardEvent, origin: SyslogOrigin): string {
  const pri = syslogFacilityCodes[origin.facility] * 8 + severityOf(event);
  const msgId: ForwardEventKind = event.kind;
  const sd = `[${SD_ID} eventId="${sdValue(event.id)}" kind="${sdValue(event.kind)}"]`;
  // One line for the summary keeps a receiver's line-oriented output readable; the JSON escapes its own newlines.
  const summary = event.summary.replace(/[\r\n]+/g, ' ');
  const json = JSON.stringify({ id: event.id, kind: event.kind, time: event.time, ...event.body });
  return `<${pri}>1 ${event.time} ${header(origin.hostname, 255)} ${header(origin.appName, 48)} ${header(origin.procId, 128)} ${msgId} ${sd} ${summary} ${json}`;
}

/** Octet-counting frames: `LENGTH SP MESSAGE`, LENGTH in bytes of the UTF-8 message. */
export function frame(messages: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const body = Buffer.from(m, 'utf8');
    parts.push(Buffer.from(`${body.length} `, 'ascii'), body);
  }
  return Buffer.concat(parts);
}
