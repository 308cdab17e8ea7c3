// The store's worker entry without engines: the posture log and user risk alone (its tests and tools).
import { serveStore } from './worker';

serveStore();
