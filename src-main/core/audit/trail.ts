// The audit trail as the core uses it: appends entries chained with the vault's audit key, and answers the
// Audit screen, `audit verify` and the CSV export. The key stays in this process: it goes to the store worker
// with each call that needs it and nowhere else.
import type {
  AuditActor,
  AuditChange,
  AuditEntry,
  AuditFilter,
  AuditPage,
  AuditQuery,
  AuditSurface,
  AuditTarget,
  AuditVerifyResult,
  CallContext,
} from '../../../src-shared/schemas/audit';
import type { Logger } from '../log';
import { auditCsv } from './audit-csv';
import { redact } from './changes';
import type { TrailStore } from './trail-store';

export const AUDIT_KEY_NAME = 'audit-chain';
/** Audit entries outlive the posture log: a year unless the admin keeps the log longer. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

export interface AuditAppend {
  context: CallContext | undefined;
  channel: string;
  action: string;
  target: AuditTarget;
  summary: string;
  changes: AuditChange[];
  /** A name the request carried (incident and IOC forms ask who acts). */
  claimed?: string | null;
  error?: { code: string; message: string } | null;
}

export interface AuditTrailDeps {
  store: TrailStore;
  vault: { internalKey(name: string): Promise<{ key: Buffer; protected: boolean }> };
  now: () => Date;
  newId: () => string;
  osUser: string;
  /** The surface of a call whose transport said nothing (the process's own). */
  surface: AuditSurface;
  onAppended: (entry: AuditEntry) => void;
  logger: Logger;
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;

export function createAuditTrail(deps: AuditTrailDeps) {
  let key: Promise<{ key: Buffer; protected: boolean }> | undefined;
  const chainKey = () => (key ??= deps.vault.internalKey(AUDIT_KEY_NAME));

  const actorOf = (context: CallContext | undefined, claimed: string | null | undefined): AuditActor => ({
    surface: context?.surface ?? deps.surface,
    osUser: deps.osUser,
    session: context?.session ?? null,
    command: context?.command ?? null,
    claimed: claimed ?? null,
  });

  return {
    /** Makes the key now (first use), so a process never writes the vault file without it. */
    ready: async (): Promise<void> => void (await chainKey()),

    async append(record: AuditAppend): Promise<AuditEntry> {
      const entry = await deps.store.append({
        key: (await chainKey()).key,
        entry: {
          id: deps.newId(),
          at: deps.now().toISOString(),
          actor: actorOf(record.context, record.claimed),
          action: record.action,
          channel: record.channel,
          target: record.target,
          outcome: record.error ? 'failed' : 'succeeded',
          error: record.error ?? null,
          summary: record.summary,
          // A last guard: whatever a describer produced, secret-shaped fields leave as the marker.
          changes: redact(record.changes),
        },
      });
      deps.onAppended(entry);
      return entry;
    },

    query: (q: AuditQuery): Promise<AuditPage> => deps.store.query(q),

    async verify(): Promise<AuditVerifyResult> {
      const { key: k, protected: keyProtected } = await chainKey();
      return { ...(await deps.store.verify({ key: k })), keyProtected };
    },

    exportCsv: async (filter: AuditFilter): Promise<string> => auditCsv(await deps.store.all(filter)),

    all: (filter: AuditFilter): Promise<AuditEntry[]> => deps.store.all(filter),

    /** Entries after `afterSeq`, oldest first, including those other processes appended. */
    since: (afterSeq: number, limit = 500): Promise<AuditEntry[]> => deps.store.since({ afterSeq, limit }),

    async prune(days: number): Promise<{ deleted: number; anchorSeq: number | null }> {
      const now = deps.now().getTime();
      return deps.store.prune({ key: (await chainKey()).key, before: now - days * 86_400_000, now });
    },
  };
}
