import { describe, expect, it } from 'vitest';
import { SERVE_SETTINGS_ENV, serveExec } from './serve-settings';

const node = '/usr/bin/node';
const cli = '/app/out/main/cli.js';

describe('serve process settings', () => {
  it('serve re-executes once with a capped young generation, a slower-growing heap and a fixed mmap threshold, keeping its arguments', () => {
    const exec = serveExec([node, cli, 'serve', '--port', '0'], ['--trace-gc'], { PATH: '/bin' });
    expect(exec?.args).toEqual([node, '--max-semi-space-size=16', '--heap-growing-percent=100', '--trace-gc', cli, 'serve', '--port', '0']);
    expect(exec?.env).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072', [SERVE_SETTINGS_ENV]: '1' });
    // The re-executed process does not re-execute again.
    expect(serveExec([node, cli, 'serve', '--port', '0'], exec!.args.slice(1, 4), exec!.env)).toBeNull();
  });

  it('other commands start as they are', () => {
    expect(serveExec([node, cli, 'export', '--out', 'serve'], [], {})).toBeNull();
    expect(serveExec([node, cli, '--help'], [], {})).toBeNull();
  });

  it('settings the user chose are kept', () => {
    const exec = serveExec([node, cli, 'serve'], ['--max-semi-space-size=64', '--heap-growing-percent=50'], { MALLOC_MMAP_THRESHOLD_: '1048576' });
    expect(exec).toBeNull();
    const partly = serveExec([node, cli, 'serve'], ['--heap-growing-percent=50'], { NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(partly?.args).toEqual([node, '--heap-growing-percent=50', cli, 'serve']);
    expect(partly?.env.MALLOC_MMAP_THRESHOLD_).toBe('131072');
    const growing = serveExec([node, cli, 'serve'], ['--heap-growing-percent=50'], {});
    expect(growing?.args).toEqual([node, '--max-semi-space-size=16', '--heap-growing-percent=50', cli, 'serve']);
  });
});
