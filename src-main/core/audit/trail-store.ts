// The audit trail's tables as typed async calls, over the store worker's untyped `audit(operation, input)`.
import type { Store } from '../store/store';
import type { AuditOperationName, AuditOperations } from '../store/audit';

export type TrailStore = {
  [N in AuditOperationName]: (...input: Parameters<AuditOperations[N]>) => Promise<ReturnType<AuditOperations[N]>>;
};

export function trailStore(store: Pick<Store, 'audit'>): TrailStore {
  const op =
    <N extends AuditOperationName>(name: N) =>
    (...input: Parameters<AuditOperations[N]>) =>
      store.audit(name, input[0]) as Promise<ReturnType<AuditOperations[N]>>;
  return { append: op('append'), query: op('query'), all: op('all'), since: op('since'), verify: op('verify'), prune: op('prune') };
}
