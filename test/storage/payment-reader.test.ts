import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { createPaymentReader, openStorage, type Storage } from "../../storage/index.ts";
import { tempDir } from "../support/server-process.ts";

// Reconciliation reads pending intents in keyset pages: intents that stay pending (the provider
// cannot settle them yet) must never hide the ones behind them.
const t = suite("pending payment pages");

let storage: Storage;
t.before(async () => {
  storage = await openStorage(join(tempDir("payreader"), "db.sqlite"));
  const insert = storage.sqlite.prepare(
    `insert into payments (payment_id, session_id, store_id, table_id, method, requested_won, status, requested_at, requested_by)
     values (?, 's', 'demo', 'T1', 'card', 1000, ?, ?, 'staff')`,
  );
  for (let i = 0; i < 7; i++) insert.run(`p${i}`, i === 3 ? "approved" : "pending", `2026-12-03T10:00:0${i}.000Z`);
  insert.run("late", "pending", "2026-12-03T11:00:00.000Z");
});
t.after(async () => {
  await storage?.close();
});

t("pages of 2 walk every pending intent older than the cutoff once, in order, even when none of them gets settled", () => {
  const reader = createPaymentReader(storage);
  const seen: string[] = [];
  for (let after = { at: "", id: "" }; ;) {
    const page = reader.pendingPayments("2026-12-03T10:30:00.000Z", 2, after);
    if (page.length === 0) break;
    seen.push(...page.map((p) => p.payment_id));
    after = { at: page.at(-1)!.requested_at, id: page.at(-1)!.payment_id };
  }
  assert.equal(seen, ["p0", "p1", "p2", "p4", "p5", "p6"]);
});

t.run();
