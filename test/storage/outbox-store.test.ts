import { test } from "uvu";
import * as assert from "uvu/assert";
import { CommitWriter, createOutboxStore, type Storage } from "../../storage/index.ts";
import { beerLine, cancelItem, confirmDraft, openSession, stewLine } from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript } from "./units.ts";

let storage: Storage;
let dispose: () => Promise<void>;
let tableA: TableScript;
let tableB: TableScript;

/** Two tables writing interleaved: A open (1), B open (2), A confirm (3-7), B confirm (8-10), A cancel (11-13). */
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
  const writer = new CommitWriter(storage);
  tableA = new TableScript("t-a");
  tableB = new TableScript("t-b");
  await writer.submit(tableA.next(openSession({ sessionId: "s-a", tableId: "t-a" })));
  await writer.submit(tableB.next(openSession({ sessionId: "s-b", tableId: "t-b" })));
  await writer.submit(tableA.next(confirmDraft([stewLine(), beerLine()], { batchId: "a1" })));
  await writer.submit(tableB.next(confirmDraft([stewLine(2)], { batchId: "b1" })));
  await writer.submit(tableA.next(cancelItem("a1-2")));
});
test.after.each(async () => {
  await dispose();
});

test("page returns every row in id order after the cursor, within the limit", () => {
  const outbox = createOutboxStore(storage);
  assert.is(outbox.headId(), 13);
  assert.equal(outbox.page(0, 100).map((r) => r.id), Array.from({ length: 13 }, (_, i) => i + 1));
  assert.equal(outbox.page(5, 3).map((r) => r.id), [6, 7, 8]);
  assert.equal(outbox.page(13, 100), []);
  assert.equal(outbox.page(12, 100).map((r) => r.id), [13]);
});

test("paging page after page visits each row exactly once", () => {
  const outbox = createOutboxStore(storage);
  const seen: number[] = [];
  for (let after = 0, page = outbox.page(after, 4); page.length > 0; page = outbox.page(after, 4)) {
    seen.push(...page.map((r) => r.id));
    after = page.at(-1)!.id;
  }
  assert.equal(seen, Array.from({ length: 13 }, (_, i) => i + 1));
});

test("event ids are <sessionId>:<seq> in each session's own order", () => {
  const rows = createOutboxStore(storage).page(0, 100);
  assert.equal(rows.map((r) => r.eventId), [
    "s-a:1", "s-b:1", "s-a:2", "s-a:3", "s-a:4", "s-a:5", "s-a:6", "s-b:2", "s-b:3", "s-b:4", "s-a:7", "s-a:8", "s-a:9",
  ]);
  assert.ok(rows.every((r) => r.eventId.startsWith(`${r.sessionId}:`)));
  assert.is(new Set(rows.map((r) => r.eventId)).size, rows.length);
});

test("a row carries its topic, store, session and the event as parsed payload", () => {
  const [third] = createOutboxStore(storage).page(2, 1);
  assert.equal(
    { topic: third?.topic, storeId: third?.storeId, sessionId: third?.sessionId, type: (third?.payload as { type: string }).type },
    { topic: "BatchConfirmed", storeId: "store-1", sessionId: "s-a", type: "BatchConfirmed" },
  );
  assert.is((third?.payload as { total: number }).total, 14000);
  assert.is(third?.createdAt, (third?.payload as { at: string }).at);
});

test("a subscriber without a cursor starts at zero", () => {
  assert.is(createOutboxStore(storage).cursor("printer:kitchen"), 0);
});

test("markDelivered moves a cursor forward and never backwards", () => {
  const outbox = createOutboxStore(storage);
  outbox.markDelivered("printer:kitchen", 7, "2026-11-26T12:00:01.000Z");
  assert.is(outbox.cursor("printer:kitchen"), 7);
  outbox.markDelivered("printer:kitchen", 3, "2026-11-26T12:00:02.000Z");
  assert.is(outbox.cursor("printer:kitchen"), 7);
  outbox.markDelivered("printer:kitchen", 0, "2026-11-26T12:00:03.000Z");
  assert.is(outbox.cursor("printer:kitchen"), 7);
  outbox.markDelivered("printer:kitchen", 10, "2026-11-26T12:00:04.000Z");
  assert.is(outbox.cursor("printer:kitchen"), 10);
  assert.equal(outbox.page(outbox.cursor("printer:kitchen"), 100).map((r) => r.id), [11, 12, 13]);
});

test("cursors of different subscribers move independently", () => {
  const outbox = createOutboxStore(storage);
  outbox.markDelivered("printer:kitchen", 9, "2026-11-26T12:00:01.000Z");
  outbox.markDelivered("kds", 2, "2026-11-26T12:00:01.000Z");
  assert.equal([outbox.cursor("printer:kitchen"), outbox.cursor("kds"), outbox.cursor("pos")], [9, 2, 0]);
  assert.is(count(storage, "outbox_cursors"), 2);
});

test("new commits append after the head with higher ids", async () => {
  const outbox = createOutboxStore(storage);
  const head = outbox.headId();
  await new CommitWriter(storage).submit(tableB.next(cancelItem("b1-1")));
  const fresh = outbox.page(head, 100);
  assert.equal(fresh.map((r) => [r.id, r.eventId, r.topic]), [
    [14, "s-b:5", "ItemCancelled"], [15, "s-b:6", "KitchenTicketCreated"], [16, "s-b:7", "TicketPrintRequested"],
  ]);
  assert.is(outbox.headId(), 16);
});

test.run();
