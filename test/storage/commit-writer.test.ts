import { test } from "uvu";
import * as assert from "uvu/assert";
import { fold, initialSessionState } from "../../domain/index.ts";
import Database from "better-sqlite3";
import { CommitWriter, createSessionReader, openStorage, storageLimits, verifyAuditChain, WriteFailure, type Storage } from "../../storage/index.ts";
import {
  admin, beerLine, cancelItem, changeQuantity, closeSession, confirmDraft, eggRollLine, openSession, stewLine,
} from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript, unitFor } from "./units.ts";

let storage: Storage;
let dispose: () => Promise<void>;
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
});
test.after.each(async () => {
  await dispose();
});

const rows = (sql: string, ...params: unknown[]) => storage.sqlite.prepare(sql).all(...params) as Record<string, unknown>[];

test("the database runs in WAL mode with synchronous FULL and foreign keys on", () => {
  assert.is(storage.sqlite.pragma("journal_mode", { simple: true }), "wal");
  assert.is(storage.sqlite.pragma("synchronous", { simple: true }), 2);
  assert.is(storage.sqlite.pragma("foreign_keys", { simple: true }), 1);
});

test("an open and a confirm land in every table with the expected rows", async () => {
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  await writer.submit(table.next(openSession({ sessionId: "s-1" })));
  await writer.submit(table.next(confirmDraft([stewLine(2, ["egg"]), beerLine(1, "1000cc")], { batchId: "b1" })));

  assert.equal(rows("select seq, type, v, cmd_id from session_events where session_id = 's-1' order by seq"), [
    { seq: 1, type: "SessionOpened", v: 1, cmd_id: "t-1-cmd-1" },
    { seq: 2, type: "BatchConfirmed", v: 1, cmd_id: "t-1-cmd-2" },
    { seq: 3, type: "KitchenTicketCreated", v: 1, cmd_id: "t-1-cmd-2" },
    { seq: 4, type: "TicketPrintRequested", v: 1, cmd_id: "t-1-cmd-2" },
    { seq: 5, type: "KitchenTicketCreated", v: 1, cmd_id: "t-1-cmd-2" },
    { seq: 6, type: "TicketPrintRequested", v: 1, cmd_id: "t-1-cmd-2" },
  ]);
  assert.equal(rows("select session_id, store_id, table_id, status, version, guests, total_won, closed_at from sessions"), [
    { session_id: "s-1", store_id: "store-1", table_id: "t-1", status: "in_kitchen", version: 6, guests: 2, total_won: 29000, closed_at: null },
  ]);
  assert.equal(rows("select batch_id, session_id, batch_no, source, total_won, cmd_id from order_batches"), [
    { batch_id: "b1", session_id: "s-1", batch_no: 1, source: "pos", total_won: 29000, cmd_id: "t-1-cmd-2" },
  ]);
  assert.equal(rows("select item_id, batch_id, menu_id, station_id, quantity, unit_price_won, line_total_won, state, replaces_item_id from order_items order by item_id"), [
    { item_id: "b1-1", batch_id: "b1", menu_id: "kimchi-stew", station_id: "kitchen", quantity: 2, unit_price_won: 9000, line_total_won: 20000, state: "waiting", replaces_item_id: null },
    { item_id: "b1-2", batch_id: "b1", menu_id: "draft-beer", station_id: "bar", quantity: 1, unit_price_won: 5000, line_total_won: 9000, state: "waiting", replaces_item_id: null },
  ]);
  assert.equal(JSON.parse(rows("select options from order_items where item_id = 'b1-1'")[0]!.options as string).map((o: { id: string }) => o.id), ["mild", "egg"]);
  assert.equal(rows("select ticket_id, station_id, kind, item_ids, state, table_id from kitchen_tickets order by ticket_id"), [
    { ticket_id: "b1-bar", station_id: "bar", kind: "new", item_ids: '["b1-2"]', state: "waiting", table_id: "t-1" },
    { ticket_id: "b1-kitchen", station_id: "kitchen", kind: "new", item_ids: '["b1-1"]', state: "waiting", table_id: "t-1" },
  ]);
  assert.equal(rows("select event_id, topic from outbox order by id").map((r) => [r.event_id, r.topic]), [
    ["s-1:1", "SessionOpened"], ["s-1:2", "BatchConfirmed"], ["s-1:3", "KitchenTicketCreated"],
    ["s-1:4", "TicketPrintRequested"], ["s-1:5", "KitchenTicketCreated"], ["s-1:6", "TicketPrintRequested"],
  ]);
  assert.equal(rows("select seq, action, cmd_id from audit_log order by seq"), [
    { seq: 1, action: "OpenSession", cmd_id: "t-1-cmd-1" },
    { seq: 2, action: "ConfirmDraft", cmd_id: "t-1-cmd-2" },
  ]);
  assert.equal(rows("select cmd_id, command_type from processed_commands order by cmd_id"), [
    { cmd_id: "t-1-cmd-1", command_type: "OpenSession" },
    { cmd_id: "t-1-cmd-2", command_type: "ConfirmDraft" },
  ]);
  assert.ok(verifyAuditChain(storage.sqlite).ok);
});

