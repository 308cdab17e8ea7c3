// The Intune poll's sink: pages become observations as they are read, and nothing of the raw records stays.
import { describe, expect, it } from 'vitest';
import type { ManagedDevice, ManagedDevicePage } from './devices';
import { intuneObservationBuilder, observeIntune, type IntunePollClient } from './observe';

const device = (id: string, complianceState = 'compliant'): ManagedDevice => ({
  id,
  deviceName: `host-${id}`,
  serialNumber: `SN-${id}`,
  operatingSystem: 'Windows',
  complianceState,
  isEncrypted: true,
});

describe('Intune observation sink', () => {
  it('turns each page into observations when it is read: the last copy of a device wins and unreadable ones are noted', () => {
    const builder = intuneObservationBuilder('intune-1');
    const first = [device('a'), device('b')];
    builder.page({ devices: first, unreadable: [] });
    expect(builder.size).toBe(2);
    // The raw records are not referenced afterwards: changing them changes no observation.
    first[0]!.complianceState = 'noncompliant';
    first[0]!.deviceName = 'renamed';
    builder.page({ devices: [device('b', 'noncompliant'), device('c')], unreadable: [{ id: 'c', reason: 'isEncrypted is not a boolean' }] });
    const { observations, unreadable } = builder.finish();
    expect(observations.map((o) => [o.recordId, o.hostname, o.posture.kind === 'intune' && o.posture.complianceState])).toEqual([
      ['a', 'host-a', 'compliant'],
      ['b', 'host-b', 'noncompliant'],
      ['c', 'host-c', 'compliant'],
    ]);
    expect(observations[2]!.posture).toMatchObject({ unreadable: [{ record: 'managed_device', reason: 'isEncrypted is not a boolean' }] });
    expect(unreadable).toHaveLength(1);
    expect(builder.size).toBe(0);
  });

  it('converts a page before the next is asked for', async () => {
    const asked: string[] = [];
    let progress: number[] = [];
    const pages: ManagedDevicePage[] = [
      { devices: [device('1'), device('2')], unreadable: [], count: 4 },
      { devices: [device('3'), device('4')], unreadable: [], count: undefined },
    ];
    const client: IntunePollClient = {
      devices: {
        async *pages() {
          for (const [i, page] of pages.entries()) {
            asked.push(`page ${i} after ${progress.at(-1) ?? 0} observed`);
            yield page;
          }
        },
      },
    };
    const out = await observeIntune(client, { providerId: 'intune-1', onProgress: (p) => (progress = [...progress, p.done]) });
    expect(asked).toEqual(['page 0 after 0 observed', 'page 1 after 2 observed']);
    expect(progress).toEqual([2, 4]);
    expect(out.observations.map((o) => o.recordId)).toEqual(['1', '2', '3', '4']);
  });
});
