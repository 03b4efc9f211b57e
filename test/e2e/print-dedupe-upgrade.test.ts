import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { Migrator } from "kysely/migration";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import * as foundation from "../../storage/migrations/2026_11_26_0001_foundation.ts";
import * as kitchen from "../../storage/migrations/2026_11_26_0002_kitchen.ts";
import * as printing from "../../storage/migrations/2026_11_26_0003_printing.ts";
import * as leases from "../../storage/migrations/2026_11_26_0004_leases.ts";
import * as scopedCommandIds from "../../storage/migrations/2026_12_03_0005_scoped_command_ids.ts";
import { eventually, query, startServer, tempDir } from "../support/server-process.ts";

/** A database as the previous release left it: schema up to 0005, with the bug's trace in print_slips. */
async function oldDatabase(file: string): Promise<void> {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrations = {
    "2026_11_26_0001_foundation": foundation, "2026_11_26_0002_kitchen": kitchen, "2026_11_26_0003_printing": printing,
    "2026_11_26_0004_leases": leases, "2026_12_03_0005_scoped_command_ids": scopedCommandIds,
  };
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
  if (error) throw error;
  const at = "2026-12-01T10:00:00.000Z";
  const slip = sqlite.prepare(`insert into print_slips (slip_key, store_id, ticket_id, station_id, printer_id, reprint_no, reprint_of, state, needs_mark, attempts, created_at, updated_at)
    values (?, 'demo', ?, 'kitchen', 'demo-emulator', ?, ?, ?, ?, ?, ?, ?)`);
  const job = sqlite.prepare(`insert into print_jobs (job_id, slip_key, store_id, printer_id, attempt, marked, payload_hash, state, error, requested_by, created_at)
    values (?, ?, 'demo', 'demo-emulator', ?, ?, 'h', ?, ?, 'printer-actor', ?)`);
  // Ticket A: the original failed (printer down), an admin reprint printed: the retry that would print it unmarked.
  slip.run("A:new", "A", 0, null, "failed", 0, 3, at, at);
  for (const n of [1, 2, 3]) job.run(`a${n}`, "A:new", n, 0, "not_sent", "ECONNREFUSED", at);
  slip.run("A:new:reprint:1", "A", 1, "A:new", "printed", 1, 1, at, at);
  job.run("a4", "A:new:reprint:1", 1, 1, "confirmed", null, at);
  // Ticket B: failed, and nothing printed it: it stays the admins' to retry.
  slip.run("B:new", "B", 0, null, "failed", 0, 3, at, at);
  for (const n of [1, 2, 3]) job.run(`b${n}`, "B:new", n, 0, "not_sent", "ECONNREFUSED", at);
  await db.destroy();
}

test("upgrading a database: print_slips keeps every row and job, and a failed original a reprint already printed is resolved", async () => {
  const dataDir = tempDir("print-upgrade");
  const file = join(dataDir, "table-session.sqlite");
  await oldDatabase(file);
  const before = query(file, "select * from print_slips order by slip_key");
  const server = await startServer({ dataDir });
  try {
    const after = query<Record<string, unknown>>(server.databaseFile, "select * from print_slips order by slip_key");
    assert.equal(after.map(({ state, superseded_by, updated_at, ...rest }) => rest), before.map(({ state, updated_at, ...rest }: any) => rest), "every value kept");
    assert.equal(after.map((s) => [s.slip_key, s.state, s.superseded_by]), [
      ["A:new", "superseded", "A:new:reprint:1"],
      ["A:new:reprint:1", "printed", null],
      ["B:new", "failed", null],
    ]);
    assert.is(query(server.databaseFile, "select * from print_jobs").length, 7);
    assert.equal(query(server.databaseFile, "pragma foreign_key_check"), []);

    const admin = await PosClient.login(server.endpoint, "demo", "a1", "9999");
    const room = await admin.sdk.joinOrCreate("admin", { storeId: "demo" });
    room.onMessage("notice", () => undefined);
    const failed = () => (room.state as any).failedSlips as Map<string, unknown> | undefined;
    await eventually(() => failed()?.has("B:new") === true, 3000, "the admins' failed list");
    assert.not.ok(failed()!.has("A:new"), "resolved: no longer waiting for an admin");
    const retried = await room.request("cmd", { type: "print.retry", slipKey: "A:new", cmdId: crypto.randomUUID() }) as any;
    assert.is(retried.error?.code, "ALREADY_PRINTED");
    assert.is(retried.error?.details?.printedAs, "A:new:reprint:1");
    await room.leave();
  } finally {
    await server.stop();
  }
});

test.run();
