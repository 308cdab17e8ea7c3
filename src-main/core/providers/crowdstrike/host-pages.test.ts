// The combined host pages as a caller sees them: the next page is asked for before this one is handed over (its round
// trip overlaps the caller's work), and nothing is asked for past the last page.
import { describe, expect, it } from 'vitest';
import type { FalconCall, FalconSession } from './session';
import type { HttpResponse } from '../http';
import { combinedHostPages } from './hosts';

const host = (i: number) => ({ device_id: `h${i}`, hostname: `host-${i}`, serial_number: `SN${i}`, platform_name: 'Windows', last_seen: null });

/**
 * A session answering `pages` pages of `size` hosts by offset token, and logging each call as it is made. With `peek`,
 * it shows each answer's first bytes to the caller before answering, as the HTTP client does once they are in.
 */
function pagedSession(pages: number, size: number, log: string[], reportTotal = true, peek = false): FalconSession {
  return {
    call(call: FalconCall): Promise<HttpResponse> {
      const at = Number(call.query?.offset ?? 0);
      log.push(`call ${at}`);
      const resources = Array.from({ length: size }, (_, i) => host(at * size + i));
      const next = at + 1 < pages ? String(at + 1) : undefined;
      const body = { meta: { pagination: { ...(reportTotal ? { total: pages * size } : {}), ...(next ? { next } : {}) } }, resources, errors: [] };
      // Only the head, as a first socket read would hold it: meta and part of the records.
      if (peek) call.peek?.(Buffer.from(JSON.stringify(body).slice(0, 90)));
      return Promise.resolve({
        status: 200,
        headers: {},
        body,
        text: '',
        url: 'https://api.example.test/devices/combined/devices/v1',
        serverDate: undefined,
        receivedAt: 0,
        elapsedMs: 0,
        attempts: 1,
        redact: (text: string) => text,
      });
    },
    authenticate: () => Promise.reject(new Error('not used')),
    revoke: () => Promise.resolve(),
    regionState: () => {
      throw new Error('not used');
    },
  };
}

/** Pages with Falcon's count of the hosts, and without one (the tokens decide then). */
const TOTALS = [
  ['with a total', true],
  ['without one (the tokens decide)', false],
] as const;

describe('combined host pages', () => {
  it.each(TOTALS)('asks for the next page before handing this one over, and nothing past the last page (%s)', async (_, reportTotal) => {
    const log: string[] = [];
    const hosts: string[] = [];
    for await (const page of combinedHostPages(pagedSession(4, 3, log, reportTotal))) {
      log.push(`got ${page.hosts[0]!.device_id}`);
      hosts.push(...page.hosts.map((h) => h.device_id));
      // The caller's work on the page, across a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push('worked');
    }
    expect(log).toEqual(['call 0', 'call 1', 'got h0', 'worked', 'call 2', 'got h3', 'worked', 'call 3', 'got h6', 'worked', 'got h9', 'worked']);
    expect(hosts).toEqual(Array.from({ length: 12 }, (_, i) => `h${i}`));
  });

  it.each(TOTALS)('asks for the next page from the first bytes of this one, once, and nothing past the last page (%s)', async (_, reportTotal) => {
    const log: string[] = [];
    const hosts: string[] = [];
    for await (const page of combinedHostPages(pagedSession(4, 3, log, reportTotal, true), { pageSize: 3 })) {
      log.push(`got ${page.hosts[0]!.device_id}`);
      hosts.push(...page.hosts.map((h) => h.device_id));
    }
    // Each page is asked for as soon as the one before shows its first bytes (here: before it answers), never twice.
    expect(log).toEqual(['call 0', 'call 1', 'got h0', 'call 2', 'call 3', 'got h3', 'got h6', 'got h9']);
    expect(hosts).toEqual(Array.from({ length: 12 }, (_, i) => `h${i}`));
  });

  it('leaves the page asked for ahead unread when the caller stops early, and its failure with it', async () => {
    const log: string[] = [];
    const session = pagedSession(4, 3, log);
    const call = session.call.bind(session);
    // The page asked for ahead fails; the caller never awaits it.
    session.call = (c) => (c.query?.offset === '1' ? (log.push('call 1 (fails)'), Promise.reject(new Error('refused'))) : call(c));
    for await (const page of combinedHostPages(session)) {
      log.push(`got ${page.hosts[0]!.device_id}`);
      break;
    }
    // An unhandled rejection would fail this test run.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual(['call 0', 'call 1 (fails)', 'got h0']);
  });
});
