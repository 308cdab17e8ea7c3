// The Users list as CSV (RFC 4180 via csv-stringify), every text cell defused against formula injection.
import { stringify } from 'csv-stringify/sync';
import type { UserSummary } from '../../../src-shared/schemas/users';
import { neutralizeFormula } from '../csv/formula';

export const USER_CSV_COLUMNS = [
  'user',
  'display_name',
  'risk_level',
  'active_events',
  'devices',
  'device_names',
  'last_event_at',
  'reset_at',
  'aliases',
] as const;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function usersCsv(users: readonly { summary: UserSummary; deviceNames: readonly string[] }[]): string {
  const records = users.map(({ summary: u, deviceNames }) => [
    neutralizeFormula(u.id),
    neutralizeFormula(u.displayName),
    u.level,
    String(u.activeEvents),
    String(u.devices),
    neutralizeFormula(deviceNames.join('; ')),
    iso(u.lastEventAt),
    iso(u.resetAt),
    neutralizeFormula(u.aliases.join('; ')),
  ]);
  return stringify(records, {
    header: true,
    columns: [...USER_CSV_COLUMNS],
    // Same dialect as the posture-log and incident exports: CRLF, BOM for Excel, lone CR/LF quoted.
    record_delimiter: 'windows',
    bom: true,
    quoted_match: /[\r\n]/,
  });
}
