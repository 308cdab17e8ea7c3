// User risk's history as typed async calls, over the store worker's untyped `users(operation, input)`.
import type { Store } from '../store/store';
import type { UserOperationName, UserOperations } from '../store/users';

export type RiskStore = {
  [N in UserOperationName]: (...input: Parameters<UserOperations[N]>) => Promise<ReturnType<UserOperations[N]>>;
};

export function riskStore(store: Pick<Store, 'users'>): RiskStore {
  const op =
    <N extends UserOperationName>(name: N) =>
    (...input: Parameters<UserOperations[N]>) =>
      store.users(name, input[0]) as Promise<ReturnType<UserOperations[N]>>;
  return {
    record: op('record'),
    activity: op('activity'),
    knownUsers: op('knownUsers'),
    history: op('history'),
    reset: op('reset'),
    behaviors: op('behaviors'),
    saveBehaviors: op('saveBehaviors'),
    failingDevices: op('failingDevices'),
  };
}
