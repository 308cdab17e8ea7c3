import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import { SinkConfig, type SyslogSinkConfig } from '../../../../src-shared/schemas/sinks';
import { formatSyslog, frame } from './message';
import { freePort, makeCertificates, startRsyslog, type Rsyslog } from './rsyslog.testkit';
import { createSyslogTransport } from './transport';

let dir: string;
let rsyslog: Rsyslog | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-syslog-'));
});
afterEach(async () => {
  await rsyslog?.stop();
  rsyslog = null;
  rmSync(dir, { recursive: true, force: true });
});

const sink = (fields: Partial<SyslogSinkConfig> & { port: number }): SyslogSinkConfig =>
  SinkConfig.parse({ kind: 'syslog', id: 's1', name: 'SIEM', host: '127.0.0.1', ...fields }) as SyslogSinkConfig;

const event = (n: number, summary = `device-${n}: Online fail`): ForwardEvent => ({
  id: `posture:p:${n}`,
  kind: 'posture.change',
  time: new Date(1_765_000_000_000 + n).toISOString(),
  summary,
  body: { deviceName: `device-${n}`, result: 'fail' },
});

const signal = new AbortController().signal;

describe('RFC 5424 formatting', () => {
  it('puts PRI, version, time, app, MSGID and the event id in structured data; MSG is the summary and the JSON', () => {
    const text = formatSyslog(event(1, 'a "quoted" ] name\nsecond line'), {
      facility: 'local0',
      appName: 'posture-console',
      hostname: 'host one',
      procId: '42',
    });
    expect(text).toBe(
      `<132>1 2025-12-06T05:46:40.001Z hostone posture-console 42 posture.change [posture@32473 eventId="posture:p:1" kind="posture.change"] a "quoted" ] name second line ` +
        JSON.stringify({ id: 'posture:p:1', kind: 'posture.change', time: '2025-12-06T05:46:40.001Z', deviceName: 'device-1', result: 'fail' }),
    );
  });

  it('escapes ", \\ and ] inside structured-data values and counts octets, not characters', () => {
    const text = formatSyslog({ ...event(2), id: 'x"y\\z]' }, { facility: 'user', appName: 'a', hostname: 'h', procId: '1' });
    expect(text).toContain('eventId="x\\"y\\\\z\\]"');
    const framed = frame(['é']).toString('utf8');
    expect(framed).toBe('2 é');
  });
});

describe('syslog transport against rsyslog', () => {
  it('delivers batches over TLS (RFC 5425) that rsyslog parses, event id and MSGID intact', async () => {
    rsyslog = await startRsyslog(dir, { tls: true });
    const t = createSyslogTransport(sink({ port: rsyslog.port, caCertificate: rsyslog.certificates!.caPem }));
    const batch = Array.from({ length: 50 }, (_, i) => event(i));
    expect(await t.deliver(batch, signal)).toEqual({ kind: 'delivered' });
    const ids = await rsyslog.waitFor((got) => got.length >= 50);
    expect(ids).toEqual(batch.map((e) => e.id));
    expect(rsyslog.lines()[0]).toMatch(/^posture\.change\|\[posture@32473 eventId="posture:p:0" kind="posture.change"\]\|device-0: Online fail \{/);
    await t.close();
  });

  it('delivers over plain TCP with octet counting too', async () => {
    rsyslog = await startRsyslog(dir, { tls: false });
    const t = createSyslogTransport(sink({ port: rsyslog.port, transport: 'tcp' }));
    expect(await t.deliver([event(1), event(2)], signal)).toEqual({ kind: 'delivered' });
    expect(await rsyslog.waitFor((got) => got.length >= 2)).toEqual(['posture:p:1', 'posture:p:2']);
    await t.close();
  });

  it('a stopped receiver is a retry, and frames written just before it went are written again', async () => {
    rsyslog = await startRsyslog(dir, { tls: true });
    const t = createSyslogTransport(sink({ port: rsyslog.port, caCertificate: rsyslog.certificates!.caPem }));
    expect(await t.deliver([event(1)], signal)).toEqual({ kind: 'delivered' });
    await rsyslog.waitFor((got) => got.includes('posture:p:1'));
    await rsyslog.stop();
    const down = await t.deliver([event(2)], signal);
    // Either the write hit the closed connection or the reconnect was refused: never "delivered" into nothing.
    if (down.kind === 'delivered') {
      expect(await t.deliver([event(3)], signal)).toMatchObject({ kind: 'retry' });
    } else {
      expect(down).toMatchObject({ kind: 'retry' });
    }
    await rsyslog.start();
    expect(await t.deliver([event(2), event(3)], signal)).toEqual({ kind: 'delivered' });
    const ids = await rsyslog.waitFor((got) => got.includes('posture:p:3'));
    expect(new Set(ids)).toEqual(new Set(['posture:p:1', 'posture:p:2', 'posture:p:3']));
    await t.close();
  });

  it('Test passes every layer against rsyslog over TLS and the test message arrives', async () => {
    rsyslog = await startRsyslog(dir, { tls: true });
    const t = createSyslogTransport(sink({ port: rsyslog.port, caCertificate: rsyslog.certificates!.caPem }));
    const steps = await t.test(() => {}, signal);
    expect(steps.map((s) => [s.id, s.status])).toEqual([
      ['resolve', 'pass'],
      ['connect', 'pass'],
      ['tls', 'pass'],
      ['message', 'pass'],
    ]);
    await rsyslog.waitFor((ids) => ids.some((id) => id.startsWith('test:')));
  });

  it('Test names an untrusted certificate, a name mismatch and a refused port, each with a fix', async () => {
    rsyslog = await startRsyslog(dir, { tls: true });
    const untrusted = await createSyslogTransport(sink({ port: rsyslog.port })).test(() => {}, signal);
    expect(untrusted.find((s) => s.id === 'tls')).toMatchObject({
      status: 'fail',
      code: 'syslog.tls_untrusted',
      fix: expect.stringContaining('CA certificate'),
    });
    expect(untrusted.find((s) => s.id === 'message')).toMatchObject({ status: 'skip' });

    const otherCa = makeCertificates(mkdtempSync(join(dir, 'other-')));
    const wrongCa = await createSyslogTransport(sink({ port: rsyslog.port, caCertificate: otherCa.caPem })).test(() => {}, signal);
    expect(wrongCa.find((s) => s.id === 'tls')).toMatchObject({ status: 'fail', code: 'syslog.tls_untrusted' });

    const mismatch = await createSyslogTransport(sink({ port: rsyslog.port, caCertificate: rsyslog.certificates!.caPem, serverName: 'siem.example.com' })).test(
      () => {},
      signal,
    );
    expect(mismatch.find((s) => s.id === 'tls')).toMatchObject({ status: 'fail', code: 'syslog.tls_name_mismatch', fix: expect.stringContaining('localhost') });

    const refused = await createSyslogTransport(sink({ port: await freePort() })).test(() => {}, signal);
    expect(refused.find((s) => s.id === 'connect')).toMatchObject({ status: 'fail', code: 'syslog.connect_refused' });
  });
});
