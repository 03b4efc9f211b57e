import type { Storage } from "./database.ts";
import type { AuditEntry } from "./audit.ts";

/** One audit row as the admin console shows it (the chain's own hashes stay in the database). */
export type AuditPageRow = Omit<AuditEntry, "storeId"> & { readonly seq: number };

interface RawRow {
  seq: number; at: string; actor_id: string; actor_role: string; action: string; entity_type: string; entity_id: string;
  session_id: string | null; before: string | null; after: string | null; reason: string | null; cmd_id: string | null;
}

/**
 * One store's audit rows, newest first, in keyset pages (`before` = the smallest seq already
 * shown): the chain is global across stores, a page never is. Walks the primary key down from
 * `before`, so a page does not sort the whole log.
 */
export function createAuditPageReader(storage: Storage) {
  const page = storage.sqlite.prepare(
    `select seq, at, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id
     from audit_log where store_id = ? and seq < ? order by seq desc limit ?`,
  );
  return {
    page(storeId: string, beforeSeq: number | null, limit: number): AuditPageRow[] {
      const rows = page.all(storeId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as RawRow[];
      return rows.map((r) => ({
        seq: r.seq, at: r.at, actorId: r.actor_id, actorRole: r.actor_role, action: r.action, entityType: r.entity_type,
        entityId: r.entity_id, sessionId: r.session_id, before: parsed(r.before), after: parsed(r.after), reason: r.reason, cmdId: r.cmd_id,
      }));
    },
  };
}

export type AuditPageReader = ReturnType<typeof createAuditPageReader>;

/** before/after are JSON written by the application; a row edited by hand may not parse: show its text. */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