test("the session reader rebuilds the same state and answers the stored reply", async () => {
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  await writer.submit(table.next(openSession({ sessionId: "s-1" })));
  const confirm = table.next(confirmDraft([stewLine(), eggRollLine(2)]));
  await writer.submit(confirm);
  const reader = createSessionReader(storage);
  assert.is(reader.liveSessionId("store-1", "t-1"), "s-1");
  assert.is(reader.liveSessionId("store-1", "t-2"), undefined);
  const rebuilt = fold(reader.events("s-1"), initialSessionState());
  assert.equal({ ...rebuilt, items: [...rebuilt.items.values()] }, { ...table.state, items: [...table.state.items.values()] });
  const actorId = confirm.command.actorId;
  assert.equal(reader.processedCommand({ storeId: "store-1", actorId, cmdId: "t-1-cmd-2" }), {
    cmdId: "t-1-cmd-2", commandType: "ConfirmDraft", bodyHash: confirm.command.bodyHash, reply: confirm.command.reply,
  });
  assert.is(reader.processedCommand({ storeId: "store-1", actorId, cmdId: "nope" }), undefined);
  // Keys are scoped: the same cmdId from another principal or store is not this command.
  assert.is(reader.processedCommand({ storeId: "store-1", actorId: `${actorId}-other`, cmdId: "t-1-cmd-2" }), undefined);
  assert.is(reader.processedCommand({ storeId: "store-2", actorId, cmdId: "t-1-cmd-2" }), undefined);
});

test("a cancel and a quantity change update the item rows and add cancel and change tickets", async () => {
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  for (const command of [
    openSession({ sessionId: "s-1" }),
    confirmDraft([stewLine(2), beerLine()], { batchId: "b1" }),
    cancelItem("b1-2", { reason: "품절" }),
    changeQuantity("b1-1", 3, "n1"),
  ]) await writer.submit(table.next(command));

  assert.equal(rows("select item_id, quantity, line_total_won, state, cancel_reason, replaces_item_id, replaced_by_item_id, cancelled_at is not null as has_cancelled_at from order_items order by created_at, item_id"), [
    { item_id: "b1-1", quantity: 2, line_total_won: 18000, state: "cancelled", cancel_reason: "수량 변경", replaces_item_id: null, replaced_by_item_id: "n1", has_cancelled_at: 1 },
    { item_id: "b1-2", quantity: 1, line_total_won: 5000, state: "cancelled", cancel_reason: "품절", replaces_item_id: null, replaced_by_item_id: null, has_cancelled_at: 1 },
    { item_id: "n1", quantity: 3, line_total_won: 27000, state: "waiting", cancel_reason: null, replaces_item_id: "b1-1", replaced_by_item_id: null, has_cancelled_at: 0 },
  ]);
  assert.equal(rows("select kind, item_ids from kitchen_tickets order by rowid").map((r) => [r.kind, r.item_ids]), [
    ["new", '["b1-1"]'], ["new", '["b1-2"]'], ["cancel", '["b1-2"]'], ["change", '["b1-1","n1"]'],
  ]);
  assert.equal(rows("select version, total_won from sessions"), [{ version: table.state.version, total_won: 27000 }]);
  assert.is(count(storage, "session_events"), table.state.version);
});

