// Child process for the incident crash test: commits polls of synthetic routed alerts through the store's
// worker until killed, printing a line after each commit; resumes after the alerts the file already holds.
// Run as `node --import ../store/ts-source.ts crash-loop.ts <file> <alerts per poll>`.
import type { AlertSummary } from '../../../src-shared/schemas/incidents';
import { storeWorkerFromSource } from '../store-source';
import { openStore } from '../store/store';
import type { RoutedAlert } from './operations';
import { storeRepository } from './store-repository';

const [file, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
if (!file || !(batch > 0)) throw new Error('usage: crash-loop.ts <database file> <alerts per poll>');
const store = await openStore({ file, createWorker: storeWorkerFromSource });
const repository = storeRepository(store);
const state = await repository.pollState('crash');
const base = Date.UTC(2026, 10, 25, 12);

/** Alert n: every other one opens an incident (P1), the rest are logged; each in its own aggregate. */
function routed(n: number): RoutedAlert {
  const created = new Date(base + n * 7).toISOString();
  const summary: AlertSummary = {
    compositeId: `cid:ind:aid:${n}`,
    createdTimestamp: created,
    aggregateId: `agg:${n}`,
    severity: n % 2 === 0 ? 90 : 20,
    severityName: null,
    tactic: null,
    technique: null,
    techniqueId: null,
    name: `Alert ${n}`,
    product: 'epp',
    deviceId: null,
    hostname: `WS-${n % 50}`,
    platform: null,
    filename: null,
    cmdline: null,
    userName: null,
    sha256: null,
    md5: null,
    falconLink: null,
  };
  const open = n % 2 === 0;
  return {
    raw: { composite_id: summary.compositeId, created_timestamp: created, severity: summary.severity, padding: 'x'.repeat(2_000) },
    summary,
    createdKey: `${created.slice(0, 23)}000000Z`,
    outcome: open ? 'create_incident' : 'log_only',
    rule: open
      ? { index: 0, id: 'r1', name: 'Rule 1', outcome: { action: 'create_incident', priority: 'P1', auto_contain_host: false } }
      : { index: 1, id: 'r2', name: 'Rule 2', outcome: { action: 'log_only' } },
  };
}

for (let next = state?.alertsSeen ?? 0; ; next += batch) {
  const alerts = Array.from({ length: batch }, (_, i) => routed(next + i));
  await repository.commitPoll({
    integrationId: 'crash',
    at: new Date().toISOString(),
    hostEnrichment: false,
    alerts,
    cursor: alerts.at(-1)?.summary.createdTimestamp ?? null,
    horizonKey: null,
  });
  process.stdout.write(`committed ${next + batch}\n`);
}
