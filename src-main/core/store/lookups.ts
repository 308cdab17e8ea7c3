// The lookup tables (providers, checks, devices, series, strings) behind the integer ids in runs, mirrored in
// memory together with each series' newest run, so ingest decides "extend or open" without asking SQLite.
// The mirror is loaded per provider in one query; only this connection writes these tables. Strings kept
// here may come from a packed poll, so they are detached from it.
import type { PostureEvaluation, PostureResult } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import { detach } from './packed-poll';
import { resultName } from './rows';

/** `key` is shared by the device's series (their entries in `check.series`). */
export type Device = { id: number; key: string; name: string; serialKey: string | null; platform: string | null };

/** A series and its newest run as ingest compares against it; `run` 0 when it has none (retention took it). */
export type Series = {
  id: number;
  /** The device key and check this series belongs to (the key is also its entry in `check.series`). */
  key: string;
  check: Check;
  device: Device;
  /** The serial as the provider reported it for this device (a series is one provider's record of it). */
  serial: string | null;
  run: number;
  result: PostureResult | null;
  expected: string | null;
  received: string | null;
  reason: string | null;
  /** The poll (row id) the newest run was last evaluated at. */
  lastPoll: number;
  /** The poll being written that already evaluated this series, to refuse a second evaluation in it. */
  seenIn: number;
  /** Where this series came in the provider's last packed poll (`Provider.order`). */
  position: number;
};

export type Check = { id: number; key: string; name: string; series: Map<string, Series> };
/** `checkList` holds the same checks as `checks`: a provider has a few, and scanning them beats hashing a key. */
/**
 * `checkList` holds the same checks as `checks`: a provider has a few, and scanning them beats hashing a key.
 * `order` is the series of its last packed poll in row order: the next poll usually lists them the same way.
 */
export type Provider = { id: number; key: string; checks: Map<string, Check>; checkList: Check[]; order: Series[] };

type LoadedSeries = {
  id: number;
  check_id: number;
  device_id: number;
  device_key: string;
  name: string;
  serial: string | null;
  serial_key: string | null;
  platform: string | null;
  run_id: number | null;
  result: number | null;
  last_poll: number | null;
  expected: string | null;
  received: string | null;
  reason: string | null;
};

/** Distinct expected/received/reason texts are few; the cap only guards against an evaluator that embeds times. */
const STRING_CACHE_LIMIT = 100_000;
/** Texts shared by the mirror's series (expected/received/reason repeat across a fleet); same guard. */
const INTERN_LIMIT = 100_000;

export type Lookups = ReturnType<typeof createLookups>;

