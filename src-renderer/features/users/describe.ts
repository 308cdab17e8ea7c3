// How user risk reads on screen: a word and a colour per level and per event status (never colour alone).
import type { RiskEventStatus, UserRiskLevel } from '../../../src-shared/schemas/users';

export const levelLook: Record<UserRiskLevel, { word: string; color: string }> = {
  high: { word: 'High', color: 'red' },
  medium: { word: 'Medium', color: 'orange' },
  low: { word: 'Low', color: 'yellow' },
  none: { word: 'None', color: 'gray' },
};

/** Highest first, as the filter chips and the dashboard list them. */
export const levelsHighFirst: readonly UserRiskLevel[] = ['high', 'medium', 'low', 'none'];

export const statusLook: Record<RiskEventStatus, { word: string; color: string; hint: string }> = {
  active: { word: 'Counts', color: 'red', hint: "This event counts toward the user's level." },
  aged_out: { word: 'Aged out', color: 'gray', hint: 'Last observed before the window: it no longer counts.' },
  before_reset: { word: 'Before reset', color: 'gray', hint: "Began before the user's latest reset: it no longer counts." },
  behavior_off: { word: 'Behavior off', color: 'gray', hint: 'Its behavior is disabled: it does not count while it stays off.' },
};
