import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ContractError } from '../../src-shared/errors';
import { reportFailure } from './boundary';
import { CliError, describeFailure, describeSystemError, UnexpectedError } from './failure';
import { showProgress } from './progress';

const systemError = (code: string, fields: Record<string, unknown>) => Object.assign(new Error(`${code}: raw`), { code, ...fields });

describe('describeFailure', () => {
  it('maps Node system errors by code to the path and a fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-failure-'));
    try {
      expect(describeSystemError(systemError('ENOENT', { syscall: 'open', path: join(dir, 'gone', 'x.csv') }))).toMatchObject({
        message: `The folder ${join(dir, 'gone')} does not exist (needed for ${join(dir, 'gone', 'x.csv')}).`,
        fix: expect.stringMatching(/^Create it first/),
      });
      expect(describeSystemError(systemError('ENOENT', { syscall: 'open', path: join(dir, 'x.csv') })).message).toBe(`${join(dir, 'x.csv')} does not exist.`);
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(describeSystemError(systemError('EEXIST', { syscall: 'mkdir', path: '/etc/passwd' })).message).toBe('/etc/passwd exists and is not a folder.');
    expect(describeSystemError(systemError('ENOTDIR', { syscall: 'rename', path: '/tmp/.partial' })).message).toMatch(/part of this path is a file/);
    expect(describeSystemError(systemError('EADDRINUSE', { syscall: 'listen', address: '127.0.0.1', port: 8080 }))).toMatchObject({
      message: 'Port 8080 on 127.0.0.1 is already in use.',
      fix: 'Choose another --port, or --port 0 for a free one.',
    });
    for (const code of ['EACCES', 'EPERM', 'EISDIR', 'EROFS', 'ENOSPC', 'EMFILE', 'EADDRNOTAVAIL', 'EPIPE', 'EWHATEVER'])
      expect(describeSystemError(systemError(code, { syscall: 'open', path: '/x' })).fix).toBeTruthy();
  });

  it('gives every failure exit code 2 and keeps domain errors as they are', () => {
    const domain = new ContractError({ code: 'provider.not_found', message: 'No such provider.', fix: 'Add it.' });
    expect(describeFailure(domain)).toEqual({ body: domain.toBody(), exitCode: 2, expected: true });
    expect(describeFailure(new CliError({ code: 'x', message: 'm', fix: 'f' })).exitCode).toBe(2);
    const zod = z.object({ port: z.number() }).safeParse({ port: 'x' }).error!;
    expect(describeFailure(zod)).toMatchObject({ exitCode: 2, body: { code: 'invalid_input', issues: [{ path: 'port' }] } });
  });

  it('names the cause of an unexpected error rather than pointing at a log', () => {
    const failure = describeFailure(new UnexpectedError(new TypeError('cannot read x of undefined')));
    expect(failure).toMatchObject({
      exitCode: 2,
      expected: false,
      body: { code: 'internal', message: 'posture-console failed unexpectedly: cannot read x of undefined' },
    });
  });
});

describe('reportFailure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });

  it('ends an open progress line before the error, and prints message, fix and no stack', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    showProgress('1791 / 1791 rows');
    expect(await reportFailure(systemError('ENOTDIR', { syscall: 'rename', path: '/tmp/.partial' }))).toBe(2);
    const text = written.join('');
    expect(text).toBe(
      '\r1791 / 1791 rows\nerror: /tmp/.partial: part of this path is a file, not a folder.\nfix: Check the path: only folders can contain other files.\n',
    );
    expect(process.exitCode).toBe(2);
  });
});
