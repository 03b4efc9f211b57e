import { test } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import { initialSessionState } from "../../domain/index.ts";
import {
  CommitWriter, ThreadedWriter, WriteFailure, type CommitUnit, type Storage, type Writer, type WriteFailureReason,
} from "../../storage/index.ts";
import { beerLine, confirmDraft, openSession, stewLine } from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript, unitFor } from "./units.ts";

/**
 * Every way a write can fail reaches the submitter as a WriteFailure whose `reason` says why,
 * classified once in storage (never by the caller reading SQLite's message), for the in-thread
 * writer and for the worker-thread writer, whose failures cross a thread boundary as data.
 */
let storage: Storage;
let dispose: () => Promise<void>;
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
});
test.after.each(async () => {
  await dispose();
});

type Start = (storage: Storage, options?: { busyTimeoutMs?: number }) => Promise<Writer>;
const writers: readonly (readonly [string, Start])[] = [
  ["in-thread writer", async (s, options) => {
    if (options?.busyTimeoutMs !== undefined) s.sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    return new CommitWriter(s);
  }],
  ["writer thread", (s, options) => ThreadedWriter.start(s.file, options)],
];

/** The reason a submission failed with; fails the test if it committed or failed with anything but a WriteFailure. */
async function failureOf(submission: Promise<void>): Promise<WriteFailureReason> {
  const error = await submission.then(() => undefined, (e: unknown) => e);
  if (error === undefined) assert.unreachable("the write must fail");
  assert.instance(error, WriteFailure);
  return (error as WriteFailure).reason;
}

/** A stock-only unit, as a kitchen's menu.stock command writes it. */
function setStock(menuId: string, remaining: number | null, cmdId: string): CommitUnit {
  const at = "2026-12-01T12:00:00.000Z";
  return {
    context: { storeId: "store-1", tableId: "", sessionId: "" },
    baseVersion: 0,
    events: [],
    stock: [{ kind: "set", menuId, soldOut: false, remaining }],
    audit: [],
    command: { cmdId, actorId: "kitchen-1", type: "menu.stock", bodyHash: cmdId, reply: { cmdId, ok: true }, at },
  };
}

async function withWriter(start: Start, run: (writer: Writer) => Promise<void>, options?: { busyTimeoutMs?: number }): Promise<void> {
  const writer = await start(storage, options);
  try {
    await run(writer);
  } finally {
    await writer.close();
  }
}

