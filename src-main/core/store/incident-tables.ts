// The incident engine's primitives (`IncidentTx`) over the store's connection. The store runs each of the
// engine's operations in one write transaction, so a poll's outcomes, de-duplication set and cursor commit
// together or not at all. Queried columns are real columns; the rest of a record is JSON beside them.
import type { SQLInputValue } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import type { AlertLogEntry, AlertSummary, HostCi, Incident, IncidentIoc, PushedIoc, TimelineEntry } from '../../../src-shared/schemas/incidents';
import type { IncidentEngine, IncidentTx, PollState, StoredAlert } from './incident-tx';
import type { Connection } from './connection';

type Row = Record<string, unknown>;

const json = (value: unknown): string => JSON.stringify(value);
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;
const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** Lower-case haystack for the incident list's text filter. */
function searchText(i: Incident): string {
  return [i.number, i.title, i.hostname, i.rule.name, i.assignmentGroup, i.category].filter(Boolean).join('\n').toLowerCase();
}

const awaiting = (i: Incident): number => (i.enrichment.state === 'pending' || i.containment === 'auto_pending' ? 1 : 0);

/** LIKE with the user's text taken literally. */
const likePattern = (value: string): string => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function storedAlert(row: Row): StoredAlert {
  return {
    integrationId: String(row.integration_id),
    compositeId: String(row.composite_id),
    createdKey: String(row.created_key),
    receivedAt: String(row.received_at),
    summary: parse<AlertSummary>(row.summary),
    outcome: String(row.outcome) as StoredAlert['outcome'],
    ruleIndex: row.rule_index === null ? null : Number(row.rule_index),
    ruleId: text(row.rule_id),
    incidentNumber: text(row.incident_number),
    raw: parse<Record<string, unknown>>(row.raw),
  };
}

