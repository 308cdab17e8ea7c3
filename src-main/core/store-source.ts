// The app's store worker (store-worker.ts) started from TypeScript source: tests, benchmarks and dev runs.
import { workerFromSource } from './store/store';

// Not a literal inside `new URL(…)`: a bundler must not mistake the source file for an asset to copy.
const STORE_WORKER = './store-worker.ts';

export const storeWorkerFromSource = workerFromSource(new URL(STORE_WORKER, import.meta.url));
