// A full Intune pull (Graph managedDevices, $select, nextLink paging) against the simulator at 20 ms latency:
// wall time, requests, 429s and the client's peak memory, beside the transport floor (the same nextLink walk over
// a bare undici pool, bodies parsed only for the next link) and the bound the API itself sets: pages are
// sequential (each nextLink comes with the page before it), so the floor is requests × latency, and the
// 2,000-requests-per-20-s budget adds a wait only past 2,000 requests.
//
//   npx node bench/intune.bench.ts                 quick: 10,000 and 100,000 devices
//   options: --sizes 10000,100000  --latency MS (20)  --page N (1000)
//
// The simulator runs in its own process (as the tenant would), each client in another so its peak RSS is its own.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtCount, fmtMB, fmtMs, runMeasured } = await import('./harness');
const { peakRssMB } = await import('./peak-rss');

const bench = benchmark('intune', 'Intune pull against the simulator', {
  sizes: { type: 'string' },
  latency: { type: 'string', default: '20' },
  page: { type: 'string', default: '1000' },
  child: { type: 'string' },
  url: { type: 'string' },
  devices: { type: 'string' },
});
const { values } = bench;
const self = fileURLToPath(import.meta.url);

interface ChildFigures {
  ms: number;
  devices: number;
  requests: number;
  peakRssMB: number;
}

if (values.child === 'sim') {
  const { startIntuneSimulator } = await import('../sim/intune/server');
  const sim = await startIntuneSimulator({ devices: Number(values.devices), seed: 11, latencyMs: Number(values.latency), pageSize: Number(values.page) });
  process.stdout.write(`${JSON.stringify({ url: sim.url, ...sim.credentials, intuneDevices: sim.devices.length })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
} else if (values.child) {
  const url = values.url!;
  const { tenantId, clientId, clientSecret } = JSON.parse(process.env.BENCH_INTUNE!) as { tenantId: string; clientId: string; clientSecret: string };
  let requests = 0;
  const started = performance.now();
  let devices = 0;
  if (values.child === 'ours') {
    const { createHttp } = await import('../src-main/core/providers/http');
    const { createIntuneClient } = await import('../src-main/core/providers/intune/client');
    const { observeIntune } = await import('../src-main/core/providers/intune/observe');
    const client = createIntuneClient({
      tenantId,
      clientId,
      cloud: 'custom',
      loginUrl: url,
      graphUrl: url,
      getSecret: async () => clientSecret,
      http: createHttp(),
    });
    const out = await observeIntune(client, { providerId: 'bench', onProgress: () => requests++ });
    devices = out.observations.length;
    requests += 1; // the token
  } else {
    const { Agent } = await import('undici');
    const agent = new Agent({ connections: 1 });
    const origin = new URL(url).origin;
    const tokenRes = await agent.request({
      origin,
      path: `/${tenantId}/oauth2/v2.0/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: `${origin}/.default` }).toString(),
    });
    const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
    requests++;
    let next: string | undefined =
      `${origin}/v1.0/deviceManagement/managedDevices?$select=id,deviceName,serialNumber,operatingSystem,osVersion,complianceState,isEncrypted,isSupervised,azureADRegistered,deviceRegistrationState,managedDeviceOwnerType,jailBroken,lastSyncDateTime,wiFiMacAddress,userPrincipalName,managementState&$count=true`;
    while (next) {
      const u: URL = new URL(next);
      const res = await agent.request({ origin, path: u.pathname + u.search, method: 'GET', headers: { authorization: `Bearer ${token}` } });
      const body = (await res.body.json()) as { value: unknown[]; '@odata.nextLink'?: string };
      requests++;
      devices += body.value.length;
      next = body['@odata.nextLink'];
    }
  }
  const figures: ChildFigures = { ms: performance.now() - started, devices, requests, peakRssMB: peakRssMB() };
  process.stdout.write(JSON.stringify(figures));
  process.exit(0);
} else {
  const sizes = (values.sizes ?? '10000,100000').split(',').map(Number);
  const latency = Number(values.latency);
  const rows: (string | number)[][] = [];
  for (const size of sizes) {
    const sim = spawn(process.execPath, [self, '--child', 'sim', '--devices', String(size), '--latency', String(latency), '--page', values.page], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const info = await new Promise<{ url: string; tenantId: string; clientId: string; clientSecret: string; intuneDevices: number }>((resolve, reject) => {
      let out = '';
      sim.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      sim.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
    });
    const env = { ...process.env, BENCH_INTUNE: JSON.stringify(info) };
    const measure = async (client: string) => {
      const run = await runMeasured(process.execPath, [self, '--child', client, '--url', info.url], { env, timeoutMs: 10 * 60_000 });
      if (run.status !== 0) throw new Error(`${client} failed: ${run.stderr.slice(-500)}`);
      const f = JSON.parse(run.stdout) as ChildFigures;
      return { ...f, peakRssMB: run.peakRssMB ?? f.peakRssMB };
    };
    const ours = await measure('ours');
    const wire = await measure('wire');
    sim.stdin!.end();
    const pages = Math.ceil(info.intuneDevices / Number(values.page));
    const needed = pages + 1;
    // Sequential pages: each request waits its latency; the budget adds 20 s per 2,000 requests beyond the first 2,000.
    const boundMs = needed * latency + Math.max(0, Math.ceil((needed - 2000) / 2000)) * 20_000;
    rows.push([
      fmtCount(info.intuneDevices),
      needed,
      fmtMs(boundMs),
      fmtMs(wire.ms),
      fmtMs(ours.ms),
      fmtMB(ours.peakRssMB),
      ours.devices === info.intuneDevices ? 'all' : `${ours.devices}`,
    ]);
    bench.figure({
      label: `Intune pull, ${fmtCount(info.intuneDevices)} devices (${needed} requests, ${latency} ms latency)`,
      value: ours.ms,
      unit: 'ms',
      better: 'lower',
      peer: {
        label: `throttling bound: ${needed} sequential requests at ${latency} ms (each nextLink arrives with the page before it; 2,000 requests per 20 s not reached)`,
        value: boundMs,
      },
      command: bench.command(`--sizes ${size}`),
      note: `peak RSS ${fmtMB(ours.peakRssMB)}; ${ours.devices === info.intuneDevices ? 'every device read' : `${ours.devices} of ${info.intuneDevices} read`}`,
    });
    bench.figure({
      label: `Intune pull, ${fmtCount(info.intuneDevices)} devices, against the bare walk`,
      value: ours.ms,
      unit: 'ms',
      better: 'lower',
      peer: { label: 'bare nextLink walk (undici, bodies parsed for the link only)', value: wire.ms },
      command: bench.command(`--sizes ${size}`),
    });
    bench.figure({
      label: `Intune pull peak RSS, ${fmtCount(info.intuneDevices)} devices`,
      value: ours.peakRssMB,
      unit: 'MB',
      better: 'lower',
      peer: { label: 'bare nextLink walk (undici)', value: wire.peakRssMB },
      command: bench.command(`--sizes ${size}`),
    });
  }
  bench.curve({
    title: 'Intune pull by fleet size',
    columns: ['Intune devices', 'requests', 'bound', 'bare walk', 'ours', 'our peak RSS', 'devices read'],
    rows,
    command: bench.command(),
  });
  bench.done();
}
