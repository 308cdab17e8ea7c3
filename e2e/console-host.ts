// Starts `posture-console serve` from the built bundle, exactly as a user would, and reads its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ConsoleHost {
  openUrl: string;
  baseUrl: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startConsoleHost(args: string[] = []): Promise<ConsoleHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-e2e-'));
  const child = spawn(process.execPath, ['bin/posture-console.js', 'serve', '--port', '0', '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn' },
  });
  let output = '';
  // Only a server that dies before printing its URL takes its data directory with it: later, a test may stop the
  // process and read what it left (stop() removes the directory then).
  let onEarlyExit = (_code: number | null) => {};
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    onEarlyExit = (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`serve exited with ${code}:\n${output}`));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onEarlyExit);
  }).finally(() => child.off('exit', onEarlyExit));
  return {
    openUrl,
    baseUrl: openUrl.split('/#')[0]!,
    dataDir,
    process: child,
    // The data directory is the test's own: removed once the server has let go of it.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).then(() => rmSync(dataDir, { recursive: true, force: true })),
  };
}
