import { test } from "uvu";
import * as assert from "uvu/assert";
import { CommitWriter, createOutboxPruner, type Storage } from "../../storage/index.ts";
import { Retention } from "../../server/retention.ts";
import { createLogger } from "../../server/logger.ts";
import { count, openTempStorage } from "./units.ts";

const dayMs = 24 * 60 * 60 * 1000;
const nowMs = Date.parse("2026-12-03T12:00:00.000Z");
const clock = { nowMs: () => nowMs };
const log = createLogger("silent");
const daysAgo = (days: number) => new Date(nowMs - days * dayMs).toISOString();

let storage: Storage;
let dispose: () => Promise<void>;
let writer: CommitWriter;

test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
  writer = new CommitWriter(storage);
});
test.after.each(async () => {
  await writer.close();
  await dispose();
});

function addCommands(n: number, createdAt: string, prefix: string): void {
  const insert = storage.sqlite.prepare(
    "insert into processed_commands (store_id, actor_id, cmd_id, command_type, body_hash, reply, created_at) values ('demo', 's1', ?, 'confirm', 'h', '{}', ?)",
  );
  for (let i = 0; i < n; i++) insert.run(`${prefix}-${i}`, createdAt);
}

/** Returns the ids of the new outbox rows. */
function addOutbox(n: number, createdAt: string): number[] {
  const insert = storage.sqlite.prepare("insert into outbox (event_id, store_id, session_id, topic, payload, created_at) values (?, 'demo', 's1', 'BatchConfirmed', '{}', ?)");
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(Number(insert.run(`s1:${createdAt}:${i}`, createdAt).lastInsertRowid));
  return ids;
}

function saveCursor(subscriber: string, lastId: number): void {
  storage.sqlite.prepare("insert into outbox_cursors (subscriber, last_id, updated_at) values (?, ?, 'x') on conflict (subscriber) do update set last_id = excluded.last_id").run(subscriber, lastId);
}

function retention(subscribers: string[], rowsPerWrite = 5_000): Retention {
  return new Retention({ writer, storage, clock, log, days: 30, rowsPerWrite, subscribers: () => subscribers });
}

test("old processed_commands are pruned; those inside the window are kept", async () => {
  addCommands(7, daysAgo(31), "old");
  addCommands(4, daysAgo(29), "recent");
  const writes = await retention([]).runOnce();
  assert.is(writes, 1);
  assert.is(count(storage, "processed_commands", "cmd_id like 'old-%'"), 0);
  assert.is(count(storage, "processed_commands", "cmd_id like 'recent-%'"), 4);
});

test("outbox rows go only when every saved cursor has passed them and they are older than the window", async () => {
  const old = addOutbox(10, daysAgo(40)); // ids 1..10
  const recent = addOutbox(3, daysAgo(1)); // ids 11..13
  saveCursor("printing", 13);
  saveCursor("jsonl:events.jsonl", 6); // behind: rows 7..10 are not delivered to it yet
  await retention(["printing"]).runOnce();
  const left = (storage.sqlite.prepare("select id from outbox order by id").pluck().all() as number[]);
  assert.equal(left, [...old.slice(6), ...recent], "undelivered (7..10) and recent (11..13) rows stay");
  saveCursor("jsonl:events.jsonl", 13);
  await retention(["printing"]).runOnce();
  assert.equal(storage.sqlite.prepare("select id from outbox order by id").pluck().all(), recent, "recent rows stay even when delivered");
});

test("a registered subscriber without a saved cursor, or no cursor at all, keeps every outbox row", async () => {
  addOutbox(5, daysAgo(40));
  await retention([]).runOnce();
  assert.is(count(storage, "outbox"), 5, "no subscriber has confirmed anything");
  saveCursor("printing", 5);
  await retention(["printing", "jsonl:new.jsonl"]).runOnce();
  assert.is(count(storage, "outbox"), 5, "the new sink has not received them");
  await retention(["printing"]).runOnce();
  assert.is(count(storage, "outbox"), 0);
});

test("a backlog is pruned in bounded writes", async () => {
  addCommands(25, daysAgo(60), "old");
  addOutbox(12, daysAgo(60));
  saveCursor("printing", 12);
  const pruner = createOutboxPruner(storage);
  const before = writer.stats.commits;
  const writes = await retention(["printing"], 10).runOnce();
  assert.is(writes, 4, "37 rows in writes of at most 10");
  assert.is(writer.stats.commits - before, 4, "one commit per chunk");
  assert.is(count(storage, "processed_commands"), 0);
  assert.is(count(storage, "outbox"), 0);
  // And directly: one apply never deletes more than its limit.
  addCommands(8, daysAgo(60), "again");
  addOutbox(8, daysAgo(60));
  saveCursor("printing", 100);
  const cutoff = daysAgo(30);
  const apply = storage.sqlite.transaction(() => pruner.apply({ kind: "prune", commandsBefore: cutoff, outboxBefore: cutoff, subscribers: ["printing"], limit: 5 }));
  const first = apply();
  assert.equal(first, { commands: 5, outbox: 0 });
  const second = apply();
  assert.equal(second, { commands: 3, outbox: 2 });
  assert.ok(pruner.pending({ commandsBefore: cutoff, outboxBefore: cutoff, subscribers: ["printing"] }));
  assert.equal(apply(), { commands: 0, outbox: 5 });
  assert.ok(pruner.pending({ commandsBefore: cutoff, outboxBefore: cutoff, subscribers: ["printing"] }));
  assert.equal(apply(), { commands: 0, outbox: 1 });
  assert.not.ok(pruner.pending({ commandsBefore: cutoff, outboxBefore: cutoff, subscribers: ["printing"] }));
});

test("start runs at once and on a timer; stop clears the timer", async () => {
  addCommands(3, daysAgo(31), "old");
  const r = new Retention({ writer, storage, clock, log, days: 30, everyMs: 20, subscribers: () => [] });
  r.start();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.is(count(storage, "processed_commands"), 0, "pruned at start");
  addCommands(2, daysAgo(31), "later");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.is(count(storage, "processed_commands"), 0, "pruned by the timer");
  await r.stop();
  addCommands(2, daysAgo(31), "after-stop");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.is(count(storage, "processed_commands"), 2, "nothing runs after stop");
});

test.run();
