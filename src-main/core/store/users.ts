// User risk's tables (migration 3) over the store's connection: occurrences recorded against the ongoing ones,
// activity per user for the current levels, a user's history, resets and the behavior settings. Each write is one
// transaction. Also reads how long devices have been failing a check, from the posture log's runs.
import type { SQLInputValue } from 'node:sqlite';
import type { BehaviorId, RiskBehaviors, RiskEvidence, RiskLevel } from '../../../src-shared/schemas/users';
import type { Connection } from './connection';
import { resultCode } from './rows';

/** One observation of a risk behavior for one user, as the evaluation produces it. */
export type RiskOccurrence = {
  userId: string;
  /** Recorded with the user's first event, so a user stays named after their devices leave the inventory. */
  displayName: string;
  aliases: string[];
  behavior: BehaviorId;
  /** The provider, integration or check the occurrence comes from. */
  source: string;
  /** What it is about within the behavior: the agent, the alert, the device and check. */
  subject: string;
  level: RiskLevel;
  deviceKey: string | null;
  deviceName: string | null;
  signal: string;
  evidence: RiskEvidence;
  occurredAt: number;
  /** A lasting condition (threat, failing check) rather than a point in time (an alert). */
  ongoing: boolean;
};

/**
 * A lasting behavior's sources in this evaluation: ongoing events from an `observed` source that were not observed
 * again have ended; so have those whose source is no longer `alive` (provider removed, another check chosen).
 */
export type OccurrenceScope = { behavior: BehaviorId; observed: string[]; alive: string[] };

/**
 * A bare name that now resolves to a domain identity (`alice` → `corp\alice`, once a provider reports the domain form):
 * its history, resets and ongoing events become the identity's.
 */
export type UserMerge = { from: string; to: string; displayName: string; aliases: string[] };

export type RecordInput = { now: number; merges: UserMerge[]; occurrences: RiskOccurrence[]; scopes: OccurrenceScope[] };
export type RecordResult = { raised: number; cleared: number; merged: number };

export type StoredUser = { userId: string; displayName: string; aliases: string[]; resetAt: number | null };

export type StoredEvent = {
  id: string;
  userId: string;
  behavior: BehaviorId;
  level: RiskLevel;
  deviceKey: string | null;
  deviceName: string | null;
  signal: string;
  evidence: RiskEvidence;
  occurredAt: number;
  ongoing: boolean;
  endedAt: number | null;
};

export type StoredReset = { userId: string; at: number; actor: string; reason: string };

/** Events that may count: still ongoing or last observed at or after `cutoff`, and begun after the user's reset. */
export type ActivityRow = { userId: string; behavior: BehaviorId; events: number; lastOccurredAt: number };

export type FailingDevice = {
  deviceKey: string;
  deviceName: string;
  checkName: string;
  /** Start of the unbroken stretch of failing runs that ends with the device's current result. */
  since: number;
  expected: string | null;
  received: string | null;
};

type Row = Record<string, unknown>;

const FAIL = resultCode('fail');
const BEHAVIORS_KEY = 'behaviors';

const keyOf = (behavior: string, subject: string, userId: string) => `${behavior}\u0000${subject}\u0000${userId}`;
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

function storedUser(row: Row): StoredUser {
  return {
    userId: String(row.user_id),
    displayName: String(row.display_name),
    aliases: JSON.parse(String(row.aliases)) as string[],
    resetAt: numberOrNull(row.reset_at),
  };
}

function storedEvent(row: Row): StoredEvent {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    behavior: String(row.behavior) as BehaviorId,
    level: String(row.level) as RiskLevel,
    deviceKey: textOrNull(row.device_key),
    deviceName: textOrNull(row.device_name),
    signal: String(row.signal),
    evidence: JSON.parse(String(row.evidence)) as RiskEvidence,
    occurredAt: Number(row.occurred_at),
    ongoing: Number(row.ongoing) === 1,
    endedAt: numberOrNull(row.ended_at),
  };
}

