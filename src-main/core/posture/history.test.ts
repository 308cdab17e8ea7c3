import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPollHistory } from './history';

const file = () => join(mkdtempSync(join(tmpdir(), 'pc-history-')), 'poll-history.json');

describe('poll history', () => {
  it('records nothing for a poll that evaluated nothing', () => {
    const path = file();
    const history = createPollHistory(path);
    expect(history.add({ at: 1, providerId: 'cs', pass: 0, fail: 0, unknown: 0 })).toBe(false);
    expect(history.add({ at: 2, providerId: 'cs', pass: 0, fail: 0, unknown: 4 })).toBe(true);
    expect(history.since(0).map((p) => p.at)).toEqual([2]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toHaveLength(1);
  });

  it('drops the 0/0/0 points an earlier version wrote before any check existed', () => {
    const path = file();
    writeFileSync(
      path,
      JSON.stringify([
        { at: 1, providerId: 'cs', pass: 0, fail: 0, unknown: 0 },
        { at: 2, providerId: 'cs', pass: 5, fail: 1, unknown: 0 },
      ]),
    );
    expect(
      createPollHistory(path)
        .since(0)
        .map((p) => p.at),
    ).toEqual([2]);
  });
});
