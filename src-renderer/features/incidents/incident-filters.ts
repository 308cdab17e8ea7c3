// What the admin has chosen on the incident list: filters and page. UI state only; incidents live in the query cache.
import { create } from 'zustand';
import type { IncidentPriority, IncidentState } from '../../../src-shared/schemas/incidents';

export const INCIDENT_PAGE_SIZE = 25;

interface IncidentFilters {
  states: IncidentState[];
  priorities: IncidentPriority[];
  /** The search box as typed; the list debounces it before it reaches a query. */
  text: string;
  page: number;
  setStates(states: IncidentState[]): void;
  setPriorities(priorities: IncidentPriority[]): void;
  setText(text: string): void;
  setPage(page: number): void;
  clear(): void;
}

export const useIncidentFilters = create<IncidentFilters>((set) => ({
  states: [],
  priorities: [],
  text: '',
  page: 1,
  // A new filter starts from the first page: the old page number may not exist any more.
  setStates: (states) => set({ states, page: 1 }),
  setPriorities: (priorities) => set({ priorities, page: 1 }),
  setText: (text) => set({ text, page: 1 }),
  setPage: (page) => set({ page }),
  clear: () => set({ states: [], priorities: [], text: '', page: 1 }),
}));
