import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countRows, eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";
import { beer, kimchi, openTable, staff } from "../support/pos.ts";

const t = suite("table room: draft and confirm");
let server: ServerProcess;

t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  await server.stop();
});

t("two terminals in one table see the same draft live, and the draft writes no order rows", async () => {
  const a = await openTable(await staff(server), "T1");
  const b = await (await staff(server, "s2", "2222")).joinTable("T1");
  const before = countRows(server.databaseFile);
  const added = await a.command("draft.add", kimchi);
  assert.ok(added.ok, JSON.stringify(added));
  await eventually(() => b.state.draft.size === 1, 3000, "draft on terminal B");
  const line = [...b.state.draft.values()][0];
  assert.is(line.name, "김치찌개");
  assert.is(line.lineTotalWon, 18_000);
  // The line's own arrays arrive with it on a terminal that was already there (a schema view quirk).
  await eventually(() => line.optionIds.length === 1, 3000, "the line's options on terminal B");
  assert.equal([...line.optionIds], ["hot"]);
  assert.equal([...line.optionNames], ["매운맛"]);
  assert.equal([...[...a.state.draft.values()][0].optionNames], ["매운맛"]);
  const changed = await b.command("draft.change", { lineId: line.lineId, quantity: 3 });
  assert.ok(changed.ok);
  await eventually(() => [...a.state.draft.values()][0]?.quantity === 3, 3000, "change on terminal A");
  assert.is(a.state.draftTotalWon, 27_000);
  assert.equal(countRows(server.databaseFile), before, "draft edits must not touch the database");
  await a.leave();
  await b.leave();
});

t("leaving without confirm persists nothing and the next visit starts with an empty draft", async () => {
  const pos = await staff(server);
  const a = await openTable(pos, "T2");
  const before = countRows(server.databaseFile);
  for (const line of [kimchi, beer]) {
    const added = await a.command("draft.add", line);
    assert.ok(added.ok, JSON.stringify(added));
  }
  assert.is(a.state.draft.size, 2);
  await a.leave();
  // Whether the next terminal lands in the old room (its leave processed) or a new one, the draft is gone.
  const again = await pos.joinTable("T2");
  await eventually(() => again.state.draft.size === 0, 3000, "no draft after the last terminal left");
  assert.is(again.state.status, "open", "the session itself survives");
  assert.equal(countRows(server.databaseFile), before);
  await again.leave();
});

t("confirm writes batch, items, tickets, outbox and audit together and clears the draft", async () => {
  const a = await openTable(await staff(server), "T3");
  await a.command("draft.add", kimchi);
  await a.command("draft.add", beer);
  const before = countRows(server.databaseFile);
  const reply = await a.command<{ batchId: string; batchNo: number; totalWon: number; itemIds: string[] }>("confirm", {});
  assert.ok(reply.ok, JSON.stringify(reply));
  if (!reply.ok) return;
  assert.is(reply.data.batchNo, 1);
  assert.is(reply.data.totalWon, 18_000 + 5_000);
  const after = countRows(server.databaseFile);
  assert.is(after.order_batches - before.order_batches, 1);
  assert.is(after.order_items - before.order_items, 2);
  assert.is(after.kitchen_tickets - before.kitchen_tickets, 2, "one ticket per station");
  // BatchConfirmed + 2 × (KitchenTicketCreated + TicketPrintRequested)
  assert.is(after.outbox - before.outbox, 5);
  assert.is(after.session_events - before.session_events, 5);
  assert.is(after.audit_log - before.audit_log, 1);
  assert.is(after.processed_commands - before.processed_commands, 1);
  const audit = query<{ actor_id: string; action: string }>(server.databaseFile, "select actor_id, action from audit_log order by seq desc limit 1")[0];
  assert.equal(audit, { actor_id: "s1", action: "batch.confirm" });
  // The reply comes after the patch, so the state is already updated here.
  assert.is(a.state.draft.size, 0);
  assert.is(a.state.items.size, 2);
  assert.is(a.state.totalWon, 23_000);
  await a.leave();
});

t("N confirms in one session add up", async () => {
  const a = await openTable(await staff(server), "T4");
  let expected = 0;
  for (let n = 1; n <= 5; n++) {
    const reply = await a.command("confirm", { lines: [{ menuId: "soju", quantity: n }] });
    assert.ok(reply.ok, JSON.stringify(reply));
    expected += 5_000 * n;
  }
  await eventually(() => a.state.totalWon === expected, 3000, "total");
  const rows = query<{ total: number; batches: number }>(server.databaseFile,
    "select sum(total_won) as total, count(*) as batches from order_batches where session_id = ?", a.state.sessionId)[0];
  assert.equal(rows, { total: expected, batches: 5 });
  assert.is(a.state.batchCount, 5);
  await a.leave();
});

t("a replayed cmdId makes one batch and returns the first reply", async () => {
  const a = await openTable(await staff(server), "T5");
  const body = { lines: [{ menuId: "cola", quantity: 2 }] };
  const first = await a.command("confirm", body, "replay-cmd-0001");
  const second = await a.command("confirm", body, "replay-cmd-0001");
  assert.ok(first.ok);
  assert.equal(second, first);
  const batches = query(server.databaseFile, "select * from order_batches where session_id = ?", a.state.sessionId);
  assert.is(batches.length, 1);
  await a.leave();
  // Also with no reply cache at all (a restart): the reply comes from the database.
  await server.stop();
  server = await startServer({ dataDir: server.dataDir });
  const b = await (await staff(server)).joinTable("T5");
  const third = await b.command("confirm", body, "replay-cmd-0001");
  assert.equal(third, first);
  assert.is(query(server.databaseFile, "select * from order_batches where session_id = ?", b.state.sessionId).length, 1);
  await b.leave();
});

