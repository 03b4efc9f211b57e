import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { createOutboxStore, openStorage, type OutboxRow, type Storage } from "../../storage/index.ts";
import { OutboxRelay, relayLimits } from "../../server/outbox-relay.ts";
import type { Logger } from "../../server/logger.ts";
import { systemClock } from "../../server/clock.ts";
import { eventually, tempDir } from "../support/server-process.ts";

const t = suite("outbox relay: a subscriber that keeps failing is parked");
let storage: Storage;

t.before.each(async () => {
  storage = await openStorage(join(tempDir("relay-park"), "relay.sqlite"));
});
t.after.each(async () => {
  await storage.close();
});

function insertRows(count: number): void {
  const insert = storage.sqlite.prepare("insert into outbox (event_id, store_id, session_id, topic, payload, created_at) values (?, 'demo', 's1', 'BatchConfirmed', '{}', 'now')");
  const base = storage.sqlite.prepare("select count(*) from outbox").pluck().get() as number;
  for (let i = 1; i <= count; i++) insert.run(`s1:${base + i}`);
}

function capturingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const noop = () => undefined;
  return { errors, debug: noop, info: noop, warn: noop, error: (message: string) => void errors.push(message) } as unknown as Logger & { errors: string[] };
}

/** Fails while `down` is set; records what it received. */
function sink(name: string) {
  const sub = {
    name,
    down: true,
    attempts: 0,
    seen: [] as string[],
    deliver(row: OutboxRow) {
      sub.attempts += 1;
      if (sub.down) throw new Error("sink unreachable: ECONNREFUSED");
      sub.seen.push(row.eventId);
    },
  };
  return sub;
}

t("after N consecutive failures the lane is parked: no more retries, an error log, status parked", async () => {
  insertRows(5);
  const log = capturingLog();
  const relay = new OutboxRelay(createOutboxStore(storage), systemClock, log, undefined, { parkAfterFailures: 3 });
  const broken = sink("webhook");
  const steady = sink("kds");
  steady.down = false;
  relay.add(broken);
  relay.add(steady);
  relay.start();
  await eventually(() => relay.status().find((s) => s.name === "webhook")?.parked === true, relayLimits.retryBaseMs * 10, "parked");
  assert.is(broken.attempts, 3, "tried exactly N times");
  assert.is(log.errors.length, 1);
  assert.match(log.errors[0]!, "webhook");
  assert.match(log.errors[0]!, "ECONNREFUSED");
  assert.equal(relay.status().find((s) => s.name === "webhook"), { name: "webhook", deliveredId: 0, failures: 3, parked: true });
  assert.equal(relay.status().find((s) => s.name === "kds")?.parked, false);
  assert.is(steady.seen.length, 5, "the others keep going");
  // Parked means parked: neither the poll nor new commits wake it.
  insertRows(1);
  relay.wake();
  await new Promise((resolve) => setTimeout(resolve, relayLimits.pollEveryMs + relayLimits.retryBaseMs * 4));
  assert.is(broken.attempts, 3, "no retry while parked");
  await relay.stop();
});

t("unpark resumes from the saved cursor; a restart resumes a parked lane too", async () => {
  insertRows(4);
  const relay = new OutboxRelay(createOutboxStore(storage), systemClock, capturingLog(), undefined, { parkAfterFailures: 2 });
  const flaky = sink("webhook");
  flaky.down = false;
  relay.add(flaky);
  relay.start();
  await eventually(() => flaky.seen.length === 4, 2000, "first rows");
  // Now it breaks: the next rows fail until parked.
  flaky.down = true;
  insertRows(1);
  relay.wake();
  await eventually(() => relay.status()[0]!.parked, relayLimits.retryBaseMs * 10, "parked");
  assert.is(createOutboxStore(storage).cursor("webhook"), 4, "cursor saved up to the last delivered row");
  assert.not.ok(relay.unpark("nobody"), "unknown names are not parked");
  flaky.down = false;
  assert.ok(relay.unpark("webhook"));
  await eventually(() => flaky.seen.length === 5, 2000, "delivered after unpark");
  assert.equal(flaky.seen, ["s1:1", "s1:2", "s1:3", "s1:4", "s1:5"]);
  assert.equal(relay.status()[0], { name: "webhook", deliveredId: 5, failures: 0, parked: false });
  assert.not.ok(relay.unpark("webhook"), "not parked any more");

  // Parked again, then a fresh relay (a restart) picks up from the saved cursor.
  flaky.down = true;
  insertRows(2);
  relay.wake();
  await eventually(() => relay.status()[0]!.parked, relayLimits.retryBaseMs * 10, "parked again");
  await relay.stop();
  flaky.down = false;
  const restarted = new OutboxRelay(createOutboxStore(storage), systemClock, capturingLog(), undefined, { parkAfterFailures: 2 });
  restarted.add(flaky);
  restarted.start();
  await eventually(() => flaky.seen.length === 7, 2000, "delivered after restart");
  assert.equal(flaky.seen.slice(5), ["s1:6", "s1:7"]);
  await restarted.stop();
});

t("parkAfterFailures must be a positive integer", () => {
  assert.throws(() => new OutboxRelay(createOutboxStore(storage), systemClock, capturingLog(), undefined, { parkAfterFailures: 0 }), /positive integer/);
});

t.run();
