import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('./heap-release.ts', import.meta.url).href;

/** Runs releaseHeap in a fresh thread until it collects (at most 20 tries); answers the tries or the error. */
function releaseInThread(): Promise<{ tries?: number; error?: string }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(moduleUrl)}).then(({ releaseHeap }) => {
      let tries = 0;
      while (tries < 20) { tries++; if (releaseHeap() === true) break; }
      parentPort.postMessage({ tries });
    }).catch((error) => parentPort.postMessage({ error: String(error) }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (answer: { tries?: number; error?: string }) => void worker.terminate().then(() => resolve(answer)));
    worker.once('error', reject);
  });
}

describe('releaseHeap', () => {
  // The --expose-gc flag it toggles is process-wide: threads releasing at once must never throw, only retry.
  it('never throws when several threads release at once, and each gets its collection', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => releaseInThread()));
    for (const answer of answers) {
      expect(answer.error).toBeUndefined();
      expect(answer.tries).toBeLessThanOrEqual(20);
    }
  });
});
