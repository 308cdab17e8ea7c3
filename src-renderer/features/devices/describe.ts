// Words and colours for how a device was matched: serial trust, each record's role, each provider's outcome.
import { postureAttributes } from '../../../src-shared/schemas/posture';
import type { DeviceObservation, ProviderMatchOutcome, RecordRole, SerialStatus } from '../../../src-shared/schemas/posture';
import { clockTime, fromNow } from '../dashboard/when';

type Look = { word: string; color: string; hint: string };

export const serialStatusLook: Record<SerialStatus, Look> = {
  valid: { word: 'Valid', color: 'teal', hint: 'A unique, real serial: providers are matched on it.' },
  missing: { word: 'Missing', color: 'gray', hint: 'No serial reported: this record cannot be matched and its checks report unknown.' },
  junk: { word: 'Junk', color: 'orange', hint: 'A placeholder such as "To Be Filled By O.E.M.": not trusted for matching.' },
  duplicate: { word: 'Duplicate', color: 'red', hint: 'The same serial on several machines: not trusted for matching.' },
};

export const roleLook: Record<RecordRole, Look> = {
  used: { word: 'Used', color: 'teal', hint: 'This record supplies the posture of the device.' },
  superseded: { word: 'Superseded', color: 'gray', hint: 'An older record of the same machine (reinstall), set aside.' },
  duplicate: { word: 'Duplicate', color: 'orange', hint: 'Shares its serial with another machine.' },
};

export const outcomeLook: Record<ProviderMatchOutcome, Look> = {
  matched: { word: 'Matched', color: 'teal', hint: 'The provider reports this device.' },
  not_found: { word: 'Not found', color: 'gray', hint: 'The provider has no record of this device.' },
  possible_match: { word: 'Possible match', color: 'yellow', hint: 'Only a MAC address or hostname links them; checks do not trust it.' },
  ambiguous: { word: 'Ambiguous', color: 'orange', hint: 'The serial is shared, so the record cannot be told apart.' },
};

const yesNo = (v: boolean | null) => (v === null ? 'not reported' : v ? 'Yes' : 'No');
const shown = (v: string | number | null | undefined) => (v === null || v === undefined ? 'not reported' : String(v));

/** The attributes a check can test, as the provider reported them. */
export function postureFacts(o: DeviceObservation, now: number): [string, string][] {
  const p = o.posture;
  if (p.kind === 'crowdstrike-zta')
    return [
      ['Overall score', p.assessment ? shown(p.assessment.overall) : 'no assessment'],
      ['OS score', p.assessment ? shown(p.assessment.os) : 'no assessment'],
      ['Sensor config score', p.assessment ? shown(p.assessment.sensorConfig) : 'no assessment'],
      ['ZTA score version', p.assessment ? shown(p.assessment.version) : 'no assessment'],
      ['State', shown(p.state)],
      ['Last seen', p.lastSeenAt === null ? 'not reported' : `${fromNow(p.lastSeenAt, now)} (${clockTime(p.lastSeenAt)})`],
    ];
  if (p.kind !== 'sentinelone') return specFacts(p, now);
  return [
    ['Infected', yesNo(p.infected)],
    ['Active threats', shown(p.activeThreats)],
    ['Agent active', yesNo(p.isActive)],
    ['Network status', shown(p.networkStatus)],
    ['Operational state', shown(p.operationalState)],
  ];
}

/** Identity of the record, for telling reinstall leftovers and shared serials apart. */
export function identityFacts(o: DeviceObservation, now: number): [string, string][] {
  return [
    ['Record id', o.recordId],
    ['Hostname', shown(o.hostname)],
    ['Serial (as reported)', o.serial === null ? 'none' : `"${o.serial}"`],
    ['MAC addresses', o.macs.length ? o.macs.join(', ') : 'none'],
    ['Platform', shown(o.platform)],
    ['Last activity', o.lastActivityAt === null ? 'not reported' : `${fromNow(o.lastActivityAt, now)} (${clockTime(o.lastActivityAt)})`],
    ...(o.retired ? ([['Retired', 'Yes (decommissioned or uninstalled)']] as [string, string][]) : []),
  ];
}

/** The attributes of a source described as data, read by their spec (label, then the posture field it reads). */
function specFacts(p: DeviceObservation['posture'], now: number): [string, string][] {
  const record = p as unknown as Record<string, unknown>;
  const facts: [string, string][] = [];
  for (const [attribute, a] of Object.entries(postureAttributes)) {
    if (a.kind !== p.kind || !a.spec) continue;
    const value = record[a.spec.field];
    if (a.spec.shape === 'within') facts.push([a.spec.label, typeof value === 'number' ? `${fromNow(value, now)} (${clockTime(value)})` : 'not reported']);
    else if (a.spec.shape === 'boolean') facts.push([a.spec.label, typeof value === 'boolean' ? yesNo(value) : 'not reported']);
    else if (a.spec.shape === 'keyed') {
      const map = (value ?? {}) as Record<string, unknown>;
      const entries = Object.entries(map);
      facts.push([a.spec.label, entries.length ? entries.map(([k, v]) => `${k} = ${String(v)}`).join(', ') : 'none reported']);
    } else
      facts.push([
        a.spec.label,
        value === null || value === undefined || value === ''
          ? typeof record.noScore === 'string' && attribute === 'score'
            ? `none (${record.noScore})`
            : 'not reported'
          : String(value),
      ]);
  }
  return facts;
}
