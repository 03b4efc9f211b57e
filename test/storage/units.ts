/**
 * Builds CommitUnits from real domain decisions, the way rooms/table/table-session.ts (#unit) does:
 * decide → fold → one unit with the events, the session snapshot, audit rows and the command record.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  decide, fold, initialSessionState, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { openStorage, type AuditEntry, type CommitUnit, type Storage } from "../../storage/index.ts";
import { context } from "../domain/fixtures.ts";

/** A real SQLite file with the real migrations, in its own temp dir. */
export async function openTempStorage(): Promise<{ storage: Storage; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "storage-test-"));
  const storage = await openStorage(join(dir, "pos.sqlite"));
  return {
    storage,
    async dispose() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Built {
  readonly unit: CommitUnit;
  readonly after: SessionState;
  readonly events: readonly SessionEvent[];
}

/** One accepted command as a unit. Throws if the domain refuses: tests build only good histories here. */
export function unitFor(command: SessionCommand, base: SessionState, cmdId: string, storeId = "store-1", tableId = "t-1"): Built {
  const decision = decide(command, base, context);
  if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code}`);
  const after = fold(decision.events, base);
  const reply = { cmdId, ok: true, data: { version: after.version, sessionTotalWon: after.total } };
  const audit: AuditEntry[] = [{
    at: command.at, storeId, actorId: command.actor.id, actorRole: command.actor.role,
    action: command.type, entityType: "session", entityId: after.sessionId, sessionId: after.sessionId,
    before: { status: base.status, total: base.total }, after: { status: after.status, total: after.total },
    reason: "reason" in command ? command.reason || null : null, cmdId,
  }];
  const unit: CommitUnit = {
    context: { storeId, tableId, sessionId: after.sessionId },
    baseVersion: base.version,
    events: decision.events,
    snapshot: { status: after.status, version: after.version, total: after.total, guests: after.guests, openedAt: after.openedAt },
    audit,
    command: { cmdId, actorId: command.actor.id, type: command.type, bodyHash: hashOf(command), reply, at: command.at },
  };
  return { unit, after, events: decision.events };
}

/** Runs a table's commands in memory, handing out one unit per command (state advances as if each committed). */
export class TableScript {
  state: SessionState = initialSessionState();
  readonly units: CommitUnit[] = [];
  #n = 0;

  constructor(readonly tableId: string, readonly storeId = "store-1") {}

  next(command: SessionCommand): CommitUnit {
    this.#n += 1;
    const built = unitFor(command, this.state, `${this.tableId}-cmd-${this.#n}`, this.storeId, this.tableId);
    this.state = built.after;
    this.units.push(built.unit);
    return built.unit;
  }
}

function hashOf(command: SessionCommand): string {
  return createHash("sha256").update(JSON.stringify(command)).digest("hex");
}

/** `select count(*)` of a table, optionally filtered. */
export function count(storage: Storage, table: string, where = "1 = 1", ...params: unknown[]): number {
  return storage.sqlite.prepare(`select count(*) from ${table} where ${where}`).pluck().get(...params) as number;
}
