// One posture poll of one provider: fetch its inventory, replace its snapshot, match across providers, evaluate
// every enabled check of that provider on every device, and hand back the log rows and a summary.
import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../src-shared/errors';
import type { PostureCheck, PollProgress, PollSummary } from '../../../src-shared/schemas/posture';
import type { PollEvaluations } from '../../../src-shared/schemas/posture-log';
import type { FalconClient } from '../providers/crowdstrike/client';
import type { SentinelOneClient } from '../providers/sentinelone/client';
import { contextOf, evaluateAll } from './evaluate';
import type { Inventory } from './current-inventory';
import { subjectsOf, type ProviderSnapshot } from './match';
import { plausibleCount, type UnreadableRecord } from '../providers/records';
import { falconObservations, sentinelOneObservation } from './sources';

/** The client calls a posture poll needs, by provider kind. */
export type PostureSource =
  | { kind: 'crowdstrike-zta'; client: { hosts: Pick<FalconClient['hosts'], 'inventory'> } }
  | { kind: 'sentinelone'; client: { agents: Pick<SentinelOneClient['agents'], 'pages'> } };

export interface PosturePollInput {
  providerId: string;
  pollIntervalMs: number;
  source: PostureSource;
  /** All checks; the poll evaluates the enabled ones of this provider. */
  checks: readonly PostureCheck[];
  inventory: Inventory;
  now: () => number;
  pollId?: string;
  /** Display names of the sources, for presence checks' wording ("present in Intune"). */
  sourceNames?: (providerId: string) => string | undefined;
  signal?: AbortSignal;
  onProgress?: (progress: PollProgress) => void;
}

export interface PosturePollOutcome {
  /** What the posture-log store ingests. */
  evaluations: PollEvaluations;
  summary: PollSummary;
}

type Fetched = Pick<ProviderSnapshot, 'kind' | 'observations'> & { warnings: string[]; setAside: number; unreadable: number };

/** The admin's summary of records that could not be read (the reasons of the first one quoted). */
function unreadableWarnings(provider: string, records: readonly UnreadableRecord[]): string[] {
  const warnings: string[] = [];
  const aside = records.filter((r) => r.id === null);
  const named = records.filter((r) => r.id !== null);
  if (aside.length > 0)
    warnings.push(
      `${provider} sent ${plural(aside.length, 'record')} that could not be read and named no device; ${aside.length === 1 ? 'it was' : 'they were'} set aside (${aside[0]!.reason}).`,
    );
  if (named.length > 0)
    warnings.push(
      `${provider} sent ${plural(named.length, 'record')} that could not be read; the checks of ${named.length === 1 ? 'that device are' : 'those devices are'} unknown (${named[0]!.reason}).`,
    );
  return warnings;
}

const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

async function fetchFalcon(input: PosturePollInput, client: { hosts: Pick<FalconClient['hosts'], 'inventory'> }): Promise<Fetched> {
  const inventory = await client.hosts.inventory({
    zta: true,
    onlineState: true,
    signal: input.signal,
    onProgress: (p) => input.onProgress?.({ phase: 'hosts', done: p.hosts, total: p.total ?? null }),
  });
  const warnings: string[] = [];
  const { hosts, assessments, onlineStates } = inventory.unreadable;
  const unreadable = [...hosts, ...assessments, ...onlineStates];
  // Host records set aside (no device id) are still hosts Falcon counted.
  const setAsideHosts = hosts.filter((r) => r.id === null).length;
  // Listed hosts without details were listed: the list was not cut short (they were removed meanwhile).
  refuseCutShort('Falcon', 'hosts', inventory.reportedTotal, inventory.hosts.length + setAsideHosts + inventory.undetailed);
  if (inventory.undetailed > 0)
    warnings.push(
      `Falcon listed ${plural(inventory.undetailed, 'host')} but sent no details for ${inventory.undetailed === 1 ? 'it' : 'them'}; removed during the poll?`,
    );
  else if (inventory.reportedTotal !== undefined && inventory.reportedTotal > inventory.hosts.length + setAsideHosts)
    warnings.push(`Falcon reported ${inventory.reportedTotal} hosts but returned ${inventory.hosts.length}; hosts may have been removed during the poll.`);
  if (inventory.setAside > unreadable.filter((r) => r.id === null).length)
    warnings.push(
      `Falcon's host list had ${plural(inventory.setAside - unreadable.filter((r) => r.id === null).length, 'entry')} that were not host ids; set aside.`,
    );
  warnings.push(...unreadableWarnings('Falcon', unreadable));
  return {
    kind: 'crowdstrike-zta',
    observations: falconObservations(input.providerId, inventory),
    warnings,
    setAside: inventory.setAside,
    unreadable: unreadable.length - unreadable.filter((r) => r.id === null).length,
  };
}

