// The current inventory: each posture provider's latest snapshot, and the cross-provider match over them (recomputed
// only after a change). A poll computes the new match in slices (matchSliced); while it does, readers get the match
// from before that change, so a screen never waits for (or stalls on) a whole-fleet match.
import { matchDevices, matchDevicesSliced, type Match, type ProviderSnapshot } from './match';

export function createInventory() {
  const snapshots = new Map<string, ProviderSnapshot>();
  let matched: Match | null = matchDevices([]);
  /** The last match computed before the latest change: what readers see while a sliced match is under way. */
  let previous: Match | null = null;
  let computing = 0;
  /** Bumped by every change, so a sliced match that a later change overtook is not kept. */
  let version = 0;
  const listeners = new Set<(match: Match) => void>();
  /** The new match is the current one: holders of views of an older one can let them go. */
  const replaced = (match: Match) => {
    for (const listener of listeners) listener(match);
  };

  /** The match of the current snapshots, computed in slices that leave the event loop free. */
  async function matchSliced(): Promise<Match> {
    if (matched) return matched;
    const at = version;
    computing++;
    try {
      const match = await matchDevicesSliced([...snapshots.values()]);
      if (at !== version) return await matchSliced();
      matched = match;
      previous = null;
      replaced(match);
      return match;
    } finally {
      computing--;
    }
  }

  const changed = () => {
    previous = matched ?? previous;
    matched = null;
    version++;
  };

  return {
    /** Replaces a provider's records with a fresh poll's. */
    put(snapshot: ProviderSnapshot): void {
      snapshots.set(snapshot.providerId, snapshot);
      changed();
    },
    /** Forgets a provider (removed, or its kind changed). */
    remove(providerId: string): boolean {
      const removed = snapshots.delete(providerId);
      if (removed) changed();
      return removed;
    },
    snapshot(providerId: string): ProviderSnapshot | undefined {
      return snapshots.get(providerId);
    },
    match(): Match {
      if (matched) return matched;
      if (computing > 0 && previous) return previous;
      matched = matchDevices([...snapshots.values()]);
      previous = null;
      replaced(matched);
      return matched;
    },
    matchSliced,
    /** Calls `listener` with each match that becomes the current one (after a change); returns the unsubscribe. */
    onMatched(listener: (match: Match) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Inventory = ReturnType<typeof createInventory>;