for (const [name, start] of writers) {
  test(`${name}: a second unit at the same session version fails as a session_version conflict`, () => withWriter(start, async (writer) => {
    const table = new TableScript("t-1");
    await writer.submit(table.next(openSession({ sessionId: "s-1" })));
    const opened = table.state;
    await writer.submit(unitFor(confirmDraft([stewLine()], { batchId: "x" }), opened, "w1").unit);
    const reason = await failureOf(writer.submit(unitFor(confirmDraft([beerLine()], { batchId: "y" }), opened, "w2").unit));
    assert.equal(reason, { kind: "conflict", on: "session_version" });
    assert.is(count(storage, "order_batches"), 1);
    assert.is(count(storage, "processed_commands", "cmd_id = 'w2'"), 0);
  }));

  test(`${name}: a second live session on a table fails as a live_session conflict`, () => withWriter(start, async (writer) => {
    await writer.submit(unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit);
    const reason = await failureOf(writer.submit(unitFor(openSession({ sessionId: "s-2" }), initialSessionState(), "c-2").unit));
    assert.equal(reason, { kind: "conflict", on: "live_session" });
    assert.is(count(storage, "sessions"), 1);
    assert.is(count(storage, "session_events"), 1);
  }));

  test(`${name}: the same (store, actor, cmdId) twice fails as duplicate_command`, () => withWriter(start, async (writer) => {
    await writer.submit(unitFor(openSession({ sessionId: "s-a", tableId: "t-a" }), initialSessionState(), "dup", "store-1", "t-a").unit);
    const reason = await failureOf(writer.submit(unitFor(openSession({ sessionId: "s-b", tableId: "t-b" }), initialSessionState(), "dup", "store-1", "t-b").unit));
    assert.equal(reason, { kind: "duplicate_command" });
    assert.is(count(storage, "sessions"), 1);
  }));

  test(`${name}: a committed unit submitted again fails as duplicate_command, not as a conflict`, () => withWriter(start, async (writer) => {
    const unit = unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit;
    await writer.submit(unit);
    // Its events would also clash on (session_id, seq): the command key is checked first, so the
    // pipeline can answer a retry racing its original with the stored reply.
    assert.equal(await failureOf(writer.submit(unit)), { kind: "duplicate_command" });
  }));

  test(`${name}: a countdown without enough portions fails as stock_exhausted with the menu id`, () => withWriter(start, async (writer) => {
    const table = new TableScript("t-1");
    await writer.submit(table.next(openSession({ sessionId: "s-1" })));
    await writer.submit(setStock("kimchi-stew", 1, "stock-1"));
    const confirm = unitFor(confirmDraft([stewLine(2)], { batchId: "b1" }), table.state, "c-2").unit;
    const reason = await failureOf(writer.submit({ ...confirm, stock: [{ kind: "take", menuId: "kimchi-stew", quantity: 2 }] }));
    assert.equal(reason, { kind: "stock_exhausted", menuId: "kimchi-stew" });
    assert.is(count(storage, "order_batches"), 0);
    assert.equal(storage.sqlite.prepare("select remaining from menu_stock where menu_id = 'kimchi-stew'").pluck().get(), 1);
  }));

  test(`${name}: a flush that cannot take the write lock fails every unit in it as busy`, async () => {
    const other = new Database(storage.file);
    try {
      await withWriter(start, async (writer) => {
        other.exec("begin immediate");
        const units = ["a", "b"].map((t) => unitFor(openSession({ sessionId: `s-${t}`, tableId: t }), initialSessionState(), `c-${t}`, "store-1", t).unit);
        const reasons = await Promise.all(units.map((u) => failureOf(writer.submit(u))));
        assert.equal(reasons, [{ kind: "busy" }, { kind: "busy" }]);
        other.exec("rollback");
        assert.is(count(storage, "sessions"), 0);
      }, { busyTimeoutMs: 20 });
    } finally {
      if (other.inTransaction) other.exec("rollback");
      other.close();
    }
  });

  test(`${name}: a write refused for another reason fails as failed, with a detail for the log`, () => withWriter(start, async (writer) => {
    storage.sqlite.exec("create trigger refuse_audit before insert on audit_log begin select raise(abort, 'refused for the test'); end");
    const reason = await failureOf(writer.submit(unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit));
    assert.is(reason.kind, "failed");
    assert.type(reason.kind === "failed" ? reason.detail : undefined, "string");
    assert.is(count(storage, "sessions"), 0);
  }));

  test(`${name}: after close, units and system writes fail as closed; what came before close committed`, async () => {
    const writer = await start(storage);
    const before = writer.submit(unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit);
    await writer.close();
    await before;
    assert.is(count(storage, "sessions"), 1);
    const unit = unitFor(openSession({ sessionId: "s-2", tableId: "t-2" }), initialSessionState(), "c-2", "store-1", "t-2").unit;
    assert.equal(await failureOf(writer.submit(unit)), { kind: "closed" });
    assert.equal(await failureOf(writer.submitSystem([{ kind: "cursor", subscriber: "x", lastId: 1, at: "2026-12-01T12:00:00.000Z" }])), { kind: "closed" });
    assert.is(count(storage, "sessions"), 1);
  });

  test(`${name}: in one flush each unit gets its own kind and the good ones commit`, () => withWriter(start, async (writer) => {
    const table = new TableScript("t-1");
    await writer.submit(table.next(openSession({ sessionId: "s-1" })));
    await writer.submit(setStock("draft-beer", 0, "stock-1"));
    const opened = table.state;
    const results = await Promise.allSettled([
      writer.submit(unitFor(confirmDraft([stewLine()], { batchId: "x" }), opened, "w1").unit),
      writer.submit(unitFor(confirmDraft([stewLine()], { batchId: "y" }), opened, "w2").unit),
      writer.submit(unitFor(openSession({ sessionId: "s-2", tableId: "t-2" }), initialSessionState(), "w1", "store-1", "t-2").unit),
      writer.submit({ ...unitFor(openSession({ sessionId: "s-3", tableId: "t-3" }), initialSessionState(), "w3", "store-1", "t-3").unit, stock: [{ kind: "take", menuId: "draft-beer", quantity: 1 }] }),
      writer.submit(unitFor(openSession({ sessionId: "s-4", tableId: "t-4" }), initialSessionState(), "w4", "store-1", "t-4").unit),
    ]);
    assert.equal(results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason instanceof WriteFailure ? r.reason.reason : r.reason)), [
      "ok", { kind: "conflict", on: "session_version" }, { kind: "duplicate_command" }, { kind: "stock_exhausted", menuId: "draft-beer" }, "ok",
    ]);
  }));
}

test("in-thread writer: a unit flushed after its connection was closed fails as closed", async () => {
  const writer = new CommitWriter(storage);
  storage.sqlite.close(); // as at shutdown, when the connection goes before a straggler's flush
  assert.equal(await failureOf(writer.submit(unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit)), { kind: "closed" });
});

test("writer thread: a unit that cannot be sent to the thread fails alone as failed", async () => {
  const writer = await ThreadedWriter.start(storage.file);
  try {
    const bad = unitFor(openSession({ sessionId: "s-1" }), initialSessionState(), "c-1").unit;
    const good = unitFor(openSession({ sessionId: "s-2", tableId: "t-2" }), initialSessionState(), "c-2", "store-1", "t-2").unit;
    const unclonable = { ...bad, command: { ...bad.command, reply: { run: () => undefined } } };
    const [first, second] = await Promise.allSettled([failureOf(writer.submit(unclonable)), writer.submit(good)]);
    assert.is(first.status === "fulfilled" && first.value.kind, "failed");
    assert.is(second.status, "fulfilled");
    assert.is(count(storage, "sessions"), 1);
  } finally {
    await writer.close();
  }
});

test.run();
