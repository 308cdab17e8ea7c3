// Users from devices: every standing provider record's last logged-in user, reconciled to one identity per person
// (see identity.ts), with the devices each user is tied to. Built once per inventory match.
import type { DeviceObservation, PostureDevice } from '../../../src-shared/schemas/posture';
import type { UserDevice } from '../../../src-shared/schemas/users';
import type { Match } from '../posture/match';
import { runSliced, runToEnd, type TimeSlicer } from '../time-slice';
import { displayNameOf, identityResolverSteps, type IdentityResolver } from './identity';

export interface DirectoryUser {
  id: string;
  displayName: string;
  aliases: string[];
  /** Keyed by device key. */
  devices: Map<string, UserDevice>;
}

export interface UserDirectory {
  readonly users: ReadonlyMap<string, DirectoryUser>;
  readonly resolver: IdentityResolver;
  /** Users tied to a device of the current inventory (none for an unknown key). */
  usersOf(deviceKey: string): readonly string[];
  /** The inventory device of a Falcon host id (an alert's `device.device_id`), through any ZTA provider. */
  deviceOfFalconHost(deviceId: string): PostureDevice | undefined;
}

/** Records that speak for their device now: superseded reinstall leftovers and decommissioned agents do not. */
export function standingRecords(device: PostureDevice): DeviceObservation[] {
  return device.records.flatMap((r) => (r.role === 'superseded' || r.observation.retired ? [] : [r.observation]));
}

export function buildDirectory(match: Match): UserDirectory {
  return runToEnd(directorySteps(match));
}

/** The same directory, built in slices that leave the event loop free (after a poll of a large fleet). */
export function buildDirectorySliced(match: Match, slicer?: TimeSlicer): Promise<UserDirectory> {
  return runSliced(directorySteps(match), slicer);
}

function* directorySteps(match: Match): Generator<void, UserDirectory> {
  const names: string[] = [];
  for (const device of match.devices) {
    for (const obs of standingRecords(device)) if (obs.user) names.push(obs.user);
    yield;
  }
  const resolver = yield* identityResolverSteps(names);

  const users = new Map<string, DirectoryUser>();
  const byDevice = new Map<string, string[]>();
  for (const device of match.devices) {
    yield;
    for (const obs of standingRecords(device)) {
      const id = resolver.resolve(obs.user);
      if (id === null || !obs.user) continue;
      let user = users.get(id);
      if (!user) users.set(id, (user = { id, displayName: '', aliases: [], devices: new Map() }));
      if (!user.aliases.includes(obs.user)) user.aliases.push(obs.user);
      let tied = user.devices.get(device.key);
      if (!tied) {
        user.devices.set(
          device.key,
          (tied = { deviceKey: device.key, hostname: device.hostname, serial: device.serial, platform: device.platform, sources: [] }),
        );
        const list = byDevice.get(device.key);
        if (list) list.push(id);
        else byDevice.set(device.key, [id]);
      }
      tied.sources.push({ providerId: obs.providerId, recordId: obs.recordId, reportedAs: obs.user });
    }
  }
  for (const user of users.values()) {
    user.displayName = displayNameOf(user.aliases);
    yield;
  }

  const falconProviders = match.snapshots.filter((s) => s.kind === 'crowdstrike-zta').map((s) => s.providerId);
  return {
    users,
    resolver,
    usersOf: (deviceKey) => byDevice.get(deviceKey) ?? [],
    deviceOfFalconHost(deviceId) {
      for (const providerId of falconProviders) {
        const device = match.deviceOf(providerId, deviceId);
        if (device) return device;
      }
      return undefined;
    },
  };
}
