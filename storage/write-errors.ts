import Database from "better-sqlite3";
import { StockExhaustedError } from "./stock.ts";

/**
 * Why a write did not land, decided once, in storage, where the failing statement is known.
 * Callers switch on `kind` (exhaustively) and never read message text.
 *
 * - `conflict`: another writer got there first. `session_version`: the (session_id, seq) key of
 *   session_events (R-CON-2); `live_session`: the one-live-session-per-table index of sessions.
 * - `duplicate_command`: the (store_id, actor_id, cmd_id) key of processed_commands.
 * - `stock_exhausted`: the guarded countdown of menu_stock refused the take.
 * - `busy`: the write lock was not free within busy_timeout (SQLITE_BUSY); nothing was written.
 * - `closed`: the writer was closed or its thread died. A unit that was in flight when the thread
 *   died may or may not have committed: a retry with the same cmdId resolves it.
 * - `failed`: anything else (a trigger, a CHECK, a bug, the disk); `detail` is for logs only.
 */
export type WriteFailureReason =
  | { readonly kind: "conflict"; readonly on: "session_version" | "live_session" }
  | { readonly kind: "duplicate_command" }
  | { readonly kind: "stock_exhausted"; readonly menuId: string }
  | { readonly kind: "busy" }
  | { readonly kind: "closed" }
  | { readonly kind: "failed"; readonly detail: string };

export type WriteFailureKind = WriteFailureReason["kind"];

/**
 * The only error a Writer's promises reject with. Plain data in `reason`, so it crosses the
 * worker-thread boundary as is; the message (SQLite's own text, when there is one) is for logs.
 */
export class WriteFailure extends Error {
  override name = "WriteFailure";
  constructor(readonly reason: WriteFailureReason, message = `write failed: ${reason.kind}`, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The write of a unit that was running. SQLite reports a constraint by kind
 * (`SQLITE_CONSTRAINT_PRIMARYKEY`, `…_UNIQUE`) but names it only in its message text, whose format is
 * not an API (it lists columns, changes with the schema, e.g. the scoped processed_commands key).
 * The statement we ran names the table exactly, so kind + statement identify the constraint.
 */
export type UnitStep = "processed_commands" | "session_events" | "outbox" | "projections" | "sessions" | "menu_stock" | "documents" | "print" | "audit_log";

/** Runs one write of a unit; a throw leaves it as a WriteFailure that says what it means. */
export function during<T>(step: UnitStep, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof WriteFailure) throw error;
    const reason = classifyUnitError(error, step);
    throw new WriteFailure(reason, `${reason.kind}: ${messageOf(error)}`, { cause: error });
  }
}

/** Keys the schema has on each step (see the migrations): any other constraint there is a plain failure. */
function classifyUnitError(error: unknown, step: UnitStep): WriteFailureReason {
  if (error instanceof StockExhaustedError && step === "menu_stock") return { kind: "stock_exhausted", menuId: error.menuId };
  const code = sqliteCode(error);
  // processed_commands: primary key (store_id, actor_id, cmd_id), WITHOUT ROWID.
  if (step === "processed_commands" && code === "SQLITE_CONSTRAINT_PRIMARYKEY") return { kind: "duplicate_command" };
  // session_events: primary key (session_id, seq), WITHOUT ROWID.
  if (step === "session_events" && code === "SQLITE_CONSTRAINT_PRIMARYKEY") return { kind: "conflict", on: "session_version" };
  // sessions: the upsert resolves its own primary key, so a UNIQUE failure is sessions_one_live_per_table.
  if (step === "sessions" && code === "SQLITE_CONSTRAINT_UNIQUE") return { kind: "conflict", on: "live_session" };
  return classifyOther(error, step);
}

/** A failure outside any unit write: taking the write lock, COMMIT, a system write. */
export function classifyCommitError(error: unknown, where: string): WriteFailure {
  if (error instanceof WriteFailure) return error;
  const reason = classifyOther(error, where);
  return new WriteFailure(reason, `${reason.kind}: ${messageOf(error)}`, { cause: error });
}

function classifyOther(error: unknown, where: string): WriteFailureReason {
  const code = sqliteCode(error);
  // SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT, …).
  if (code === "SQLITE_BUSY" || code?.startsWith("SQLITE_BUSY_")) return { kind: "busy" };
  return { kind: "failed", detail: `${where}: ${code ?? (error instanceof Error ? error.name : "error")}: ${messageOf(error)}` };
}

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
