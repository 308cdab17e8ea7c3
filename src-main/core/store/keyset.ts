// Keyset pagination over a compound sort key, as a few index-friendly queries instead of one row-value test.
import type { SQLInputValue } from 'node:sqlite';

export type Dir = 'asc' | 'desc';

export type Branch = { where: string; params: SQLInputValue[] };

/**
 * `(k1, …, kn) > (v1, …, vn)` split into n branches, tried in order until the page is full:
 * `k1 = v1 AND … AND kn > vn`, …, `k1 > v1`. SQLite seeks each branch on an index whose columns follow
 * the key; a single row-value comparison would only seek on k1 and rescan every tie on it.
 */
export function keysetBranches(exprs: readonly string[], values: readonly SQLInputValue[], dir: Dir): Branch[] {
  const op = dir === 'asc' ? '>' : '<';
  const branches: Branch[] = [];
  for (let i = exprs.length - 1; i >= 0; i--) {
    const equal = exprs.slice(0, i).map((e) => `${e} = ?`);
    branches.push({ where: [...equal, `${exprs[i]} ${op} ?`].join(' AND '), params: values.slice(0, i + 1) });
  }
  return branches;
}

export function orderBy(exprs: readonly string[], dir: Dir): string {
  return exprs.map((e) => `${e} ${dir.toUpperCase()}`).join(', ');
}
