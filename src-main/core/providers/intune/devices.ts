// Graph's managedDevices list: the fields posture needs ($select), every page by following @odata.nextLink as
// given, each device read on its own so one bad record never fails a poll.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import { envelopeBody, idField, plausibleCount, readRecordsSliced, type UnreadableRecord } from '../records';
import type { IntuneSession } from './session';

export const MANAGED_DEVICES_PATH = '/v1.0/deviceManagement/managedDevices';

/** What posture reads, and what matches a device across sources. */
export const MANAGED_DEVICE_SELECT = [
  'id',
  'deviceName',
  'serialNumber',
  'operatingSystem',
  'osVersion',
  'complianceState',
  'isEncrypted',
  'isSupervised',
  'azureADRegistered',
  'deviceRegistrationState',
  'managedDeviceOwnerType',
  'jailBroken',
  'lastSyncDateTime',
  'wiFiMacAddress',
  'userPrincipalName',
  'managementState',
] as const;

const text = z.string().nullish();
const flag = z.boolean().nullish();

/** A managed device as the poll reads it; enumerations are kept as strings (Graph adds members). */
export const ManagedDevice = z.looseObject({
  id: z.string().min(1),
  deviceName: text,
  serialNumber: text,
  operatingSystem: text,
  osVersion: text,
  complianceState: text,
  isEncrypted: flag,
  isSupervised: flag,
  azureADRegistered: flag,
  deviceRegistrationState: text,
  managedDeviceOwnerType: text,
  jailBroken: text,
  lastSyncDateTime: text,
  wiFiMacAddress: text,
  userPrincipalName: text,
  managementState: text,
});
export type ManagedDevice = z.infer<typeof ManagedDevice>;

const GRAPH_ANSWER = {
  provider: 'Microsoft Graph',
  envelope: '{value, @odata.nextLink}',
  keys: ['value', '@odata.context', '@odata.nextLink', '@odata.count'],
  fix: 'Something other than Microsoft Graph is answering: check the cloud (or the custom Graph URL) and that no proxy or sign-on page intercepts it.',
};

const stringOrNull = (raw: unknown, field: string): string | null => {
  const value = (raw as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
};

/** What can still place an unreadable device: its id, name and serial (its checks are unknown). */
function salvage(raw: unknown, id: string): ManagedDevice {
  return {
    id,
    deviceName: stringOrNull(raw, 'deviceName'),
    serialNumber: stringOrNull(raw, 'serialNumber'),
    operatingSystem: stringOrNull(raw, 'operatingSystem'),
  };
}

export interface ManagedDevicePage {
  devices: ManagedDevice[];
  unreadable: UnreadableRecord[];
  /** `@odata.count` of the first page (asked for with $count=true). */
  count: number | undefined;
}

/** Every page of the device list; `top` shrinks pages (Graph caps them at 1000). */
export async function* pageManagedDevices(session: IntuneSession, options: { signal?: AbortSignal; top?: number } = {}): AsyncGenerator<ManagedDevicePage> {
  const first = new URL(`${session.graphOrigin}${MANAGED_DEVICES_PATH}`);
  first.searchParams.set('$select', MANAGED_DEVICE_SELECT.join(','));
  first.searchParams.set('$count', 'true');
  if (options.top) first.searchParams.set('$top', String(options.top));
  let next: string | undefined = first.toString();
  const seen = new Set<string>();
  while (next) {
    // A link that comes back again would loop for ever.
    if (seen.has(next))
      throw new ProviderError({
        code: 'intune.paging_loop',
        message: 'Graph sent the same next-page link twice; the device list was not read to the end.',
        fix: 'Usually transient; the next poll tries again.',
      });
    seen.add(next);
    const res = await session.get(next, 'list managed devices', options.signal);
    // Graph's spec makes every key of a collection optional: any JSON object is its answer (no `value`: an empty
    // page, whose shortfall the count check catches); HTML, arrays and empty bodies are refused as not Graph.
    const object = res.body !== null && typeof res.body === 'object' && !Array.isArray(res.body);
    const body = object ? (res.body as Record<string, unknown>) : (envelopeBody(res, GRAPH_ANSWER) ?? {});
    const items = Array.isArray(body.value) ? body.value : [];
    // One device a step: a page of 1,000 is too much validation for one turn of the event loop.
    const read = await readRecordsSliced(items, ManagedDevice, { label: 'Intune sent an unreadable managed-device record', idOf: idField('id'), salvage });
    yield { devices: read.records, unreadable: read.unreadable, count: plausibleCount(body['@odata.count']) };
    const link = body['@odata.nextLink'];
    next = typeof link === 'string' && link !== '' ? link : undefined;
  }
}