function incidentTx(db: Pick<Connection, 'statement'>): IncidentTx {
  const run = (sql: string, ...params: SQLInputValue[]) => db.statement(sql).run(...params);
  const one = (sql: string, ...params: SQLInputValue[]) => db.statement(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: SQLInputValue[]) => db.statement(sql).all(...params) as Row[];

  const INSERT_INCIDENT =
    'INSERT INTO incidents (seq, number, integration_id, state, priority, aggregate_id, search, awaiting, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const saveIncident = (i: Incident, insert: boolean) =>
    run(
      insert
        ? INSERT_INCIDENT
        : `${INSERT_INCIDENT} ON CONFLICT (seq) DO UPDATE SET integration_id = excluded.integration_id, state = excluded.state, priority = excluded.priority,
             aggregate_id = excluded.aggregate_id, search = excluded.search, awaiting = excluded.awaiting, doc = excluded.doc`,
      Number(i.number.slice(3)),
      i.number,
      i.integrationId,
      i.state,
      i.priority,
      i.aggregateId,
      searchText(i),
      awaiting(i),
      json(i),
    );

  return {
    pollState(integrationId) {
      const row = one('SELECT * FROM incident_poll_state WHERE integration_id = ?', integrationId);
      if (!row) return null;
      return {
        integrationId,
        cursor: text(row.cursor),
        alertsSeen: Number(row.alerts_seen),
        incidentsCreated: Number(row.incidents_created),
        lastPollAt: text(row.last_poll_at),
        lastSuccessAt: text(row.last_success_at),
      } satisfies PollState;
    },
    savePollState(s) {
      run(
        `INSERT INTO incident_poll_state (integration_id, cursor, alerts_seen, incidents_created, last_poll_at, last_success_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (integration_id) DO UPDATE SET cursor = excluded.cursor, alerts_seen = excluded.alerts_seen,
           incidents_created = excluded.incidents_created, last_poll_at = excluded.last_poll_at, last_success_at = excluded.last_success_at`,
        s.integrationId,
        s.cursor,
        s.alertsSeen,
        s.incidentsCreated,
        s.lastPollAt,
        s.lastSuccessAt,
      );
    },

    knownAlert(integrationId, compositeId) {
      const row =
        one('SELECT created_key FROM incident_seen_alerts WHERE integration_id = ? AND composite_id = ?', integrationId, compositeId) ??
        one('SELECT created_key FROM incident_alerts WHERE integration_id = ? AND composite_id = ?', integrationId, compositeId);
      return row ? String(row.created_key) : null;
    },
    rememberAlert(integrationId, compositeId, createdKey) {
      run('INSERT OR IGNORE INTO incident_seen_alerts (integration_id, composite_id, created_key) VALUES (?, ?, ?)', integrationId, compositeId, createdKey);
    },
    forgetAlertsBefore(integrationId, createdKey) {
      return Number(run('DELETE FROM incident_seen_alerts WHERE integration_id = ? AND created_key < ?', integrationId, createdKey).changes);
    },
    insertAlert(a) {
      run(
        `INSERT INTO incident_alerts (integration_id, composite_id, created_key, received_at, outcome, rule_index, rule_id, incident_number, summary, raw)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.integrationId,
        a.compositeId,
        a.createdKey,
        a.receivedAt,
        a.outcome,
        a.ruleIndex,
        a.ruleId,
        a.incidentNumber,
        json(a.summary),
        json(a.raw),
      );
    },
    alertLog(query) {
      const where = ['1 = 1'];
      const params: SQLInputValue[] = [];
      if (query.integrationId) {
        where.push('integration_id = ?');
        params.push(query.integrationId);
      }
      if (query.outcome) {
        where.push('outcome = ?');
        params.push(query.outcome);
      }
      const clause = where.join(' AND ');
      const total = Number(one(`SELECT count(*) AS n FROM incident_alerts WHERE ${clause}`, ...params)?.n ?? 0);
      const rows = all(
        `SELECT integration_id, composite_id, created_key, received_at, outcome, rule_index, rule_id, incident_number, summary, '{}' AS raw
         FROM incident_alerts WHERE ${clause} ORDER BY created_key DESC, composite_id DESC LIMIT ? OFFSET ?`,
        ...params,
        query.limit,
        query.offset,
      );
      const items = rows.map((row): AlertLogEntry => {
        const a = storedAlert(row);
        return {
          integrationId: a.integrationId,
          receivedAt: a.receivedAt,
          alert: a.summary,
          outcome: a.outcome,
          ruleIndex: a.ruleIndex,
          ruleId: a.ruleId,
          incidentNumber: a.incidentNumber,
        };
      });
      return { items, total };
    },
    alertsByIds(integrationId, compositeIds) {
      return compositeIds.flatMap((id) => {
        const row = one('SELECT * FROM incident_alerts WHERE integration_id = ? AND composite_id = ?', integrationId, id);
        return row ? [storedAlert(row)] : [];
      });
    },
    alertsInWindow(w) {
      const [afterKey = '', afterId = ''] = w.after?.split('\n') ?? [];
      return all(
        `SELECT * FROM incident_alerts
         WHERE created_key >= ? AND created_key < ? AND (? IS NULL OR integration_id = ?)
           AND (? = 0 OR (created_key, composite_id) > (?, ?))
         ORDER BY created_key, composite_id LIMIT ?`,
        w.fromKey,
        w.toKey,
        w.integrationId ?? null,
        w.integrationId ?? null,
        w.after === null ? 0 : 1,
        afterKey,
        afterId,
        w.limit,
      ).map(storedAlert);
    },

    nextIncidentSequence() {
      const row = one('INSERT INTO incident_sequence (id, last) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET last = last + 1 RETURNING last');
      return Number(row?.last);
    },
    insertIncident: (i) => void saveIncident(i, true),
    saveIncident: (i) => void saveIncident(i, false),
    incident(number) {
      const row = one('SELECT doc FROM incidents WHERE number = ?', number);
      return row ? parse<Incident>(row.doc) : null;
    },
    openIncidentForAggregate(integrationId, aggregateId) {
      const row = one(
        `SELECT doc FROM incidents WHERE integration_id = ? AND aggregate_id = ? AND state IN ('new', 'in_progress') ORDER BY seq DESC LIMIT 1`,
        integrationId,
        aggregateId,
      );
      return row ? parse<Incident>(row.doc) : null;
    },
    incidents(query) {
      const where = ['1 = 1'];
      const params: SQLInputValue[] = [];
      if (query.state?.length) {
        where.push(`state IN (${query.state.map(() => '?').join(', ')})`);
        params.push(...query.state);
      }
      if (query.priority?.length) {
        where.push(`priority IN (${query.priority.map(() => '?').join(', ')})`);
        params.push(...query.priority);
      }
      if (query.integrationId) {
        where.push('integration_id = ?');
        params.push(query.integrationId);
      }
      if (query.text) {
        where.push("search LIKE ? ESCAPE '\\'");
        params.push(likePattern(query.text.toLowerCase()));
      }
      const clause = where.join(' AND ');
      const total = Number(one(`SELECT count(*) AS n FROM incidents WHERE ${clause}`, ...params)?.n ?? 0);
      const items = all(`SELECT doc FROM incidents WHERE ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`, ...params, query.limit, query.offset).map((r) =>
        parse<Incident>(r.doc),
      );
      return { items, total };
    },
    incidentsAwaitingFollowUp(integrationId) {
      return all('SELECT doc FROM incidents WHERE integration_id = ? AND awaiting = 1 ORDER BY seq', integrationId).map((r) => parse<Incident>(r.doc));
    },
    appendTimeline(number, entries) {
      const last = Number(one('SELECT coalesce(max(seq), 0) AS n FROM incident_timeline WHERE number = ?', number)?.n ?? 0);
      return entries.map((entry, i): TimelineEntry => {
        const added = { ...entry, seq: last + i + 1 };
        run(
          'INSERT INTO incident_timeline (number, seq, at, kind, actor, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
          number,
          added.seq,
          added.at,
          added.kind,
          added.actor,
          added.message,
          added.data === undefined ? null : json(added.data),
        );
        return added;
      });
    },
    timeline(number) {
      return all('SELECT seq, at, kind, actor, message, data FROM incident_timeline WHERE number = ? ORDER BY seq', number).map((r): TimelineEntry => ({
        seq: Number(r.seq),
        at: String(r.at),
        kind: String(r.kind) as TimelineEntry['kind'],
        actor: String(r.actor),
        message: String(r.message),
        ...(r.data === null ? {} : { data: parse<NonNullable<TimelineEntry['data']>>(r.data) }),
      }));
    },

    upsertHostCi(ci) {
      const row = one(
        `INSERT INTO host_cis (device_id, integration_id, fields, first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET integration_id = excluded.integration_id, fields = excluded.fields, updated_at = excluded.updated_at
         RETURNING first_seen_at`,
        ci.deviceId,
        ci.integrationId,
        json(ci.fields),
        ci.firstSeenAt,
        ci.updatedAt,
      );
      return { ...ci, firstSeenAt: String(row?.first_seen_at ?? ci.firstSeenAt) };
    },
    hostCi(deviceId) {
      const row = one('SELECT * FROM host_cis WHERE device_id = ?', deviceId);
      if (!row) return null;
      return {
        deviceId,
        integrationId: String(row.integration_id),
        fields: parse<HostCi['fields']>(row.fields),
        firstSeenAt: String(row.first_seen_at),
        updatedAt: String(row.updated_at),
      };
    },

    attachIoc(number, ioc) {
      return (
        Number(run('INSERT OR IGNORE INTO incident_iocs (number, type, value, doc) VALUES (?, ?, ?, ?)', number, ioc.type, ioc.value, json(ioc)).changes) > 0
      );
    },
    incidentIocs(number) {
      return all('SELECT doc FROM incident_iocs WHERE number = ? ORDER BY rowid', number).map((r) => parse<IncidentIoc>(r.doc));
    },
    markIncidentIocPushed(number, type, value, pushedId) {
      run("UPDATE incident_iocs SET doc = json_set(doc, '$.pushedId', ?) WHERE number = ? AND type = ? AND value = ?", pushedId, number, type, value);
    },
    savePushedIoc(ioc) {
      run(
        `INSERT INTO pushed_iocs (id, integration_id, source_incident, pushed_at, deleted, doc) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET integration_id = excluded.integration_id, source_incident = excluded.source_incident,
           pushed_at = excluded.pushed_at, deleted = excluded.deleted, doc = excluded.doc`,
        ioc.id,
        ioc.integrationId,
        ioc.sourceIncident,
        ioc.pushedAt,
        ioc.deletedAt === null ? 0 : 1,
        json(ioc),
      );
    },
    pushedIoc(id) {
      const row = one('SELECT doc FROM pushed_iocs WHERE id = ?', id);
      return row ? parse<PushedIoc>(row.doc) : null;
    },
    pushedIocs(query) {
      return all(
        `SELECT doc FROM pushed_iocs WHERE (? IS NULL OR integration_id = ?) AND (? IS NULL OR source_incident = ?) AND (? = 1 OR deleted = 0)
         ORDER BY pushed_at DESC, id`,
        query.integrationId ?? null,
        query.integrationId ?? null,
        query.sourceIncident ?? null,
        query.sourceIncident ?? null,
        query.includeDeleted ? 1 : 0,
      ).map((r) => parse<PushedIoc>(r.doc));
    },

    setting(key) {
      const row = one('SELECT value FROM incident_settings WHERE key = ?', key);
      return row ? parse<unknown>(row.value) : undefined;
    },
    saveSetting(key, value) {
      run('INSERT INTO incident_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, json(value));
    },
  };
}

/** Runs one of the incident engine's operations as a single write transaction. */
export function createIncidentOperations(conn: Connection, engine: IncidentEngine | undefined): (name: string, input: unknown) => unknown {
  const tx = incidentTx(conn);
  return (name, input) => {
    if (!engine) throw new ContractError({ code: 'store.no_incident_engine', message: 'This store was opened without the incident engine.' });
    return conn.write(() => engine(tx, name, input));
  };
}
