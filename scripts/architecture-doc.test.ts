// docs/ARCHITECTURE.md states the import rules in a table; eslint.config.js enforces them. They must say the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imports, rooms } from '../eslint.config.js';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');

/** The rows of the table between the import-rules markers, by room. */
function documentedRules() {
  const table = doc.split('<!-- import-rules:start -->')[1]?.split('<!-- import-rules:end -->')[0];
  if (!table) throw new Error('docs/ARCHITECTURE.md has no import-rules table');
  const rows = table
    .trim()
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const unquote = (cell: string) => cell.replaceAll('`', '');
  const list = (cell: string) => cell.split(',').map((item) => unquote(item.trim()));
  return Object.fromEntries(
    rows.map(([room, folder, may, node, packages]) => [
      room!,
      {
        folder: unquote(folder!),
        rooms: list(may!),
        node: node === 'yes',
        packages: packages === 'any' || packages === 'any but electron' ? packages : list(packages!),
      },
    ]),
  );
}

describe('docs/ARCHITECTURE.md', () => {
  const documented = documentedRules();

  it('states the same import rules, room by room, as eslint.config.js enforces', () => {
    const enforced = Object.fromEntries(
      Object.entries(imports).map(([room, rule]) => [room, { folder: rooms.find((r) => r.type === room)?.pattern, ...rule }]),
    );
    expect(documented).toEqual(enforced);
  });

  it('names every room the linter knows, production or tooling', () => {
    const named = rooms.map((r) => r.type).filter((type) => !(type in documented));
    for (const type of named) expect(doc).toContain(`\`${type}\``);
  });

  it('lists in its journeys only files that exist', () => {
    const paths = [...doc.matchAll(/`((?:src-[a-z]+|sim|scripts)\/[\w./-]+\.tsx?)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(20);
    const missing = paths.filter((path) => {
      try {
        readFileSync(join(root, path));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });
});
