// Posture Log column widths as the admin dragged them: UI state kept while the filters (and the table) change.
import { create } from 'zustand';

interface LogColumns {
  sizing: Record<string, number>;
  setSizing(next: Record<string, number>): void;
}

export const useLogColumns = create<LogColumns>((set) => ({
  sizing: {},
  setSizing: (sizing) => set({ sizing }),
}));
