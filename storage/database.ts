import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import * as foundation from "./migrations/2026_11_26_0001_foundation.ts";
import * as kitchen from "./migrations/2026_11_26_0002_kitchen.ts";
import * as printing from "./migrations/2026_11_26_0003_printing.ts";
import * as leases from "./migrations/2026_11_26_0004_leases.ts";
import * as scopedCommandIds from "./migrations/2026_12_03_0005_scoped_command_ids.ts";
import * as printSuperseded from "./migrations/2026_12_03_0006_print_superseded.ts";
import * as payments from "./migrations/2026_12_03_0007_payments.ts";
import * as dailyClose from "./migrations/2026_12_03_0008_daily_close.ts";
import * as qrSecrets from "./migrations/2026_12_03_0009_qr_secrets.ts";
import * as cartPayments from "./migrations/2026_12_03_0010_cart_payments.ts";
import * as sessionActivity from "./migrations/2026_12_03_0011_session_activity.ts";
import * as auditStoreIndex from "./migrations/2026_12_03_0012_audit_store_index.ts";
import * as cartChargesUnsettled from "./migrations/2026_12_03_0013_cart_charges_unsettled.ts";

export type Sqlite = Database.Database;

/** Migrations in order; a static provider keeps them inside the bundle (no directory scan). */
const migrations: Record<string, Migration> = {
  "2026_11_26_0001_foundation": foundation,
  "2026_11_26_0002_kitchen": kitchen,
  "2026_11_26_0003_printing": printing,
  "2026_11_26_0004_leases": leases,
  "2026_12_03_0005_scoped_command_ids": scopedCommandIds,
  "2026_12_03_0006_print_superseded": printSuperseded,
  "2026_12_03_0007_payments": payments,
  "2026_12_03_0008_daily_close": dailyClose,
  "2026_12_03_0009_qr_secrets": qrSecrets,
  "2026_12_03_0010_cart_payments": cartPayments,
  "2026_12_03_0011_session_activity": sessionActivity,
  "2026_12_03_0012_audit_store_index": auditStoreIndex,
  "2026_12_03_0013_cart_charges_unsettled": cartChargesUnsettled,
};

export interface Storage {
  readonly sqlite: Sqlite;
  /** Used to build and compile SQL; hot paths run the compiled text as prepared statements. */
  readonly kysely: Kysely<any>;
  readonly file: string;
  close(): Promise<void>;
}

/**
 * Opens the database, makes every commit durable before it returns (WAL + synchronous=FULL:
 * an acknowledged confirm survives a power cut, not only a process kill) and migrates it.
 */
export async function openStorage(file: string): Promise<Storage> {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Checkpoint in bigger, rarer steps: under load most pages are rewritten many times between checkpoints.
  sqlite.pragma("wal_autocheckpoint = 8000");
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db: kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    sqlite.close();
    throw new Error(`migration ${failed} failed: ${String(error)}`);
  }
  let closed = false;
  return {
    sqlite,
    kysely,
    file,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy(); // closes the better-sqlite3 handle too
    },
  };
}

/** Compiles an INSERT once with Kysely; returns a runner that binds values in column order. */
export function preparedInsert(storage: Storage, table: string, columns: readonly string[]) {
  const compiled = storage.kysely
    .insertInto(table)
    .values(Object.fromEntries(columns.map((c) => [c, null])))
    .compile();
  const statement = storage.sqlite.prepare(compiled.sql);
  return (row: Record<string, unknown>) => statement.run(columns.map((c) => row[c] ?? null));
}
