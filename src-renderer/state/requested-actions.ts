// What the admin asked for that a screen carries out: which provider's Test panel is open (a Test runs when it
// opens), and one-shot requests from the command palette (test all, export the log) taken by the screen that does them.
import { create } from 'zustand';

export type OneShot = 'testAll' | 'exportLog';

interface RequestedActions {
  /** The provider whose Test panel is open; a new nonce runs the Test again. */
  testPanel: { providerId: string; nonce: number } | null;
  openTest(providerId: string): void;
  closeTest(): void;
  pending: OneShot | null;
  request(action: OneShot): void;
  /** True once for a pending request of this kind, which is then gone. */
  take(action: OneShot): boolean;
}

let nonce = 0;

export const useRequestedActions = create<RequestedActions>((set, get) => ({
  testPanel: null,
  openTest: (providerId) => set({ testPanel: { providerId, nonce: ++nonce } }),
  closeTest: () => set({ testPanel: null }),
  pending: null,
  request: (action) => set({ pending: action }),
  take: (action) => {
    if (get().pending !== action) return false;
    set({ pending: null });
    return true;
  },
}));
