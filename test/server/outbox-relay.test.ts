import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { createOutboxStore, openStorage, type OutboxRow, type Storage } from "../../storage/index.ts";
import { OutboxRelay, relayLimits, type OutboxSubscriber } from "../../server/outbox-relay.ts";
import { createLogger } from "../../server/logger.ts";
import { systemClock } from "../../server/clock.ts";
import { eventually, tempDir } from "../support/server-process.ts";

const t = suite("outbox relay: at least once, in order, per subscriber");
const log = createLogger("silent");
let storage: Storage;
let file: string;

t.before.each(async () => {
  file = join(tempDir("relay"), "relay.sqlite");
  storage = await openStorage(file);
});
t.after.each(async () => {
  await storage.close();
});

function insertRows(count: number, topic = "BatchConfirmed"): void {
  const insert = storage.sqlite.prepare("insert into outbox (event_id, store_id, session_id, topic, payload, created_at) values (?, 'demo', 's1', ?, '{}', 'now')");
  const base = storage.sqlite.prepare("select count(*) from outbox").pluck().get() as number;
  for (let i = 1; i <= count; i++) insert.run(`s1:${base + i}`, topic);
}

function recorder(name: string, failFirst = 0, topics?: ReadonlySet<string>): OutboxSubscriber & { seen: string[]; failures: number } {
  const sub = {
    name,
    topics,
    seen: [] as string[],
    failures: 0,
    deliver(row: OutboxRow) {
      if (sub.failures < failFirst) {
        sub.failures += 1;
        throw new Error("subscriber down");
      }
      sub.seen.push(row.eventId);
    },
  };
  return sub;
}

t("delivers every row in outbox order and saves the cursor", async () => {
  insertRows(250);
  const relay = new OutboxRelay(createOutboxStore(storage), systemClock, log);
  const sub = recorder("kds");
  relay.add(sub);
  relay.start();
  await eventually(() => sub.seen.length === 250, 5000, "all rows");
  await relay.stop();
  assert.equal(sub.seen, Array.from({ length: 250 }, (_, i) => `s1:${i + 1}`));
  assert.is(createOutboxStore(storage).cursor("kds"), 250);
});

t("a failing subscriber is retried with back-off and gets the row again, without holding up another", async () => {
  insertRows(5);
  const relay = new OutboxRelay(createOutboxStore(storage), systemClock, log);
  const flaky = recorder("printer", 2);
  const steady = recorder("kds");
  relay.add(flaky);
  relay.add(steady);
  relay.start();
  await eventually(() => steady.seen.length === 5, 2000, "steady subscriber");
  assert.ok(flaky.seen.length < 5, "flaky one is still behind while it fails");
  await eventually(() => flaky.seen.length === 5, relayLimits.retryBaseMs * 8, "flaky subscriber after retries");
  await relay.stop();
  assert.is(flaky.failures, 2);
  assert.equal(flaky.seen, steady.seen);
});

t("after a restart delivery resumes after the saved cursor; unsaved progress is redelivered, never skipped", async () => {
  insertRows(10);
  const first = new OutboxRelay(createOutboxStore(storage), systemClock, log);
  const before = recorder("sink");
  first.add(before);
  first.start();
  await eventually(() => before.seen.length === 10, 2000, "first pass");
  await first.stop();
  insertRows(3);
  const second = new OutboxRelay(createOutboxStore(storage), systemClock, log);
  const after = recorder("sink");
  second.add(after);
  second.start();
  await eventually(() => after.seen.length === 3, 2000, "second pass");
  await second.stop();
  assert.equal(after.seen, ["s1:11", "s1:12", "s1:13"]);
});

t("topic filters skip other rows but still move past them", async () => {
  insertRows(2, "SessionOpened");
  insertRows(2, "TicketPrintRequested");
  const relay = new OutboxRelay(createOutboxStore(storage), systemClock, log);
  const printer = recorder("printer", 0, new Set(["TicketPrintRequested"]));
  relay.add(printer);
  relay.start();
  await eventually(() => printer.seen.length === 2, 2000, "printer rows");
  await relay.stop();
  assert.equal(printer.seen, ["s1:3", "s1:4"]);
  assert.is(createOutboxStore(storage).cursor("printer"), 4);
});

t("lanes share the page they both read, and rows committed between wakes still reach every lane", async () => {
  const store = createOutboxStore(storage);
  let reads = 0;
  const counting = { ...store, page: (afterId: number, limit: number) => (reads++, store.page(afterId, limit)) };
  const relay = new OutboxRelay(counting, systemClock, log);
  const kds = recorder("kds");
  const printing = recorder("printing");
  relay.add(kds);
  relay.add(printing);
  const rounds = 10;
  for (let round = 1; round <= rounds; round++) {
    insertRows(3);
    relay.wake();
    await eventually(() => kds.seen.length === round * 3 && printing.seen.length === round * 3, 5000, `round ${round}`);
  }
  await relay.stop();
  const expected = Array.from({ length: rounds * 3 }, (_, i) => `s1:${i + 1}`);
  assert.equal(kds.seen, expected);
  assert.equal(printing.seen, expected);
  // Each round: one shared page of rows, then each lane's own empty read at the head (unshared: 4).
  assert.ok(reads <= 3.5 * rounds + 3, `pages read: ${reads}`);
});

t.run();
