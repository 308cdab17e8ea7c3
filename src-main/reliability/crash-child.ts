// Child process for the crash-consistency test: the real app over a data directory, polling posture,
// writing the log, exporting CSV and creating incidents in a loop until it is SIGKILLed. Before each
// step it prints `begin <step>`, after it `done <step> <facts>`, so the parent knows what was in flight
// and what was committed; `writing export` once an export's first rows are in its `.partial` file. Run as `node --import ./ts-hooks.ts crash-child.ts <dataDir> <json>`.
import type { ExportProgress } from '../../src-shared/schemas/posture-log';
import { createTestApp } from '../core/test-app.testkit';
import { call, fastHttp } from './harness';

const [dataDir, json] = process.argv.slice(2);
if (!dataDir || !json) throw new Error('usage: crash-child.ts <dataDir> <{"url","falcon","sentinelOne"}>');
const sim = JSON.parse(json) as {
  url: string;
  falcon: { clientId: string; clientSecret: string; customerId: string };
  sentinelOne: { apiToken: string };
};

const http = fastHttp();
const { app } = await createTestApp({ dataDir, schedule: false, http });
const say = (line: string) => process.stdout.write(`${line}\n`);

// First start: connect the providers; later starts find them in the settings and the vault.
if ((await call(app, 'providers.list', {})).length === 0) {
  const zta = await call(app, 'providers.save', {
    kind: 'crowdstrike-zta',
    name: 'ZTA',
    region: 'custom',
    baseUrl: sim.url,
    clientId: sim.falcon.clientId,
    clientSecret: sim.falcon.clientSecret,
    customerId: sim.falcon.customerId,
  });
  const s1 = await call(app, 'providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: sim.sentinelOne.apiToken });
  await call(app, 'providers.save', {
    kind: 'crowdstrike-falcon-incidents',
    name: 'Detections',
    region: 'custom',
    baseUrl: sim.url,
    clientId: sim.falcon.clientId,
    clientSecret: sim.falcon.clientSecret,
  });
  await call(app, 'checks.save', { name: 'ZTA 50', providerId: zta.config.id, rule: { attribute: 'overall', operator: '>=', value: 50 } });
  await call(app, 'checks.save', { name: 'Online', providerId: zta.config.id, rule: { attribute: 'state', accepted: ['online'] } });
  await call(app, 'checks.save', { name: 'Clean', providerId: s1.config.id, rule: { attribute: 'infected', expected: false } });
}
const providers = await call(app, 'providers.list', {});
const idOf = (kind: string) => providers.find((p) => p.config.kind === kind)!.config.id;
const zta = idOf('crowdstrike-zta');
const s1 = idOf('sentinelone');
const integrationId = idOf('crowdstrike-falcon-incidents');
say('ready');

async function exportAll(): Promise<string> {
  let writing = false;
  const finished = new Promise<ExportProgress>((resolve) => {
    const stop = app.events.listen((event, payload) => {
      const p = payload as ExportProgress;
      if (event === 'export.progress' && p.state === 'running' && p.rowsWritten > 0 && !writing) {
        writing = true;
        say('writing export');
      }
      if (event === 'export.progress' && p.state !== 'running') {
        stop();
        resolve(p);
      }
    });
  });
  const { file } = await call(app, 'postureLog.export', { filter: { view: 'evaluations' } });
  const result = await finished;
  if (result.state !== 'done') throw new Error(`export ${result.state}: ${result.error ?? ''}`);
  return `${file} ${result.rowsWritten}`;
}

for (;;) {
  for (const [step, run] of [
    ['poll-zta', async () => (await call(app, 'posture.pollNow', { providerId: zta })).outcome],
    [
      'incidents',
      async () => {
        const batch = await call(app, 'incidents.pollNow', { integrationId });
        return `${batch.fetched} ${batch.incidentsCreated}`;
      },
    ],
    ['export', exportAll],
    ['poll-s1', async () => (await call(app, 'posture.pollNow', { providerId: s1 })).outcome],
  ] as const) {
    say(`begin ${step}`);
    say(`done ${step} ${await run()}`);
  }
}