test("closing the session stamps closed_at and frees the table for a new session", async () => {
  const writer = new CommitWriter(storage);
  const first = new TableScript("t-1");
  await writer.submit(first.next(openSession({ sessionId: "s-1" })));
  await writer.submit(first.next(confirmDraft([stewLine()])));
  await writer.submit(first.next(closeSession({ actor: admin, reason: "마감" })));
  assert.equal(rows("select status, closed_at is not null as closed from sessions"), [{ status: "closed", closed: 1 }]);
  // The room starts a fresh stream for the next session on the table.
  await writer.submit(unitFor(openSession({ sessionId: "s-2" }), initialSessionState(), "again-1").unit);
  assert.is(createSessionReader(storage).liveSessionId("store-1", "t-1"), "s-2");
  assert.is(count(storage, "sessions"), 2);
});

test("a second live session on the same table is refused by the database", async () => {
  const writer = new CommitWriter(storage);
  await writer.submit(unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit);
  const error = await writer.submit(unitFor(openSession({ sessionId: "s-2" }), initialSessionState(), "c-2").unit).then(() => undefined, (e: unknown) => e);
  assert.instance(error, WriteFailure);
  assert.equal((error as WriteFailure).reason, { kind: "conflict", on: "live_session" });
  assert.is(count(storage, "sessions"), 1);
  assert.is(count(storage, "session_events"), 1);
  assert.is(count(storage, "processed_commands"), 1);
});

test("units submitted in the same tick share one commit and all land", async () => {
  const writer = new CommitWriter(storage);
  const tables = Array.from({ length: 20 }, (_, i) => new TableScript(`t-${i}`));
  const units = tables.flatMap((t, i) => [
    t.next(openSession({ sessionId: `s-${i}`, tableId: t.tableId })),
    t.next(confirmDraft([stewLine(), beerLine()], { batchId: `b-${i}` })),
  ]);
  let notified = 0;
  writer.onCommitted(() => (notified += 1));
  await Promise.all(units.map((u) => writer.submit(u)));
  assert.is(writer.stats.commits, 1);
  assert.ok(writer.stats.commits < units.length);
  assert.is(writer.stats.units, 40);
  assert.is(writer.stats.unitsPerCommitMax, 40);
  assert.is(notified, 1);
  assert.is(count(storage, "sessions", "status = 'in_kitchen'"), 20);
  assert.is(count(storage, "session_events"), 20 * 6);
  assert.is(count(storage, "outbox"), 20 * 6);
  assert.is(count(storage, "order_batches"), 20);
  assert.is(count(storage, "order_items"), 40);
  assert.is(count(storage, "kitchen_tickets"), 40);
  assert.is(count(storage, "processed_commands"), 40);
  assert.is(count(storage, "audit_log"), 40);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 40 });
});

test("a unit reusing a cmdId fails alone while the rest of the same flush commits", async () => {
  const writer = new CommitWriter(storage);
  const a = unitFor(openSession({ sessionId: "s-a", tableId: "t-a" }), initialSessionState(), "dup", "store-1", "t-a").unit;
  const b = unitFor(openSession({ sessionId: "s-b", tableId: "t-b" }), initialSessionState(), "dup", "store-1", "t-b").unit;
  const c = unitFor(openSession({ sessionId: "s-c", tableId: "t-c" }), initialSessionState(), "c", "store-1", "t-c").unit;
  const results = await Promise.allSettled([a, b, c].map((u) => writer.submit(u)));
  assert.equal(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.equal(((results[1] as PromiseRejectedResult).reason as WriteFailure).reason, { kind: "duplicate_command" });
  assert.is(writer.stats.commits, 1);
  assert.equal(rows("select session_id from sessions order by session_id").map((r) => r.session_id), ["s-a", "s-c"]);
  assert.is(count(storage, "session_events"), 2);
  assert.is(count(storage, "outbox"), 2);
  assert.is(count(storage, "processed_commands"), 2);
  assert.is(count(storage, "audit_log"), 2);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 2 });
});

