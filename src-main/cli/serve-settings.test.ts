import { describe, expect, it } from 'vitest';
import { SERVE_SETTINGS_ENV, serveExec } from './serve-settings';

const node = '/usr/bin/node';
const cli = '/app/out/main/cli.js';

describe('serve process settings', () => {
  it('serve re-executes once with a fixed mmap threshold, keeping its Node flags and arguments', () => {
    const exec = serveExec([node, cli, 'serve', '--port', '0'], ['--trace-gc'], { PATH: '/bin' });
    expect(exec?.args).toEqual([node, '--trace-gc', cli, 'serve', '--port', '0']);
    expect(exec?.env).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072', [SERVE_SETTINGS_ENV]: '1' });
    // The re-executed process does not re-execute again.
    expect(serveExec([node, cli, 'serve', '--port', '0'], exec!.args.slice(1, 2), exec!.env)).toBeNull();
  });

  it('other commands start as they are', () => {
    expect(serveExec([node, cli, 'export', '--out', 'serve'], [], {})).toBeNull();
    expect(serveExec([node, cli, '--help'], [], {})).toBeNull();
  });

  it('a threshold the user chose is kept', () => {
    expect(serveExec([node, cli, 'serve'], [], { MALLOC_MMAP_THRESHOLD_: '1048576' })).toBeNull();
  });
});
