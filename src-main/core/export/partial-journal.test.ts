import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPartialJournal } from './partial-journal';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly ran and ended: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('partial-file journal', () => {
  it('deletes what an export that died left behind, and never the finished file', () => {
    const journalFile = join(dir, 'journal.json');
    const file = join(dir, 'log.csv');
    writeFileSync(`${file}.partial`, 'half');
    writeFileSync(file, 'an older, complete export');
    writeFileSync(journalFile, JSON.stringify([{ path: file, pid: deadPid() }]));

    expect(createPartialJournal(journalFile).sweep()).toEqual([`${file}.partial`]);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('an older, complete export');
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([]);
  });

  it('leaves the file of an export another live process is writing', () => {
    const journalFile = join(dir, 'journal.json');
    const file = join(dir, 'cli.csv');
    writeFileSync(`${file}.partial`, 'in progress');
    // The test runner's parent is alive and is not this process.
    writeFileSync(journalFile, JSON.stringify([{ path: file, pid: process.ppid }]));
    expect(createPartialJournal(journalFile).sweep()).toEqual([]);
    expect(existsSync(`${file}.partial`)).toBe(true);
  });

  it('forgets a finished export, and shrugs off a missing or garbled journal', () => {
    const journalFile = join(dir, 'journal.json');
    const journal = createPartialJournal(journalFile);
    expect(journal.sweep()).toEqual([]);
    journal.add(join(dir, 'a.csv'));
    journal.add(join(dir, 'b.csv'));
    journal.remove(join(dir, 'a.csv'));
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([{ path: join(dir, 'b.csv'), pid: process.pid }]);
    writeFileSync(journalFile, '{not json');
    expect(journal.sweep()).toEqual([]);
  });
});