test("a second writer at the same session version fails alone on (session_id, seq) while the others commit", async () => {
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  await writer.submit(table.next(openSession({ sessionId: "s-1" })));
  const opened = table.state;
  const first = unitFor(confirmDraft([stewLine()], { batchId: "x" }), opened, "w1").unit;
  const second = unitFor(confirmDraft([beerLine()], { batchId: "y" }), opened, "w2").unit; // same base version
  const other = unitFor(openSession({ sessionId: "s-2", tableId: "t-2" }), initialSessionState(), "o1", "store-1", "t-2").unit;
  const results = await Promise.allSettled([first, second, other].map((u) => writer.submit(u)));
  assert.equal(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.equal(((results[1] as PromiseRejectedResult).reason as WriteFailure).reason, { kind: "conflict", on: "session_version" });
  assert.is(writer.stats.commits, 2);
  assert.is(count(storage, "session_events", "session_id = 's-1'"), 1 + 3);
  assert.is(count(storage, "session_events", "session_id = 's-2'"), 1);
  assert.equal(rows("select batch_id from order_batches").map((r) => r.batch_id), ["x"]);
  assert.is(count(storage, "order_items"), 1);
  assert.is(count(storage, "kitchen_tickets"), 1);
  assert.is(count(storage, "outbox"), 1 + 3 + 1);
  assert.equal(rows("select cmd_id from processed_commands order by cmd_id").map((r) => r.cmd_id), ["o1", "t-1-cmd-1", "w1"]);
  assert.equal(rows("select version, total_won from sessions where session_id = 's-1'"), [{ version: 4, total_won: 9000 }]);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 3 });
});

test("more units than one commit may hold are split over several commits and all land", async () => {
  const writer = new CommitWriter(storage);
  const total = storageLimits.unitsPerCommitMax + 44;
  const units = Array.from({ length: total }, (_, i) =>
    unitFor(openSession({ sessionId: `s-${i}`, tableId: `t-${i}` }), initialSessionState(), `c-${i}`, "store-1", `t-${i}`).unit);
  await Promise.all(units.map((u) => writer.submit(u)));
  assert.equal(writer.stats, { commits: 2, units: total, unitsPerCommitMax: storageLimits.unitsPerCommitMax, systemOnlyCommits: 0 });
  assert.is(count(storage, "sessions"), total);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: total });
});

test("commits that carry only system bookkeeping are counted apart (the bench splits confirm-path commits from print bookkeeping)", async () => {
  const writer = new CommitWriter(storage);
  const cursor = (lastId: number) => [{ kind: "cursor", subscriber: "kds", lastId, at: "2026-12-03T12:00:00.000Z" }] as const;
  await writer.submitSystem(cursor(1));
  const { unit } = unitFor(openSession({ sessionId: "s-sys", tableId: "t-sys" }), initialSessionState(), "c-sys", "store-1", "t-sys");
  await Promise.all([writer.submit(unit), writer.submitSystem(cursor(2))]);
  assert.equal({ commits: writer.stats.commits, systemOnlyCommits: writer.stats.systemOnlyCommits }, { commits: 2, systemOnlyCommits: 1 });
});

test("a flush that cannot take the write lock rejects every unit in it and writes nothing", async () => {
  const writer = new CommitWriter(storage);
  storage.sqlite.pragma("busy_timeout = 20");
  const other = new Database(storage.file);
  other.exec("begin immediate");
  const units = ["a", "b"].map((t) => unitFor(openSession({ sessionId: `s-${t}`, tableId: t }), initialSessionState(), `c-${t}`, "store-1", t).unit);
  try {
    const results = await Promise.allSettled(units.map((u) => writer.submit(u)));
    assert.equal(results.map((r) => r.status), ["rejected", "rejected"]);
    assert.match(String((results[0] as PromiseRejectedResult).reason), /locked|busy/i);
    assert.is(writer.stats.commits, 0);
  } finally {
    other.exec("rollback");
    other.close();
  }
  assert.is(count(storage, "sessions"), 0);
  assert.is(count(storage, "processed_commands"), 0);
  await Promise.all(units.map((u) => writer.submit(u)));
  assert.is(count(storage, "sessions"), 2);
});

test("committed rows survive closing and reopening the file, and migrations run again harmlessly", async () => {
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  await writer.submit(table.next(openSession({ sessionId: "s-1" })));
  await writer.submit(table.next(confirmDraft([stewLine()])));
  await storage.close();
  const reopened = await openStorage(storage.file);
  try {
    assert.is(count(reopened, "session_events"), 4);
    assert.is(createSessionReader(reopened).liveSessionId("store-1", "t-1"), "s-1");
    assert.equal(verifyAuditChain(reopened.sqlite), { ok: true, rows: 2 });
  } finally {
    await reopened.close();
  }
});

test.run();
