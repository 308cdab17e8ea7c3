// The lookup tables (providers, checks, devices, series, strings) behind the integer ids in runs, with
// in-memory caches so a 200k-row poll resolves most ids without touching SQLite.
import type { Connection } from './connection';

type Device = { id: number; name: string; serial: string | null; platform: string | null };
type DeviceInput = { deviceKey: string; deviceName: string; serial: string | null; platform: string | null };

/** Distinct expected/received/reason texts are few; the cap only guards against an evaluator that embeds times. */
const STRING_CACHE_LIMIT = 100_000;

export type Lookups = ReturnType<typeof createLookups>;

export function createLookups({ statement }: Connection) {
  const providers = new Map<string, number>();
  const checks = new Map<string, { id: number; name: string }>();
  const devices = new Map<string, Device>();
  const series = new Map<string, number>();
  const strings = new Map<string, number>();

  const idOf = (sql: string, ...params: (string | number)[]) =>
    (statement(sql).get(...params) as { id: number } | undefined)?.id;
  const insert = (sql: string, ...params: (string | number | null)[]) =>
    Number(statement(sql).run(...params).lastInsertRowid);

  return {
    provider(key: string): number {
      let id = providers.get(key) ?? idOf('SELECT id FROM providers WHERE key = ?', key);
      id ??= insert('INSERT INTO providers (key) VALUES (?)', key);
      providers.set(key, id);
      return id;
    },

    check(providerId: number, key: string, name: string): number {
      const cacheKey = `${providerId}\u0000${key}`;
      let check = checks.get(cacheKey);
      if (!check) {
        const row = statement('SELECT id, name FROM checks WHERE provider_id = ? AND key = ?').get(providerId, key) as
          | { id: number; name: string }
          | undefined;
        check = row ?? { id: insert('INSERT INTO checks (provider_id, key, name) VALUES (?, ?, ?)', providerId, key, name), name };
        checks.set(cacheKey, check);
      }
      if (check.name !== name) {
        statement('UPDATE checks SET name = ? WHERE id = ?').run(name, check.id);
        check.name = name;
      }
      return check.id;
    },

    device(input: DeviceInput): number {
      let device = devices.get(input.deviceKey);
      if (!device) {
        const row = statement('SELECT id, name, serial, platform FROM devices WHERE key = ?').get(input.deviceKey) as
          | Device
          | undefined;
        device = row ?? {
          id: insert(
            'INSERT INTO devices (key, name, serial, platform, search) VALUES (?, ?, ?, ?, ?)',
            input.deviceKey,
            input.deviceName,
            input.serial,
            input.platform,
            searchText(input.deviceName, input.serial),
          ),
          name: input.deviceName,
          serial: input.serial,
          platform: input.platform,
        };
        devices.set(input.deviceKey, device);
      }
      if (device.name !== input.deviceName || device.serial !== input.serial || device.platform !== input.platform) {
        statement('UPDATE devices SET name = ?, serial = ?, platform = ?, search = ? WHERE id = ?').run(
          input.deviceName,
          input.serial,
          input.platform,
          searchText(input.deviceName, input.serial),
          device.id,
        );
        Object.assign(device, { name: input.deviceName, serial: input.serial, platform: input.platform });
      }
      return device.id;
    },

    series(providerId: number, checkId: number, deviceId: number): number {
      const cacheKey = `${deviceId}:${checkId}`;
      let id = series.get(cacheKey) ?? idOf('SELECT id FROM series WHERE device_id = ? AND check_id = ?', deviceId, checkId);
      id ??= insert('INSERT INTO series (provider_id, check_id, device_id) VALUES (?, ?, ?)', providerId, checkId, deviceId);
      series.set(cacheKey, id);
      return id;
    },

    text(value: string | null): number | null {
      if (value === null) return null;
      let id = strings.get(value) ?? idOf('SELECT id FROM strings WHERE value = ?', value);
      id ??= insert('INSERT INTO strings (value) VALUES (?)', value);
      if (strings.size >= STRING_CACHE_LIMIT) strings.clear();
      strings.set(value, id);
      return id;
    },

    /** After a rollback the caches may name rows that no longer exist. */
    forget(): void {
      for (const cache of [providers, checks, devices, series, strings]) cache.clear();
    },
  };
}

/** What the text filter searches: name and serial, lower-cased by JavaScript so non-ASCII folds too. */
export function searchText(name: string, serial: string | null): string {
  return `${name}\n${serial ?? ''}`.toLowerCase();
}
