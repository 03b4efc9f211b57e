import { test } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TableConnection } from "../../clients/pos-client.ts";
import { verifyAuditChain } from "../../storage/index.ts";
import { startServer, tempDir, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

const rounds = 4;
const clientsPerRound = 4;
const lines = [{ menuId: "soju", quantity: 1 }, { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["mild"] }];

interface Ledger {
  acked: Set<string>;
  /** Sent, no reply before the kill: may or may not have committed. */
  unknown: Set<string>;
}

/** Each client confirms in a loop until its connection dies; every cmdId is recorded. */
async function confirmLoop(table: TableConnection, prefix: string, ledger: Ledger): Promise<void> {
  for (let n = 0; ; n++) {
    const cmdId = `${prefix}-${n.toString().padStart(5, "0")}`;
    ledger.unknown.add(cmdId);
    try {
      const reply = await table.command("confirm", { lines }, cmdId, 3_000);
      if (!reply.ok) throw new Error(`refused: ${JSON.stringify(reply)}`);
      ledger.unknown.delete(cmdId);
      ledger.acked.add(cmdId);
    } catch (error) {
      if (String(error).includes("refused")) throw error;
      return; // connection gone: the kill happened
    }
  }
}

test("kill -9 at random moments: acknowledged confirms survive exactly once, none half-written", async () => {
  const dataDir = tempDir("kill");
  const sink = join(dataDir, "outbox.jsonl");
  const env = { OUTBOX_JSONL: sink };
  const ledger: Ledger = { acked: new Set(), unknown: new Set() };
  for (let round = 0; round < rounds; round++) {
    const server = await startServer({ dataDir, env });
    const pos = await staff(server);
    const tables = await Promise.all(Array.from({ length: clientsPerRound }, (_, i) => openTable(pos, `T${i + 1}`)));
    const loops = tables.map((table, i) => confirmLoop(table, `r${round}-c${i}`, ledger));
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 900)));
    await server.kill();
    await Promise.all(loops);
  }
  assert.ok(ledger.acked.size > 20, `too few confirms to mean anything: ${ledger.acked.size}`);

  const server: ServerProcess = await startServer({ dataDir, env });
  try {
    const db = new Database(server.databaseFile, { readonly: true });
    const countOf = db.prepare("select count(*) from order_batches where cmd_id = ?").pluck();
    for (const cmdId of ledger.acked) assert.is(countOf.get(cmdId), 1, `acknowledged ${cmdId} must be stored exactly once`);
    for (const cmdId of ledger.unknown) assert.ok((countOf.get(cmdId) as number) <= 1, `${cmdId} doubled`);

    // No half-written batch: every batch has its items, tickets, events, outbox rows and audit row.
    const broken = db.prepare(`
      select b.batch_id,
        (select count(*) from order_items i where i.batch_id = b.batch_id) as items,
        (select count(*) from kitchen_tickets k where k.batch_id = b.batch_id) as tickets,
        (select count(*) from session_events e where e.cmd_id = b.cmd_id) as events,
        (select count(*) from outbox o join session_events e on o.event_id = e.session_id || ':' || e.seq where e.cmd_id = b.cmd_id) as outbox,
        (select count(*) from audit_log a where a.cmd_id = b.cmd_id) as audit
      from order_batches b
      where items != 2 or tickets != 2 or events != 5 or outbox != 5 or audit != 1`).all();
    assert.equal(broken, [], "half-written batches");
    assert.is(db.prepare("select count(*) from outbox").pluck().get(), db.prepare("select count(*) from session_events").pluck().get());
    assert.ok(verifyAuditChain(db).ok, "audit chain intact after kills");

    // At least once: everything up to the subscriber's saved cursor is in the sink; the rest is still in the outbox.
    const cursor = (db.prepare("select last_id from outbox_cursors").pluck().get() as number | undefined) ?? 0;
    const delivered = existsSync(sink) ? new Set(readFileSync(sink, "utf8").trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id)) : new Set<number>();
    const missing = (db.prepare("select id from outbox where id <= ?").pluck().all(cursor) as number[]).filter((id) => !delivered.has(id));
    assert.equal(missing, [], "rows behind the cursor that the subscriber never got");
    db.close();

    // Unacknowledged confirms retried with the same cmdId end up stored exactly once.
    const pos = await staff(server);
    const retried = [...ledger.unknown].slice(0, 8);
    for (const cmdId of retried) {
      const table = await pos.joinTable(`T${Number(cmdId.split("-c")[1]!.split("-")[0]) + 1}`);
      const reply = await table.command("confirm", { lines }, cmdId);
      assert.ok(reply.ok, JSON.stringify(reply));
      await table.leave();
    }
    const check = new Database(server.databaseFile, { readonly: true });
    for (const cmdId of retried) assert.is(check.prepare("select count(*) from order_batches where cmd_id = ?").pluck().get(cmdId), 1, `${cmdId} after retry`);
    // The relay resumes after restart and catches the sink up with the outbox.
    const head = check.prepare("select max(id) from outbox").pluck().get() as number;
    check.close();
    const deadline = Date.now() + 5_000;
    let caughtUp = false;
    while (!caughtUp && Date.now() < deadline) {
      const ids = new Set(readFileSync(sink, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { id: number }).id));
      caughtUp = ids.has(head);
      if (!caughtUp) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(caughtUp, "relay delivered the outbox head after restart");
  } finally {
    await server.stop();
  }
});

test.run();