export function createUserOperations(conn: Connection) {
  const run = (sql: string, ...params: SQLInputValue[]) => conn.statement(sql).run(...params);
  const one = (sql: string, ...params: SQLInputValue[]) => conn.statement(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: SQLInputValue[]) => conn.statement(sql).all(...params) as Row[];

  const nameUser = (userId: string, displayName: string, aliases: readonly string[]) =>
    run(
      `INSERT INTO user_risk_users (user_id, display_name, aliases, reset_at) VALUES (?, ?, ?, NULL)
       ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, aliases = excluded.aliases`,
      userId,
      displayName,
      JSON.stringify(aliases),
    );

  return {
    /**
     * Merges first (so a merged user's ongoing events are recognised), then new occurrences become events; a lasting
     * one already ongoing is left as is; lasting ones no longer seen end.
     */
    record({ now, merges, occurrences, scopes }: RecordInput): RecordResult {
      return conn.write(() => {
        for (const m of merges) {
          const resetOf = (userId: string) => numberOrNull(one('SELECT reset_at FROM user_risk_users WHERE user_id = ?', userId)?.reset_at);
          const resets = [resetOf(m.from), resetOf(m.to)].filter((r): r is number => r !== null);
          nameUser(m.to, m.displayName, m.aliases);
          // The latest reset of either name stands for the person.
          run('UPDATE user_risk_users SET reset_at = ? WHERE user_id = ?', resets.length ? Math.max(...resets) : null, m.to);
          // An occurrence recorded under both names is kept once.
          run('UPDATE OR IGNORE user_risk_events SET user_id = ? WHERE user_id = ?', m.to, m.from);
          run('DELETE FROM user_risk_events WHERE user_id = ?', m.from);
          run('UPDATE user_risk_resets SET user_id = ? WHERE user_id = ?', m.to, m.from);
          run('DELETE FROM user_risk_users WHERE user_id = ?', m.from);
        }

        const lasting = new Set(scopes.map((s) => s.behavior));
        const ongoing = new Map<string, { id: number; behavior: string; source: string }>();
        for (const behavior of lasting)
          for (const row of all('SELECT id, behavior, source, subject, user_id FROM user_risk_events WHERE ongoing = 1 AND behavior = ?', behavior))
            ongoing.set(keyOf(String(row.behavior), String(row.subject), String(row.user_id)), {
              id: Number(row.id),
              behavior: String(row.behavior),
              source: String(row.source),
            });

        const named = new Set<string>();
        const seen = new Set<string>();
        let raised = 0;
        for (const o of occurrences) {
          const key = keyOf(o.behavior, o.subject, o.userId);
          if (o.ongoing && ongoing.has(key)) {
            seen.add(key);
            continue;
          }
          // A lasting occurrence seen before and ended (its provider was away) resumes; a point one is recorded once.
          const inserted = run(
            `INSERT INTO user_risk_events (user_id, behavior, source, subject, level, device_key, device_name, signal, evidence, occurred_at, ongoing, ended_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (behavior, subject, user_id, occurred_at) DO ${o.ongoing ? 'UPDATE SET ongoing = 1, ended_at = NULL' : 'NOTHING'}`,
            o.userId,
            o.behavior,
            o.source,
            o.subject,
            o.level,
            o.deviceKey,
            o.deviceName,
            o.signal,
            JSON.stringify(o.evidence),
            o.occurredAt,
            o.ongoing ? 1 : 0,
            o.ongoing ? null : o.occurredAt,
          );
          if (Number(inserted.changes) === 0) continue;
          raised++;
          if (o.ongoing) seen.add(key);
          if (!named.has(o.userId)) {
            named.add(o.userId);
            nameUser(o.userId, o.displayName, o.aliases);
          }
        }

        let cleared = 0;
        const scopeOf = new Map(scopes.map((s) => [s.behavior, s]));
        for (const [key, event] of ongoing) {
          if (seen.has(key)) continue;
          const scope = scopeOf.get(event.behavior as BehaviorId);
          if (!scope || (!scope.observed.includes(event.source) && scope.alive.includes(event.source))) continue;
          run('UPDATE user_risk_events SET ongoing = 0, ended_at = ? WHERE id = ?', now, event.id);
          cleared++;
        }
        return { raised, cleared, merged: merges.length };
      });
    },

    activity({ cutoff }: { cutoff: number }): ActivityRow[] {
      return all(
        `SELECT e.user_id, e.behavior, count(*) AS events, max(e.occurred_at) AS last
         FROM user_risk_events e JOIN user_risk_users u ON u.user_id = e.user_id
         WHERE (e.ongoing = 1 OR e.ended_at >= ?) AND e.occurred_at > coalesce(u.reset_at, -1)
         GROUP BY e.user_id, e.behavior`,
        cutoff,
      ).map((row) => ({
        userId: String(row.user_id),
        behavior: String(row.behavior) as BehaviorId,
        events: Number(row.events),
        lastOccurredAt: Number(row.last),
      }));
    },

    knownUsers(): StoredUser[] {
      return all('SELECT user_id, display_name, aliases, reset_at FROM user_risk_users').map(storedUser);
    },

    /** A user's events (newest first, at most `limit`) and resets. */
    history({ userId, limit }: { userId: string; limit: number }): { user: StoredUser | null; events: StoredEvent[]; resets: StoredReset[] } {
      const user = one('SELECT user_id, display_name, aliases, reset_at FROM user_risk_users WHERE user_id = ?', userId);
      return {
        user: user ? storedUser(user) : null,
        events: all('SELECT * FROM user_risk_events WHERE user_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?', userId, limit).map(storedEvent),
        resets: all('SELECT user_id, at, actor, reason FROM user_risk_resets WHERE user_id = ? ORDER BY at DESC, id DESC', userId).map((row) => ({
          userId: String(row.user_id),
          at: Number(row.at),
          actor: String(row.actor),
          reason: String(row.reason),
        })),
      };
    },

    reset({ userId, displayName, aliases, at, actor, reason }: StoredReset & { displayName: string; aliases: string[] }): void {
      conn.write(() => {
        nameUser(userId, displayName, aliases);
        run('UPDATE user_risk_users SET reset_at = ? WHERE user_id = ?', at, userId);
        run('INSERT INTO user_risk_resets (user_id, at, actor, reason) VALUES (?, ?, ?, ?)', userId, at, actor, reason);
      });
    },

    /** null until the admin saves behaviors: the defaults apply. */
    behaviors(): unknown {
      const row = one('SELECT value FROM user_risk_settings WHERE key = ?', BEHAVIORS_KEY);
      return row ? (JSON.parse(String(row.value)) as unknown) : null;
    },

    saveBehaviors(behaviors: RiskBehaviors): void {
      run(
        'INSERT INTO user_risk_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        BEHAVIORS_KEY,
        JSON.stringify(behaviors),
      );
    },

    /** Devices whose current result for the check is fail, as of the provider's last poll, with when failing began. */
    failingDevices({ providerId, checkId }: { providerId: string; checkId: string }): FailingDevice[] {
      return all(
        `SELECT d.key AS device_key, d.name AS device_name, c.name AS check_name, xe.value AS expected, xr.value AS received,
           (SELECT min(f.first_at) FROM runs f WHERE f.series_id = l.series_id AND f.first_at >
              coalesce((SELECT max(o.first_at) FROM runs o WHERE o.series_id = l.series_id AND o.result <> ?1), -1)) AS since
         FROM providers p
         CROSS JOIN checks c ON c.provider_id = p.id AND c.key = ?3
         CROSS JOIN series s ON s.check_id = c.id
         CROSS JOIN runs l ON l.series_id = s.id AND l.latest = 1 AND l.result = ?1
         CROSS JOIN devices d ON d.id = s.device_id
         LEFT JOIN strings xe ON xe.id = l.expected
         LEFT JOIN strings xr ON xr.id = l.received
         WHERE p.key = ?2 AND l.last_poll = (SELECT id FROM polls WHERE provider_id = p.id ORDER BY evaluated_at DESC LIMIT 1)`,
        FAIL,
        providerId,
        checkId,
      ).map((row) => ({
        deviceKey: String(row.device_key),
        deviceName: String(row.device_name),
        checkName: String(row.check_name),
        since: Number(row.since),
        expected: textOrNull(row.expected),
        received: textOrNull(row.received),
      }));
    },
  };
}

export type UserOperations = ReturnType<typeof createUserOperations>;
export type UserOperationName = keyof UserOperations;
