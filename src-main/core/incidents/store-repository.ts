// The incident repository as the posture-log store serves it: each operation one write transaction in the
// store's worker thread. The composition root wires it: `storeRepository(await openStore({ file }))`.
import type { Store } from '../store/store';
import { repositoryOf, type IncidentRepository } from './operations';

export function storeRepository(store: Pick<Store, 'incidents'>): IncidentRepository {
  return repositoryOf((operation, input) => store.incidents(operation, input));
}