t("a quantity change is a cancel plus a new line and survives a restart", async () => {
  const a = await openTable(await staff(server), "T6");
  const confirmed = await a.command<{ itemIds: string[] }>("confirm", { lines: [kimchi] });
  assert.ok(confirmed.ok);
  if (!confirmed.ok) return;
  const itemId = confirmed.data.itemIds[0]!;
  const changed = await a.command<{ newItemId: string }>("item.changeQuantity", { itemId, quantity: 3, reason: "손님 요청" });
  assert.ok(changed.ok, JSON.stringify(changed));
  if (!changed.ok) return;
  await a.leave();
  await server.stop();
  server = await startServer({ dataDir: server.dataDir });
  const b = await (await staff(server)).joinTable("T6");
  const old = b.state.items.get(itemId);
  const fresh = b.state.items.get(changed.data.newItemId);
  assert.is(old.state, "cancelled");
  assert.is(old.replacedByItemId, changed.data.newItemId);
  assert.is(fresh.quantity, 3);
  assert.is(fresh.replacesItemId, itemId);
  assert.is(b.state.totalWon, 27_000);
  const history = query<{ type: string }>(server.databaseFile, "select type from session_events where session_id = ? order by seq", b.state.sessionId).map((r) => r.type);
  assert.ok(history.includes("ItemCancelled") && history.includes("ItemAdded"), history.join(","));
  await b.leave();
});

t("concurrent confirms from two terminals on one table are serialized into batches 1..N", async () => {
  const a = await openTable(await staff(server), "T7");
  const b = await (await staff(server, "s2", "2222")).joinTable("T7");
  const sends = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).command<{ batchNo: number }>("confirm", { lines: [{ menuId: "cider", quantity: 1 }] }));
  const replies = await Promise.all(sends);
  assert.ok(replies.every((r) => r.ok), JSON.stringify(replies.find((r) => !r.ok)));
  const numbers = replies.map((r) => (r.ok ? r.data.batchNo : 0)).sort((x, y) => x - y);
  assert.equal(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const seqs = query<{ seq: number }>(server.databaseFile, "select seq from session_events where session_id = ? order by seq", a.state.sessionId).map((r) => r.seq);
  assert.equal(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "one gap-free event stream");
  await a.leave();
  await b.leave();
});

t("a stale expectedVersion on an item changed since gets VERSION_CONFLICT and writes nothing", async () => {
  const a = await openTable(await staff(server), "T8");
  const confirmed = await a.command<{ itemIds: string[]; version: number }>("confirm", { lines: [{ menuId: "soju", quantity: 1 }, { menuId: "cola", quantity: 1 }] });
  assert.ok(confirmed.ok);
  if (!confirmed.ok) return;
  const seen = confirmed.data.version;
  const first = await a.command("item.cancel", { itemId: confirmed.data.itemIds[0], reason: "중복 입력", expectedVersion: seen });
  assert.ok(first.ok, JSON.stringify(first));
  const before = countRows(server.databaseFile);
  const stale = await a.command("item.cancel", { itemId: confirmed.data.itemIds[0], reason: "중복 입력", expectedVersion: seen });
  assert.is(!stale.ok && stale.error.code, "VERSION_CONFLICT");
  assert.equal(countRows(server.databaseFile), before);
  await a.leave();
});

t("a command decided on the previous guests' session is refused on the next one even when the version matches, and writes nothing", async () => {
  const a = await openTable(await staff(server), "T9");
  const first = await a.command<{ totalWon: number }>("confirm", { lines: [{ menuId: "soju", quantity: 1 }] });
  assert.ok(first.ok, JSON.stringify(first));
  const previous = a.state.sessionId as string;
  const paid = await a.command("payment.start", { method: "cash", amount: first.ok ? first.data.totalWon : 0, tendered: 50_000 });
  assert.ok(paid.ok, JSON.stringify(paid));
  await eventually(() => a.state.status === "closed", 3_000, "the paid session closes");
  assert.ok((await a.command("session.open", { guests: 2 })).ok);
  await eventually(() => a.state.sessionId !== previous && a.state.status === "open", 3_000, "the next guests' session");
  const next = a.state.sessionId as string;
  const version = a.state.version as number;
  const before = countRows(server.databaseFile);
  const stale = await a.command("confirm", { lines: [{ menuId: "soju", quantity: 1 }], expectedVersion: version, expectedSessionId: previous });
  assert.is(stale.ok ? "ok" : stale.error.code, "SESSION_CLOSED");
  assert.equal((stale as any).error.details, { rule: "other_session", expectedSessionId: previous, sessionId: next });
  assert.equal(countRows(server.databaseFile), before);
  const fresh = await a.command("confirm", { lines: [{ menuId: "soju", quantity: 1 }], expectedVersion: version, expectedSessionId: next });
  assert.ok(fresh.ok, JSON.stringify(fresh));
  await a.leave();
});

t.run();
