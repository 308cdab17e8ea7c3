// SentinelOne agents: cursor pages of 1000 (skip stops at 1000), the same filters on every page.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpResponse } from '../http';
import type { S1Session } from './session';

/** Booleans sometimes arrive as "True"/"False" strings. */
const bool = z
  .union([z.boolean(), z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v.trim().toLowerCase() === 'true' : Boolean(v)));
const int = z.union([z.number(), z.string()]).nullish().transform((v) => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
});
const str = z.string().nullish().catch(null);

export const S1Agent = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  uuid: str,
  computerName: str,
  serialNumber: str,
  infected: bool,
  activeThreats: int,
  isActive: bool,
  networkStatus: str,
  operationalState: str,
  osName: str,
  osType: str,
  agentVersion: str,
  lastActiveDate: str,
  machineType: str,
  siteName: str,
  siteId: str,
  accountId: str,
  externalIp: str,
  lastIpToMgmt: str,
  isDecommissioned: bool,
  isUninstalled: bool,
  encryptedApplications: bool,
  firewallEnabled: bool,
  isUpToDate: bool,
  mitigationMode: str,
  updatedAt: str,
  registeredAt: str,
  externalId: str,
  networkInterfaces: z
    .array(z.looseObject({ physical: str }))
    .nullish()
    .catch(null),
});
export type S1Agent = z.output<typeof S1Agent>;

const AgentsPage = z.looseObject({
  data: z.array(S1Agent).nullish().transform((d) => d ?? []),
  pagination: z
    .looseObject({ totalItems: int, nextCursor: z.string().nullish() })
    .nullish()
    .transform((p) => p ?? { totalItems: null, nextCursor: null }),
});

/** S1 list filters; arrays become comma lists (siteIds=1,2). */
export type AgentFilters = Record<string, string | number | boolean | readonly string[] | undefined>;

export const AGENTS_PAGE_LIMIT = 1000;

function filterQuery(filters: AgentFilters): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(filters).map(([k, v]) => [k, v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v)]),
  );
}

function parsePage(res: HttpResponse) {
  const parsed = AgentsPage.safeParse(res.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({
    code: 'http.malformed',
    status: res.status,
    message: 'SentinelOne answered the agents list in an unexpected shape.',
    fix: 'Usually transient; if it persists, check that the URL is the SentinelOne console.',
    observed: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined,
  });
}

/** Pages of agents; a pass that ends short of totalItems (a page came back short) gets one more pass for the rest. */
export async function* pageAgents(session: S1Session, filters: AgentFilters = {}, signal?: AbortSignal): AsyncGenerator<{ agents: S1Agent[]; totalItems: number | null }> {
  const seen = new Set<string>();
  let totalItems: number | null = null;
  for (let pass = 0; pass < 2; pass += 1) {
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const res = await session.call({
        method: 'GET',
        path: '/agents',
        // The same filters on every page, or the cursor walks a different result.
        query: { ...filterQuery(filters), limit: AGENTS_PAGE_LIMIT, cursor },
        what: 'list agents',
        signal,
      });
      const page = parsePage(res);
      totalItems = page.pagination.totalItems ?? totalItems;
      const fresh = page.data.filter((a) => !seen.has(a.id));
      for (const agent of fresh) seen.add(agent.id);
      if (fresh.length > 0 || (pass === 0 && cursor === undefined)) yield { agents: fresh, totalItems };
      const next = page.pagination.nextCursor;
      if (!next || cursors.has(next)) break;
      cursors.add(next);
      cursor = next;
    }
    if (totalItems === null || seen.size >= totalItems) return;
  }
}

export async function listAgents(session: S1Session, filters: AgentFilters = {}, signal?: AbortSignal): Promise<{ agents: S1Agent[]; totalItems: number | null }> {
  const agents: S1Agent[] = [];
  let totalItems: number | null = null;
  for await (const page of pageAgents(session, filters, signal)) {
    totalItems = page.totalItems ?? totalItems;
    agents.push(...page.agents);
  }
  return { agents, totalItems };
}

export async function countAgents(session: S1Session, filters: AgentFilters = {}, signal?: AbortSignal): Promise<number> {
  const res = await session.call({
    method: 'GET',
    path: '/agents',
    query: { ...filterQuery(filters), limit: 1, countOnly: true },
    what: 'count agents',
    signal,
  });
  return parsePage(res).pagination.totalItems ?? 0;
}
