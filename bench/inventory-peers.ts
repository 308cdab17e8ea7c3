// The peers bench/inventory.bench.ts measures beside ours, run in bench/inventory-child.ts: the transport floor (our
// calls over a bare undici pool) and CrowdStrike's JavaScript SDK doing the inventory as its README shows.
import { createRequire } from 'node:module';
import type { FalconClient as FalconClientClass } from 'crowdstrike-falcon';

/**
 * The same inventory written with crowdstrike-falcon 0.7 as its README shows (FalconClient, typed calls), left as
 * an engineer would write it with the SDK rather than made to mirror ours: scroll the ids, then details in POSTs of 5,000 and ZTA / online state in GETs of 100, at most
 * `concurrency` calls in flight. FalconClient only knows us-1, us-2, eu-1 and us-gov-1 and has no base-URL
 * option; its `fetchApi` option (a fetch override handed to both its OAuth2 middleware and its API
 * configuration) is the documented hook, so it points the us-1 origin at the simulator.
 */
export async function falconjsInventory(url: string, clientId: string, clientSecret: string, concurrency: number) {
  const require = createRequire(import.meta.url);
  const { FalconClient } = require('crowdstrike-falcon') as { FalconClient: typeof FalconClientClass };
  const US1 = 'https://api.crowdstrike.com';
  const fetchApi = (input: RequestInfo | URL, init?: RequestInit) => fetch(String(input).replace(US1, url), init);
  return async () => {
    const client = new FalconClient({ cloud: 'us-1', clientId, clientSecret, fetchApi });
    const ids: string[] = [];
    let offset: string | undefined;
    for (;;) {
      const page = await client.hosts.queryDevicesByFilterScroll(offset, 5000);
      ids.push(...page.resources);
      offset = page.meta.pagination?.offset;
      if (page.resources.length === 0 || ids.length >= (page.meta.pagination?.total ?? 0) || !offset) break;
    }
    const chunks = (size: number) => Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));
    let hosts = 0;
    let assessments = 0;
    let onlineStates = 0;
    const tasks: (() => Promise<void>)[] = [
      ...chunks(5000).map((batch) => async () => {
        const page = await client.hosts.postDeviceDetailsV2({ ids: batch });
        hosts += page.resources.length;
      }),
      ...chunks(100).map((batch) => async () => {
        const page = await client.zeroTrustAssessment.getAssessmentV1(batch);
        assessments += page.resources.length;
      }),
      ...chunks(100).map((batch) => async () => {
        const page = await client.hosts.getOnlineStateV1(batch);
        onlineStates += page.resources.length;
      }),
    ];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, concurrency) }, async () => {
        while (next < tasks.length) await tasks[next++]!();
      }),
    );
    return { hosts, assessments, onlineStates };
  };
}

/**
 * The transport floor: the same calls as ours straight over an undici pool (keep-alive, `concurrency`
 * connections), each body read to the end as bytes and never decoded; only the host pages are parsed, for their ids.
 * Like ours it pages hosts through the combined endpoint (1,000 records projected to the fields the inventory
 * keeps) with one slot of the in-flight cap, and starts the ZTA and online-state GETs of 100 on the other slots as
 * each page delivers ids. What this takes above the lower bound is the loopback, HTTP and the simulator, which no
 * client can avoid.
 */
export async function wireInventory(
  url: string,
  clientId: string,
  clientSecret: string,
  concurrency: number,
  plan: { page: number; fields: string; connections: number },
) {
  const { Agent } = await import('undici');
  // As many connections per origin as ours keeps (the app's setting), for the same requests in flight.
  const agent = new Agent({ connections: plan.connections });
  return async () => {
    const call = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) => {
      const res = await agent.request({ origin: url, path, method, headers, body });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode} from ${path}`);
      return text;
    };
    /** A batch call: its slot is free once the body's bytes are in (as ours frees it before reading an answer); no string is made of them. */
    const drain = async (path: string, headers: Record<string, string>) => {
      const res = await agent.request({ origin: url, path, method: 'GET', headers });
      for await (const chunk of res.body) void chunk;
      if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode} from ${path}`);
    };
    const form = new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString();
    const token = (JSON.parse(await call('POST', '/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' }, form)) as { access_token: string })
      .access_token;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const query = (batch: string[]) => batch.map((id) => `ids=${id}`).join('&');

    // Batch calls wait in a queue; `paging` keeps one slot for the host pages, as ours does.
    const queue: (() => Promise<unknown>)[] = [];
    let active = 0;
    let paging = true;
    let failed: unknown;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const pump = () => {
      while (failed === undefined && active < (paging ? concurrency - 1 : concurrency) && queue.length > 0) {
        active += 1;
        queue.shift()!().then(
          () => {
            active -= 1;
            pump();
          },
          (error: unknown) => {
            active -= 1;
            failed ??= error;
            pump();
          },
        );
      }
      if (active === 0 && (failed !== undefined || (!paging && queue.length === 0))) finish();
    };
    const pending: string[] = [];
    const enqueue = (final: boolean) => {
      while (pending.length >= 100 || (final && pending.length > 0)) {
        const batch = pending.splice(0, 100);
        queue.push(() => drain(`/zero-trust-assessment/entities/assessments/v1?${query(batch)}`, headers));
        queue.push(() => drain(`/devices/entities/online-state/v1?${query(batch)}`, headers));
      }
      pump();
    };

    let hosts = 0;
    let offset = '';
    const fields = encodeURIComponent(plan.fields);
    for (;;) {
      const path = `/devices/combined/devices/v1?limit=${plan.page}&fields=${fields}${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`;
      const page = JSON.parse(await call('GET', path, headers)) as { resources: { device_id: string }[]; meta: { pagination?: { next?: string } } };
      for (const host of page.resources) pending.push(host.device_id);
      hosts += page.resources.length;
      enqueue(false);
      offset = page.meta.pagination?.next ?? '';
      if (page.resources.length === 0 || !offset) break;
    }
    enqueue(true);
    paging = false;
    pump();
    await finished;
    await agent.close();
    if (failed !== undefined) throw failed;
    // Nothing but the host pages is parsed, so only hosts are counted: the floor only has to make the same calls.
    return { hosts, assessments: 0, onlineStates: hosts };
  };
}