async function fetchSentinelOne(input: PosturePollInput, client: { agents: Pick<SentinelOneClient['agents'], 'pages'> }): Promise<Fetched> {
  // Pages can overlap when agents change mid-pull; the last copy of an agent wins. Decommissioned agents are kept:
  // they explain reinstall duplicates.
  const agents = new Map<string, ReturnType<typeof sentinelOneObservation>>();
  const unreadable: UnreadableRecord[] = [];
  let total: number | null = null;
  for await (const page of client.agents.pages({}, input.signal)) {
    // A provider's count is judged, not trusted: a negative or absurd total is treated as not reported.
    total = plausibleCount(page.totalItems) ?? total;
    const reasons = new Map<string, string>();
    for (const u of page.unreadable) {
      unreadable.push(u);
      if (u.id !== null) reasons.set(u.id, u.reason);
    }
    for (const agent of page.agents) agents.set(agent.id, sentinelOneObservation(input.providerId, agent, reasons.get(agent.id)));
    input.onProgress?.({ phase: 'agents', done: agents.size, total });
  }
  const setAside = unreadable.filter((r) => r.id === null).length;
  refuseCutShort('SentinelOne', 'agents', total ?? undefined, agents.size + setAside);
  return {
    kind: 'sentinelone',
    observations: [...agents.values()],
    warnings: unreadableWarnings('SentinelOne', unreadable),
    setAside,
    unreadable: unreadable.length - setAside,
  };
}

/** Records that vanish mid-pull are few; more missing than this means the answers were cut short. */
const MAX_SHORTFALL = { records: 2, fraction: 0.02 };

/**
 * A provider that keeps answering short pages (after the client's second pass) would otherwise make devices
 * silently drop out of the inventory; fail the poll instead, keeping the previous results, and say why.
 */
function refuseCutShort(provider: string, what: string, reported: number | undefined, returned: number): void {
  if (reported === undefined || reported - returned <= Math.max(MAX_SHORTFALL.records, reported * MAX_SHORTFALL.fraction)) return;
  throw new ContractError({
    code: 'poll.incomplete',
    message: `${provider} reported ${reported} ${what} but returned only ${returned}, even after reading the list a second time: its answers are being cut short. The previous results are kept.`,
    fix: 'Usually transient; the next poll tries again. If it persists, a proxy may be cutting responses: exempt the provider API host.',
  });
}

export async function pollPosture(input: PosturePollInput): Promise<PosturePollOutcome> {
  const pollId = input.pollId ?? randomUUID();
  const fetchedAt = input.now();
  const source = input.source;
  const fetched = source.kind === 'crowdstrike-zta' ? await fetchFalcon(input, source.client) : await fetchSentinelOne(input, source.client);
  // A cancelled poll changes nothing, not even the inventory.
  input.signal?.throwIfAborted();

  // One time for the whole evaluation, kept with the snapshot so a what-if on it judges ages the same way.
  const evaluatedAt = input.now();
  input.inventory.put({
    providerId: input.providerId,
    kind: fetched.kind,
    fetchedAt,
    evaluatedAt,
    pollIntervalMs: input.pollIntervalMs,
    observations: fetched.observations,
  });
  input.onProgress?.({ phase: 'matching', done: 0, total: 1 });
  const match = input.inventory.match();
  const subjects = subjectsOf(match, input.providerId);
  input.onProgress?.({ phase: 'matching', done: 1, total: 1 });

  const checks = input.checks.filter((c) => c.enabled && c.providerId === input.providerId);
  input.onProgress?.({ phase: 'evaluating', done: 0, total: subjects.length });
  const batch = evaluateAll(subjects, checks, evaluatedAt, contextOf(match.snapshots, input.sourceNames));
  input.onProgress?.({ phase: 'evaluating', done: subjects.length, total: subjects.length });

  return {
    evaluations: { pollId, providerId: input.providerId, evaluatedAt, rows: batch.rows },
    summary: {
      pollId,
      providerId: input.providerId,
      evaluatedAt,
      records: fetched.observations.length,
      devices: subjects.length,
      checks: checks.length,
      counts: batch.counts,
      unknownBy: batch.unknownBy,
      setAside: fetched.setAside,
      unreadable: fetched.unreadable,
      warnings: fetched.warnings,
    },
  };
}