export function createLookups({ statement }: Connection) {
  const providers = new Map<string, Provider>();
  const devices = new Map<string, Device>();
  const strings = new Map<string, number>();
  const interned = new Map<string, string>();
  /** One copy of a text for every series that holds it (a detached one: it may come from a packed poll). */
  const intern = (value: string | null): string | null => {
    if (value === null) return null;
    let kept = interned.get(value);
    if (kept === undefined) {
      if (interned.size >= INTERN_LIMIT) interned.clear();
      kept = detach(value);
      interned.set(kept, kept);
    }
    return kept;
  };
  /** A series' serial: the device's match key when it is the same text (the usual case), else its own copy. */
  const serialOf = (dev: Device, serial: string | null) => (serial !== null && serial === dev.serialKey ? dev.serialKey : detach(serial));

  const idOf = (sql: string, ...params: (string | number)[]) => (statement(sql).get(...params) as { id: number } | undefined)?.id;
  const insert = (sql: string, ...params: (string | number | null)[]) => Number(statement(sql).run(...params).lastInsertRowid);

  function load(key: string): Provider {
    const id = idOf('SELECT id FROM providers WHERE key = ?', key) ?? insert('INSERT INTO providers (key) VALUES (?)', key);
    const provider: Provider = { id, key, checks: new Map(), checkList: [], order: [] };
    const checksById = new Map<number, Check>();
    for (const c of statement('SELECT id, key, name FROM checks WHERE provider_id = ?').all(id) as {
      id: number;
      key: string;
      name: string;
    }[]) {
      const check: Check = { ...c, series: new Map() };
      provider.checks.set(c.key, check);
      provider.checkList.push(check);
      checksById.set(c.id, check);
    }
    const rows = statement(
      `SELECT s.id, s.check_id, s.serial, d.id AS device_id, d.key AS device_key, d.name, d.serial_key, d.platform,
         r.id AS run_id, r.result, r.last_poll, xe.value AS expected, xr.value AS received, xn.value AS reason
       FROM series s INDEXED BY series_provider
         CROSS JOIN devices d ON d.id = s.device_id
         LEFT JOIN runs r INDEXED BY runs_latest ON r.series_id = s.id AND r.latest = 1
         LEFT JOIN strings xe ON xe.id = r.expected
         LEFT JOIN strings xr ON xr.id = r.received
         LEFT JOIN strings xn ON xn.id = r.reason
       WHERE s.provider_id = ?`,
    ).all(id) as LoadedSeries[];
    for (const row of rows) {
      let device = devices.get(row.device_key);
      if (!device) {
        device = { id: row.device_id, key: row.device_key, name: row.name, serialKey: row.serial_key, platform: intern(row.platform) };
        devices.set(row.device_key, device);
      }
      const check = checksById.get(row.check_id);
      if (!check) continue;
      check.series.set(device.key, {
        id: row.id,
        key: device.key,
        check,
        device,
        serial: serialOf(device, row.serial),
        run: row.run_id ?? 0,
        result: row.result === null ? null : resultName(row.result),
        expected: intern(row.expected),
        received: intern(row.received),
        reason: intern(row.reason),
        lastPoll: row.last_poll ?? 0,
        seenIn: 0,
        position: -1,
      });
    }
    providers.set(key, provider);
    return provider;
  }

  function device(row: PostureEvaluation): Device {
    let found = devices.get(row.deviceKey);
    if (!found) {
      const stored = statement('SELECT id, key, name, serial_key AS serialKey, platform FROM devices WHERE key = ?').get(row.deviceKey) as Device | undefined;
      found = stored ?? {
        id: insert(
          'INSERT INTO devices (key, name, serial_key, platform, search) VALUES (?, ?, ?, ?, ?)',
          row.deviceKey,
          row.deviceName,
          row.serialKey,
          row.platform,
          searchText(row.deviceName, row.serialKey),
        ),
        key: detach(row.deviceKey),
        name: detach(row.deviceName),
        serialKey: detach(row.serialKey),
        platform: intern(row.platform),
      };
      devices.set(found.key, found);
    }
    return found;
  }

  return {
    /** The provider with its checks and series mirrored; loads them on first use. */
    provider: (key: string): Provider => providers.get(key) ?? load(key),

    check(provider: Provider, key: string, name: string): Check {
      let check = provider.checks.get(key);
      if (!check) {
        check = {
          id: insert('INSERT INTO checks (provider_id, key, name) VALUES (?, ?, ?)', provider.id, key, name),
          key: detach(key),
          name: detach(name),
          series: new Map(),
        };
        provider.checks.set(check.key, check);
        provider.checkList.push(check);
      } else if (check.name !== name) {
        statement('UPDATE checks SET name = ? WHERE id = ?').run(name, check.id);
        check.name = detach(name);
      }
      return check;
    },

    /** A series the provider's mirror does not hold yet: it is new. */
    addSeries(provider: Provider, check: Check, row: PostureEvaluation): Series {
      const dev = device(row);
      const series: Series = {
        id: insert('INSERT INTO series (provider_id, check_id, device_id, serial) VALUES (?, ?, ?, ?)', provider.id, check.id, dev.id, row.serial),
        key: dev.key,
        check,
        device: dev,
        serial: serialOf(dev, row.serial),
        run: 0,
        result: null,
        expected: null,
        received: null,
        reason: null,
        lastPoll: 0,
        seenIn: 0,
        position: -1,
      };
      check.series.set(series.key, series);
      return series;
    },

    /** Stores the device's latest name, match key and platform. */
    updateDevice(dev: Device, row: PostureEvaluation): void {
      statement('UPDATE devices SET name = ?, serial_key = ?, platform = ?, search = ? WHERE id = ?').run(
        row.deviceName,
        row.serialKey,
        row.platform,
        searchText(row.deviceName, row.serialKey),
        dev.id,
      );
      dev.name = detach(row.deviceName);
      dev.serialKey = detach(row.serialKey);
      dev.platform = intern(row.platform);
    },

    /** Stores the serial as the provider now reports it for this series. */
    updateSerial(series: Series, serial: string | null): void {
      statement('UPDATE series SET serial = ? WHERE id = ?').run(serial, series.id);
      series.serial = serialOf(series.device, serial);
    },

    /** One shared copy of a text the mirror keeps (expected, received, reason). */
    intern,

    text(value: string | null): number | null {
      if (value === null) return null;
      let id = strings.get(value) ?? idOf('SELECT id FROM strings WHERE value = ?', value);
      id ??= insert('INSERT INTO strings (value) VALUES (?)', value);
      if (strings.size >= STRING_CACHE_LIMIT) strings.clear();
      strings.set(detach(value), id);
      return id;
    },

    /** After a rollback, or once retention deleted a newest run, the mirror may name rows that no longer exist. */
    forget(): void {
      providers.clear();
      devices.clear();
      strings.clear();
      interned.clear();
    },
  };
}

/** What the text filter searches: name and match key, lower-cased by JavaScript so non-ASCII folds too. */
export function searchText(name: string, serialKey: string | null): string {
  return `${name}\n${serialKey ?? ''}`.toLowerCase();
}
