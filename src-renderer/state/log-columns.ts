// Posture Log column widths as the admin dragged them: UI state kept while the filters (and the table) change.
import type { ColumnSizingState } from '@tanstack/react-table';
import { create } from 'zustand';

interface LogColumns {
  sizing: ColumnSizingState;
  setSizing(next: ColumnSizingState): void;
}

export const useLogColumns = create<LogColumns>((set) => ({
  sizing: {},
  setSizing: (sizing) => set({ sizing }),
}));
