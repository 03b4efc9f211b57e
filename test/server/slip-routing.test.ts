import { test } from "uvu";
import * as assert from "uvu/assert";
import { CommitWriter, ThreadedWriter, type Storage } from "../../storage/index.ts";
import { SlipRoutingWriter } from "../../server/slip-routing.ts";
import { beerLine, confirmDraft, openSession, stewLine } from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript } from "../storage/units.ts";

/**
 * Storage knows no printers: the submitter names each station's printer in the unit, and the
 * confirm's own transaction writes the slips (a durable confirm is a durable print request).
 */
let storage: Storage;
let dispose: () => Promise<void>;
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
});
test.after.each(async () => {
  await dispose();
});

const slips = (s: Storage) => s.sqlite.prepare("select station_id as stationId, printer_id as printerId from print_slips order by station_id").all();

for (const [name, start] of [["in-thread writer", (s: Storage) => Promise.resolve(new CommitWriter(s))], ["writer thread", (s: Storage) => ThreadedWriter.start(s.file)]] as const) {
  test(`${name}: a confirm's slips go to the printer the route names, in the confirm's transaction`, async () => {
    const writer = new SlipRoutingWriter(await start(storage));
    writer.routeWith((storeId, stationId) => `${storeId}.${stationId}-printer`);
    try {
      const table = new TableScript("t-1");
      await writer.submit(table.next(openSession({ sessionId: "s-1" })));
      await writer.submit(table.next(confirmDraft([stewLine(), beerLine()], { batchId: "b1" })));
      const rows = slips(storage) as { stationId: string; printerId: string }[];
      assert.ok(rows.length >= 2, "one slip per station");
      for (const row of rows) assert.is(row.printerId, `store-1.${row.stationId}-printer`);
      storage.sqlite.exec("create trigger refuse_slip before insert on print_slips begin select raise(abort, 'refused for the test'); end");
      const batches = count(storage, "order_batches");
      let failed = false;
      await writer.submit(table.next(confirmDraft([stewLine()], { batchId: "b2" }))).catch(() => (failed = true));
      assert.ok(failed, "a confirm whose slip cannot be written fails whole");
      assert.is(count(storage, "order_batches"), batches);
    } finally {
      await writer.close();
    }
  });

  test(`${name}: a station no printer takes gets no slip row, its print request stays in the outbox`, async () => {
    const writer = new SlipRoutingWriter(await start(storage));
    writer.routeWith((_storeId, stationId) => (stationId === "kitchen" ? "p-kitchen" : undefined));
    try {
      const table = new TableScript("t-1");
      await writer.submit(table.next(openSession({ sessionId: "s-1" })));
      await writer.submit(table.next(confirmDraft([stewLine(), beerLine()], { batchId: "b1" })));
      assert.equal(slips(storage), [{ stationId: "kitchen", printerId: "p-kitchen" }]);
      const requests = storage.sqlite.prepare("select count(*) from outbox where topic = 'TicketPrintRequested'").pluck().get() as number;
      assert.ok(requests >= 2, "every station's request is in the outbox");
    } finally {
      await writer.close();
    }
  });
}

test.run();
