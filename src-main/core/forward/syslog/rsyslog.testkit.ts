// Test kit: a real rsyslogd on loopback (imtcp, TLS through gtls with a certificate made here), writing what it
// receives to a file the tests read. Only tests and the benchmark import this.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export type Certificates = { caPem: string; caFile: string; certFile: string; keyFile: string };

/** A CA and a server certificate for localhost / 127.0.0.1, made with openssl in `dir`. */
export function makeCertificates(dir: string, names = { dns: 'localhost', ip: '127.0.0.1' }): Certificates {
  const f = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Posture Console Test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  run(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${names.dns}`,
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  );
  writeFileSync(f('san.ext'), `subjectAltName=DNS:${names.dns},IP:${names.ip}\nextendedKeyUsage=serverAuth\n`);
  run(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
    '-out',
    f('server.pem'),
  );
  return { caPem: readFileSync(f('ca.pem'), 'utf8'), caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server.key') };
}

/** rsyslog cannot listen on port 0: take a free port from the kernel, release it, hand it over. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Rsyslog = {
  port: number;
  outFile: string;
  certificates: Certificates | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every line rsyslog wrote: `MSGID|STRUCTURED-DATA|MSG`. */
  lines(): string[];
  /** Event ids in the order received, duplicates kept. */
  eventIds(): string[];
  /** Waits (polling the file) until `predicate` holds, or fails after `timeoutMs`. */
  waitFor(predicate: (ids: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
};

/** rsyslogd with its TLS driver (`rsyslog-gnutls`), wherever the architecture puts its modules. */
export function rsyslogAvailable(): boolean {
  return existsSync('/usr/sbin/rsyslogd') && globSync('/usr/lib/*/rsyslog/lmnsd_gtls.so').length > 0;
}

export async function startRsyslog(dir: string, options: { tls: boolean; port?: number } = { tls: true }): Promise<Rsyslog> {
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const certificates = options.tls ? makeCertificates(dir) : null;
  const outFile = join(dir, 'received.log');
  const conf = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  const driver = certificates
    ? `global(workDirectory="${dir}" DefaultNetstreamDriverCAFile="${certificates.caFile}" DefaultNetstreamDriverCertFile="${certificates.certFile}" DefaultNetstreamDriverKeyFile="${certificates.keyFile}")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon" MaxSessions="50")`
    : `global(workDirectory="${dir}")
module(load="imtcp" MaxSessions="50")`;
  writeFileSync(
    conf,
    `${driver}
input(type="imtcp" port="${port}" address="127.0.0.1")
template(name="probe" type="string" string="%msgid%|%structured-data%|%msg%\\n")
action(type="omfile" file="${outFile}" template="probe" flushOnTXEnd="on" asyncWriting="off")
`,
  );
  let child: ChildProcess | null = null;
  let stderr = '';

  const kit: Rsyslog = {
    port,
    outFile,
    certificates,
    async start() {
      stderr = '';
      child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      for (let i = 0; i < 200; i++) {
        if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${stderr}`);
        if (await accepts(port)) return;
        await sleep(50);
      }
      throw new Error(`rsyslogd did not listen on ${port}: ${stderr}`);
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      await exited;
    },
    lines() {
      if (!existsSync(outFile)) return [];
      return readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
    },
    eventIds() {
      return kit
        .lines()
        .map((line) => /eventId="((?:[^"\\]|\\.)*)"/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
    },
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ids = kit.eventIds();
        if (predicate(ids)) return ids;
        if (Date.now() > deadline) throw new Error(`rsyslog received ${ids.length} events; the condition did not hold. stderr: ${stderr}`);
        await sleep(100);
      }
    },
  };
  await kit.start();
  return kit;
}
