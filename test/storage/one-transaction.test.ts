import { test } from "uvu";
import * as assert from "uvu/assert";
import { CommitWriter, ThreadedWriter, type Storage, type Writer } from "../../storage/index.ts";
import { beerLine, confirmDraft, openSession, stewLine } from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript } from "./units.ts";

/**
 * A confirm is one transaction: batch, items, tickets, events, outbox rows, print slips, audit row
 * and the processed command all land, or none do. Each table in turn refuses its insert (a
 * trigger, as a full disk or a bug would), and nothing of the confirm may remain anywhere. Were
 * one of them written in a transaction of its own, its failure would leave the others behind.
 */
let storage: Storage;
let dispose: () => Promise<void>;
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
});
test.after.each(async () => {
  await dispose();
});

const written = ["order_batches", "order_items", "kitchen_tickets", "session_events", "outbox", "audit_log", "processed_commands"] as const;

for (const [name, start] of [["in-thread writer", (s: Storage) => Promise.resolve(new CommitWriter(s))], ["writer thread", (s: Storage) => ThreadedWriter.start(s.file)]] as const) {
  for (const refusing of written) {
    test(`${name}: when ${refusing} refuses its insert, nothing of the confirm is written`, async () => {
      const writer: Writer = await start(storage);
      try {
        const table = new TableScript("t-1");
        await writer.submit(table.next(openSession({ sessionId: "s-1" })));
        const before = Object.fromEntries(written.map((t) => [t, count(storage, t)]));
        storage.sqlite.exec(`create trigger refuse_${refusing} before insert on ${refusing} begin select raise(abort, 'refused for the test'); end`);
        let failed = false;
        await writer.submit(table.next(confirmDraft([stewLine(), beerLine()], { batchId: "b1" }))).catch(() => (failed = true));
        assert.ok(failed, "the confirm must fail");
        assert.equal(Object.fromEntries(written.map((t) => [t, count(storage, t)])), before, `rows left behind when ${refusing} refused`);
      } finally {
        await writer.close();
      }
    });
  }
}

test.run();
