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
  /** The inventory's own device objects, in inventory order (the screen's `UserDevice`s are made by `devicesOf`). */
  devices: PostureDevice[];
}

export interface UserDirectory {
  readonly users: ReadonlyMap<string, DirectoryUser>;
  readonly resolver: IdentityResolver;
  /** Users tied to a device of the current inventory (none for an unknown key). */
  usersOf(deviceKey: string): readonly string[];
  /** The inventory device of a Falcon host id (an alert's `device.device_id`), through any ZTA provider. */
  deviceOfFalconHost(deviceId: string): PostureDevice | undefined;
  /** A user's devices as the Users screen shows them, with the records that name the user on each. */
  devicesOf(user: DirectoryUser): UserDevice[];
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

  // Compact: a user holds the inventory's device objects and a device its users' ids (one id as itself, the usual
  // case); the records behind each tie are looked up again when a user's devices are shown. At 100k devices a
  // user-device object with its sources per tie cost tens of MB, held for as long as the inventory.
  const users = new Map<string, DirectoryUser>();
  const byDevice = new Map<string, string | string[]>();
  for (const device of match.devices) {
    yield;
    for (const obs of standingRecords(device)) {
      const id = resolver.resolve(obs.user);
      if (id === null || !obs.user) continue;
      let user = users.get(id);
      if (!user) users.set(id, (user = { id, displayName: '', aliases: [], devices: [] }));
      if (!user.aliases.includes(obs.user)) user.aliases.push(obs.user);
      if (user.devices[user.devices.length - 1] !== device) {
        user.devices.push(device);
        const tied = byDevice.get(device.key);
        byDevice.set(device.key, tied === undefined ? id : typeof tied === 'string' ? [tied, id] : [...tied, id]);
      }
    }
  }
  for (const user of users.values()) {
    user.displayName = displayNameOf(user.aliases);
    // Exact-size copies: an array grown by push keeps room for 17 entries, and most users have one or two.
    user.aliases = user.aliases.slice();
    user.devices = user.devices.slice();
    yield;
  }

  const falconProviders = match.snapshots.filter((s) => s.kind === 'crowdstrike-zta').map((s) => s.providerId);
  return {
    users,
    resolver,
    usersOf(deviceKey) {
      const tied = byDevice.get(deviceKey);
      return tied === undefined ? [] : typeof tied === 'string' ? [tied] : tied;
    },
    devicesOf: (user) =>
      user.devices.map((device) => ({
        deviceKey: device.key,
        hostname: device.hostname,
        serial: device.serial,
        platform: device.platform,
        sources: standingRecords(device).flatMap((obs) =>
          obs.user && resolver.resolve(obs.user) === user.id ? [{ providerId: obs.providerId, recordId: obs.recordId, reportedAs: obs.user }] : [],
        ),
      })),
    deviceOfFalconHost(deviceId) {
      for (const providerId of falconProviders) {
        const device = match.deviceOf(providerId, deviceId);
        if (device) return device;
      }
      return undefined;
    },
  };
}
