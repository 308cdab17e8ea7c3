// Splitting id lists into API-sized batches and running them with bounded concurrency.

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A gate letting at most `limit` tasks run at once; the first failure stops new tasks from starting. */
export function createLimiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** Runs `task` on each batch of `items`, at most `concurrency` at a time; results keep batch order. */
export async function mapBatches<T, R>(items: readonly T[], size: number, concurrency: number, task: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const batches = chunk(items, size);
  const results: R[][] = new Array(batches.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < batches.length) {
      const index = next++;
      try {
        results[index] = await task(batches[index] ?? []);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return results.flat();
}
