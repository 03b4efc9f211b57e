import { createHash } from "node:crypto";
import type { Sqlite } from "./database.ts";

/** One audit row as the application writes it (R-VAL-3: actor, time, action, before/after, reason). */
export interface AuditEntry {
  readonly at: string;
  readonly storeId: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly sessionId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly cmdId: string | null;
}

export const genesisHash = "0".repeat(64);

/** Columns in hashing order; changing it invalidates every chain, so it is frozen. */
const hashedColumns = [
  "at", "store_id", "actor_id", "actor_role", "action", "entity_type", "entity_id",
  "session_id", "before", "after", "reason", "cmd_id",
] as const;

export type AuditRow = Record<(typeof hashedColumns)[number], string | null>;

export function toAuditRow(entry: AuditEntry): AuditRow {
  return {
    at: entry.at,
    store_id: entry.storeId,
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    session_id: entry.sessionId,
    before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    reason: entry.reason,
    cmd_id: entry.cmdId,
  };
}

/** Each row's hash covers the previous hash, so altering or removing any row breaks the chain after it. */
export function chainHash(prevHash: string, row: AuditRow): string {
  const hash = createHash("sha256").update(prevHash);
  for (const column of hashedColumns) hash.update("\u0000").update(row[column] ?? "\u0001null");
  return hash.digest("hex");
}

export function lastAuditHash(sqlite: Sqlite): string {
  const row = sqlite.prepare("select hash from audit_log order by seq desc limit 1").get() as { hash: string } | undefined;
  return row?.hash ?? genesisHash;
}

export interface AuditVerdict {
  readonly ok: boolean;
  readonly rows: number;
  readonly problem?: string;
}

/**
 * Walks the whole chain. Catches an edited row (hash mismatch), a removed row (gap in seq or
 * prev_hash mismatch) and a removed tail (sqlite_sequence remembers the highest seq ever used).
 * On a large log this takes seconds: a server runs it off its main thread (audit-verifier.ts).
 */
export function verifyAuditChain(sqlite: Sqlite): AuditVerdict {
  // One read snapshot: a row committed between the walk and the sequence check would read as a removed tail.
  return sqlite.inTransaction ? walkChain(sqlite) : sqlite.transaction(() => walkChain(sqlite)).deferred();
}

function walkChain(sqlite: Sqlite): AuditVerdict {
  let prev = genesisHash;
  let expectedSeq = 1;
  let rows = 0;
  const iterate = sqlite.prepare(`select seq, prev_hash, hash, ${hashedColumns.join(", ")} from audit_log order by seq`).iterate();
  for (const raw of iterate) {
    const row = raw as AuditRow & { seq: number; prev_hash: string; hash: string };
    if (row.seq !== expectedSeq) return { ok: false, rows, problem: `row ${expectedSeq} is missing (next is ${row.seq})` };
    if (row.prev_hash !== prev) return { ok: false, rows, problem: `row ${row.seq} does not follow row ${row.seq - 1}` };
    if (chainHash(prev, row) !== row.hash) return { ok: false, rows, problem: `row ${row.seq} was altered` };
    prev = row.hash;
    expectedSeq += 1;
    rows += 1;
  }
  const sequence = sqlite.prepare("select seq from sqlite_sequence where name = 'audit_log'").get() as { seq: number } | undefined;
  if (sequence && sequence.seq !== rows) return { ok: false, rows, problem: `rows after ${rows} were removed (highest seq ever ${sequence.seq})` };
  return { ok: true, rows };
}
