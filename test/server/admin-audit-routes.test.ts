/**
 * The admin console's audit, chain-check and staff routes (server/admin-audit-routes.ts) on a real
 * server with two stores: only an admin, only their own store's rows, and a row edited in the
 * SQLite file behind the server's back makes the chain check say which.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import type { TableConnection } from "../../clients/pos-client.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { call, dataOf, outcomeOf, tokenOf } from "../qr/support.ts";

const t = suite("admin audit routes: store-scoped pages, the chain verdict, the staff list");

let server: ServerProcess;
let demoAdmin: string;
let annexAdmin: string;
const tables: TableConnection[] = [];

t.before(async () => {
  const config = structuredClone(demoRawConfig);
  const demo = config.stores[0]!;
  config.stores.push({ ...structuredClone(demo), id: "annex", name: "별관", staff: [{ id: "a9", name: "별관관리", role: "admin", pin: "9090" }, { id: "s9", name: "별관직원", role: "staff", pin: "9191" }] });
  const dataDir = tempDir("admin-audit");
  server = await startServer({ dataDir, env: { CONFIG_FILE: writeConfig(dataDir, config) } });
  demoAdmin = await tokenOf(server, "a1", "9999");
  annexAdmin = await tokenOf(server, "a9", "9090", "annex");
  // Audited work in both stores: a session opened at two demo tables and one annex table.
  const demoPos = await staff(server);
  const annexPos = await staff(server, "s9", "9191", "annex");
  tables.push(await openTable(demoPos, "T1"), await openTable(demoPos, "T2"), await openTable(annexPos, "T1"));
});
t.after(async () => {
  for (const table of tables) await table.leave().catch(() => undefined);
  await server?.stop();
});

const rowsOf = (storeId: string) => query<{ seq: number }>(server.databaseFile, "select seq from audit_log where store_id = ? order by seq desc", storeId).map((r) => r.seq);

t("only an admin may read the audit log, check the chain or list the staff", async () => {
  const staffToken = await tokenOf(server, "s1", "1111");
  const kitchenToken = await tokenOf(server, "k1", "5555");
  for (const path of ["/api/admin/audit", "/api/admin/audit/verify", "/api/admin/staff"]) {
    assert.is(outcomeOf(await call(server, "GET", path)), "401 UNAUTHORIZED", path);
    assert.is(outcomeOf(await call(server, "GET", path, staffToken)), "403 FORBIDDEN", path);
    assert.is(outcomeOf(await call(server, "GET", path, kitchenToken)), "403 FORBIDDEN", path);
    assert.is(outcomeOf(await call(server, "GET", path, demoAdmin)), "ok 200", path);
  }
});

t("the audit page holds the caller's store's rows only, newest first, and pages by seq without gaps", async () => {
  const demoSeqs = rowsOf("demo");
  const annexSeqs = rowsOf("annex");
  assert.ok(demoSeqs.length >= 2 && annexSeqs.length >= 1, "both stores have audit rows");

  const all = dataOf(await call(server, "GET", "/api/admin/audit?limit=200", demoAdmin));
  assert.equal(all.rows.map((r: { seq: number }) => r.seq), demoSeqs);
  assert.is(all.nextBefore, null, "everything fit in one page");
  const annex = dataOf(await call(server, "GET", "/api/admin/audit?limit=200", annexAdmin));
  assert.equal(annex.rows.map((r: { seq: number }) => r.seq), annexSeqs);
  assert.ok(annex.rows.every((r: { actorId: string }) => r.actorId === "s9"), "annex rows were made by the annex staff");

  const seen: number[] = [];
  let before: number | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: { rows: { seq: number; action: string; at: string }[]; nextBefore: number | null } = dataOf(await call(server, "GET", `/api/admin/audit?limit=1${before === null ? "" : `&before=${before}`}`, demoAdmin));
    seen.push(...page.rows.map((r) => r.seq));
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  assert.equal(seen, demoSeqs, "one row per page, the same rows in the same order");
  const first = all.rows[all.rows.length - 1];
  assert.type(first.action, "string");
  assert.type(first.at, "string");
  assert.not.ok("hash" in first || "prev_hash" in first || "store_id" in first, "no chain internals");
});

t("malformed paging parameters are refused", async () => {
  for (const q of ["limit=0", "limit=201", "limit=abc", "before=0", "before=-3", "before=x"]) {
    assert.is(outcomeOf(await call(server, "GET", `/api/admin/audit?${q}`, demoAdmin)), "400 BAD_REQUEST", q);
  }
});

t("the staff list names each staff member and role of the caller's store, never a PIN", async () => {
  const demo = dataOf(await call(server, "GET", "/api/admin/staff", demoAdmin));
  assert.equal(demo.staff.map((s: { id: string; role: string }) => `${s.id}:${s.role}`), ["s1:staff", "s2:staff", "a1:admin", "k1:kitchen"]);
  const annex = dataOf(await call(server, "GET", "/api/admin/staff", annexAdmin));
  assert.equal(annex.staff.map((s: { id: string }) => s.id), ["a9", "s9"]);
  const text = JSON.stringify([demo, annex]);
  for (const pin of ["9999", "1111", "9090", "pin"]) assert.not.ok(text.includes(pin), `no ${pin}`);
});

t("the chain check says OK, then names the row edited in the SQLite file, without another store's data", async () => {
  const intact = dataOf(await call(server, "GET", "/api/admin/audit/verify", annexAdmin));
  assert.is(intact.ok, true);
  assert.is(intact.rows, rowsOf("demo").length + rowsOf("annex").length, "the whole chain, both stores");
  assert.is(intact.problem, null);

  const victim = Math.min(...rowsOf("demo"));
  const db = new Database(server.databaseFile);
  try {
    db.pragma("busy_timeout = 5000");
    db.exec("drop trigger audit_log_no_update");
    db.prepare("update audit_log set reason = 'edited later' where seq = ?").run(victim);
  } finally {
    db.close();
  }
  const broken = await call(server, "GET", "/api/admin/audit/verify", annexAdmin);
  const verdict = dataOf(broken);
  assert.is(verdict.ok, false);
  assert.is(verdict.rows, victim - 1, "the good rows before it");
  assert.is(verdict.problem, `row ${victim} was altered`);
  assert.equal(Object.keys(verdict).sort(), ["checkedAt", "ok", "problem", "rows"]);
});

t.run();
