// `posture-console export --view latest --provider X` for a provider with no rows yet: a CSV of the header
// only and exit 0, not a stack trace (runs the built CLI, which vitest's global set-up builds).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src-shared/dispatch';
import { createTestApp } from '../core/test-app.testkit';
import { cliLauncher, repoRoot } from '../reliability/cli-build';

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('posture-console export with a filter that has no rows yet', () => {
  it('writes the header only for --view latest|changes|evaluations --provider X (built CLI)', async () => {
    const { app, dir } = await createTestApp({ dataDir: mkdtempSync(join(tmpdir(), 'pc-cli-export-')) });
    const saved = await dispatch(app.handlers, 'providers.save', {
      kind: 'sentinelone',
      name: 'Not polled yet',
      apiUrl: 'http://127.0.0.1:9',
      apiToken: 'x'.repeat(80),
    });
    expect(saved.ok).toBe(true);
    await app.close();

    for (const view of ['latest', 'changes', 'evaluations']) {
      const out = join(dir, `${view}.csv`);
      const run = await runCli(['export', '--data-dir', dir, '--out', out, '--view', view, '--provider', 'Not polled yet']);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect({ view, code: run.code }).toEqual({ view, code: 0 });
      expect(run.stdout).toContain('Wrote 0 rows');
      expect(readFileSync(out, 'utf8').split('\r\n')).toEqual([expect.stringMatching(/^\uFEFFtimestamp,device,/), '']);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
