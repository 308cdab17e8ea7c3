// The current inventory: each posture provider's latest snapshot, and the cross-provider match over them (recomputed
// only after a change).
import { matchDevices, type Match, type ProviderSnapshot } from './match';

export function createInventory() {
  const snapshots = new Map<string, ProviderSnapshot>();
  let matched: Match | null = null;

  return {
    /** Replaces a provider's records with a fresh poll's. */
    put(snapshot: ProviderSnapshot): void {
      snapshots.set(snapshot.providerId, snapshot);
      matched = null;
    },
    /** Forgets a provider (removed, or its kind changed). */
    remove(providerId: string): boolean {
      const removed = snapshots.delete(providerId);
      if (removed) matched = null;
      return removed;
    },
    snapshot(providerId: string): ProviderSnapshot | undefined {
      return snapshots.get(providerId);
    },
    match(): Match {
      matched ??= matchDevices([...snapshots.values()]);
      return matched;
    },
  };
}

export type Inventory = ReturnType<typeof createInventory>;
