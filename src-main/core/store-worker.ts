// The store's worker entry as the app runs it: the store's message loop with the incident engine's operations,
// each inside one write transaction. Composed here, above both, so the store imports nothing of the engine.
import { runOperation } from './incidents/operations';
import { serveStore } from './store/worker';

serveStore({ incidents: runOperation });
