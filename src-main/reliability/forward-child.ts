// Child process for the forwarding kill test: the real app over a data directory with a syslog sink, polling the
// simulator in a loop (the check's threshold alternates, so every poll changes posture) until it is SIGKILLed.
// After each poll commits it prints `appended <event id> …`. With `drain`, it only starts (delivery resumes) and waits.
// Run as `node --import ./ts-hooks.ts forward-child.ts <dataDir> <json> [drain]`.
import { call, fastHttp } from './harness';
import { createTestApp } from '../core/test-app.testkit';

const [dataDir, json, mode] = process.argv.slice(2);
if (!dataDir || !json) throw new Error('usage: forward-child.ts <dataDir> <{"url","falcon","syslog"}> [drain]');
const opts = JSON.parse(json) as {
  url: string;
  falcon: { clientId: string; clientSecret: string; customerId: string };
  syslog: { port: number; caCertificate: string };
};

const { app } = await createTestApp({ dataDir, schedule: false, http: fastHttp(), forwardMaxBackoffMs: 200 });
const say = (line: string) => process.stdout.write(`${line}\n`);

if ((await call(app, 'providers.list', {})).length === 0) {
  const zta = await call(app, 'providers.save', { kind: 'crowdstrike-zta', name: 'ZTA', region: 'custom', baseUrl: opts.url, ...opts.falcon });
  await call(app, 'checks.save', { name: 'ZTA score', providerId: zta.config.id, rule: { attribute: 'overall', operator: '>=', value: 50 } });
  await call(app, 'sinks.save', {
    kind: 'syslog',
    name: 'rsyslog',
    host: '127.0.0.1',
    port: opts.syslog.port,
    caCertificate: opts.syslog.caCertificate,
    events: ['posture.change'],
  });
}
say('ready');
if (mode !== 'drain') {
  const zta = (await call(app, 'providers.list', {}))[0]!.config.id;
  app.events.listen((event, payload) => {
    if (event !== 'postureLog.appended') return;
    const p = payload as { pollId: string; rows: { id: string }[] };
    if (p.rows.length > 0) say(`appended ${p.rows.map((r) => `posture:${p.pollId}:${r.id}`).join(' ')}`);
  });
  for (let i = 0; ; i++) {
    const check = (await call(app, 'checks.list', { providerId: zta }))[0]!;
    await call(app, 'checks.save', { ...check, rule: { attribute: 'overall', operator: '>=', value: i % 2 === 0 ? 30 : 70 } });
    await call(app, 'posture.pollNow', { providerId: zta });
    say(`polled ${i}`);
  }
}
