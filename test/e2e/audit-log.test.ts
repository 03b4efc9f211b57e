import { test } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { startServer } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

const root = resolve(import.meta.dirname, "../..");

function verifyAudit(file: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "server/verify-audit.ts", file], { cwd: root, encoding: "utf8" });
}

test("audit rows name the actor, refuse UPDATE and DELETE, and verify-audit catches tampering", async () => {
  const server = await startServer();
  const table = await openTable(await staff(server, "s2", "2222"), "T1");
  const confirmed = await table.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }, { menuId: "soju", quantity: 2 }] });
  assert.ok(confirmed.ok);
  if (!confirmed.ok) return;
  const cancelled = await table.command("item.cancel", { itemId: confirmed.data.itemIds[1], reason: "잘못 입력" });
  assert.ok(cancelled.ok, JSON.stringify(cancelled));
  await table.leave();
  await server.stop();

  const db = new Database(server.databaseFile);
  const rows = db.prepare("select actor_id, action, reason from audit_log order by seq").all();
  assert.equal(rows, [
    { actor_id: "s2", action: "session.open", reason: null },
    { actor_id: "s2", action: "batch.confirm", reason: null },
    { actor_id: "s2", action: "item.cancel", reason: "잘못 입력" },
  ]);
  assert.throws(() => db.prepare("update audit_log set reason = 'x' where seq = 3").run(), /append-only/);
  assert.throws(() => db.prepare("delete from audit_log where seq = 1").run(), /append-only/);
  assert.is(db.prepare("select count(*) from audit_log").pluck().get(), 3);

  const intact = verifyAudit(server.databaseFile);
  assert.is(intact.status, 0, intact.stderr);
  assert.match(intact.stdout, /3 rows/);

  // Someone with file access drops the trigger and edits a row: the chain gives it away.
  db.exec("drop trigger audit_log_no_update");
  db.prepare("update audit_log set reason = '손님 변심' where seq = 3").run();
  db.close();
  const tampered = verifyAudit(server.databaseFile);
  assert.is(tampered.status, 1);
  assert.match(tampered.stderr, /row 3 was altered/);
});

test.run();
