import type { Storage } from "./database.ts";
import { chainHash, lastAuditHash, toAuditRow, type AuditEntry } from "./audit.ts";

/** A store's current QR signing secret (never leaves the server: only tokens signed with it do). */
export interface QrSecret {
  readonly storeId: string;
  /** 32 bytes. */
  readonly secret: Buffer;
  readonly version: number;
  readonly rotatedAt: string;
  readonly rotatedBy: string;
}

export interface QrRotation {
  readonly storeId: string;
  /** 64 lowercase hex digits, made by the caller (storage reads no random source). */
  readonly secretHex: string;
  readonly at: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly reason: string | null;
}

export interface QrRotated {
  readonly before: number | null;
  readonly after: QrSecret;
}

interface SecretRow {
  readonly store_id: string;
  readonly secret: string;
  readonly version: number;
  readonly rotated_at: string;
  readonly rotated_by: string;
}

const hexSecret = /^[0-9a-f]{64}$/;

/**
 * The QR secrets (migration 0009). Reads are one primary-key lookup, made for every exchange
 * rather than cached, so a rotation in any process locks the old links out everywhere at once.
 *
 * Writes run on this (the main) connection in their own IMMEDIATE transaction, like the daily
 * close: the write lock is taken first, so the audit chain head read inside cannot move before
 * our row is chained to it (the group-commit writer reads the head inside its own locked
 * transactions), and the commit writer is not involved.
 */
export function createQrStore(storage: Storage) {
  const db = storage.sqlite;
  const select = db.prepare("select store_id, secret, version, rotated_at, rotated_by from qr_secrets where store_id = ?");
  const insertFirst = db.prepare("insert into qr_secrets (store_id, secret, version, rotated_at, rotated_by) values (?, ?, 1, ?, ?) on conflict (store_id) do nothing");
  const update = db.prepare("update qr_secrets set secret = ?, version = version + 1, rotated_at = ?, rotated_by = ? where store_id = ?");
  const insertAudit = db.prepare(
    `insert into audit_log (at, store_id, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id, prev_hash, hash)
     values (@at, @store_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @session_id, @before, @after, @reason, @cmd_id, @prev_hash, @hash)`,
  );

  function read(storeId: string): QrSecret | undefined {
    const row = select.get(storeId) as SecretRow | undefined;
    if (!row) return undefined;
    return { storeId: row.store_id, secret: Buffer.from(row.secret, "hex"), version: row.version, rotatedAt: row.rotated_at, rotatedBy: row.rotated_by };
  }

  const rotate = db.transaction((rotation: QrRotation): QrRotated => {
    const before = read(rotation.storeId);
    if (before) update.run(rotation.secretHex, rotation.at, rotation.actorId, rotation.storeId);
    else insertFirst.run(rotation.storeId, rotation.secretHex, rotation.at, rotation.actorId);
    const after = read(rotation.storeId);
    if (!after || after.version !== (before?.version ?? 0) + 1) throw new Error(`qr secret of ${rotation.storeId} did not move to the next version`);
    // The audit row names versions only: the secret itself is never written anywhere but its row.
    const entry: AuditEntry = {
      at: rotation.at, storeId: rotation.storeId, actorId: rotation.actorId, actorRole: rotation.actorRole, action: "qr.rotate",
      entityType: "qr_secret", entityId: rotation.storeId, sessionId: null, before: before ? { version: before.version } : null,
      after: { version: after.version }, reason: rotation.reason, cmdId: null,
    };
    const row = toAuditRow(entry);
    const prevHash = lastAuditHash(db);
    insertAudit.run({ ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) });
    return { before: before?.version ?? null, after };
  });

  return {
    /** The store's current secret, or undefined when none was made yet (no table token exists). */
    current: read,
    /**
     * The current secret, made (version 1) on first use. Two processes racing here agree: the
     * insert of the second does nothing and both read the one row.
     */
    ensure(storeId: string, secretHex: string, at: string, actorId: string): QrSecret {
      const existing = read(storeId);
      if (existing) return existing;
      if (!hexSecret.test(secretHex)) throw new Error("qr secret must be 64 lowercase hex digits");
      insertFirst.run(storeId, secretHex, at, actorId);
      const made = read(storeId);
      if (!made) throw new Error(`qr secret of ${storeId} was not stored`);
      return made;
    },
    /** A new secret and the next version, with its audit row, in one IMMEDIATE transaction. */
    rotate(rotation: QrRotation): QrRotated {
      if (!hexSecret.test(rotation.secretHex)) throw new Error("qr secret must be 64 lowercase hex digits");
      return rotate.immediate(rotation);
    },
  };
}

export type QrStore = ReturnType<typeof createQrStore>;
