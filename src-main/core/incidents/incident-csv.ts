// The incident list as CSV (RFC 4180 via csv-stringify), every text cell defused against formula injection.
import { stringify } from 'csv-stringify/sync';
import { IncidentQuery, incidentStateLabels, type Incident } from '../../../src-shared/schemas/incidents';
import { neutralizeFormula } from '../csv/formula';
import type { IncidentRepository } from './operations';

export const INCIDENT_CSV_COLUMNS = [
  'number',
  'state',
  'priority',
  'title',
  'hostname',
  'device_id',
  'rule',
  'assignment_group',
  'category',
  'severity',
  'tactic',
  'alerts',
  'containment',
  'enrichment',
  'created_at',
  'updated_at',
  'in_progress_at',
  'resolved_at',
  'closed_at',
] as const;

const cell = (value: string | null): string => (value === null ? '' : neutralizeFormula(value));

export function incidentCsvRecord(i: Incident): string[] {
  return [
    i.number,
    incidentStateLabels[i.state],
    i.priority,
    cell(i.title),
    cell(i.hostname),
    cell(i.hostDeviceId),
    cell(i.rule.name),
    cell(i.assignmentGroup),
    cell(i.category),
    i.severity === null ? '' : String(i.severity),
    cell(i.tactic),
    String(i.alertIds.length),
    i.containment,
    i.enrichment.state,
    i.createdAt,
    i.updatedAt,
    i.inProgressAt ?? '',
    i.resolvedAt ?? '',
    i.closedAt ?? '',
  ];
}

const PAGE = 1000;

/** Every incident matching the filter (paging ignored), newest first. */
export async function exportIncidentsCsv(
  repository: IncidentRepository,
  filter: Omit<IncidentQuery, 'limit' | 'offset'>,
  signal?: AbortSignal,
): Promise<string> {
  const records: string[][] = [];
  for (let offset = 0; ; offset += PAGE) {
    signal?.throwIfAborted();
    const page = await repository.listIncidents(IncidentQuery.parse({ ...filter, limit: PAGE, offset }));
    records.push(...page.items.map(incidentCsvRecord));
    if (page.items.length < PAGE) break;
  }
  return stringify(records, {
    header: true,
    columns: [...INCIDENT_CSV_COLUMNS],
    // Same dialect as the posture-log export: CRLF, BOM for Excel, lone CR/LF quoted.
    record_delimiter: 'windows',
    bom: true,
    quoted_match: /[\r\n]/,
  });
}
