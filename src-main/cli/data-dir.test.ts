// The data directory checks: a read-only command refuses a folder that holds no store, and leaves it as it was.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExistingStore } from './data-dir';
import { CliError } from './failure';

const temp = mkdtempSync(join(tmpdir(), 'pc-data-dir-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function failure(dir: string): CliError {
  try {
    checkExistingStore(dir);
  } catch (error) {
    return error as CliError;
  }
  throw new Error(`checkExistingStore(${dir}) accepted it`);
}

describe('checkExistingStore', () => {
  it('refuses a missing folder without creating it', () => {
    const missing = join(temp, 'mistyped');
    const error = failure(missing);
    expect(error).toBeInstanceOf(CliError);
    expect(error.body.code).toBe('cli.data_dir_empty');
    expect(error.body.message).toContain(missing);
    expect(error.body.fix).toMatch(/--data-dir/);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses an existing folder with no store, and leaves it empty', () => {
    const empty = join(temp, 'empty');
    mkdirSync(empty);
    expect(failure(empty).body.code).toBe('cli.data_dir_empty');
    expect(readdirSync(empty)).toEqual([]);
  });

  it('accepts a folder that holds the store', () => {
    const data = join(temp, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'posture-log.sqlite'), '');
    expect(() => checkExistingStore(data)).not.toThrow();
  });
});
