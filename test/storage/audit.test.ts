import { test } from "uvu";
import * as assert from "uvu/assert";
import { initialSessionState } from "../../domain/index.ts";
import { chainHash, CommitWriter, createAuditVerifier, verifyAuditChain, type Storage } from "../../storage/index.ts";
import type { AuditRow } from "../../storage/audit.ts";
import { admin, cancelItem, closeSession, confirmDraft, openSession, stewLine, beerLine } from "../domain/fixtures.ts";
import { count, openTempStorage, TableScript, unitFor } from "./units.ts";

let storage: Storage;
let dispose: () => Promise<void>;

/** Five audit rows from one table's real history: open, confirm, confirm, cancel, close. */
test.before.each(async () => {
  ({ storage, dispose } = await openTempStorage());
  const writer = new CommitWriter(storage);
  const table = new TableScript("t-1");
  for (const command of [
    openSession({ sessionId: "s-1" }),
    confirmDraft([stewLine(), beerLine()], { batchId: "b1" }),
    confirmDraft([stewLine(2)], { batchId: "b2" }),
    cancelItem("b1-2", { reason: "품절" }),
    closeSession({ actor: admin, reason: "마감" }),
  ]) await writer.submit(table.next(command));
});
test.after.each(async () => {
  await dispose();
});

/** Tampering needs the append-only triggers gone first, as an attacker with the file would do. */
function dropTriggers(): void {
  storage.sqlite.exec("drop trigger audit_log_no_update; drop trigger audit_log_no_delete;");
}

test("the intact chain verifies ok with every row counted", () => {
  assert.is(count(storage, "audit_log"), 5);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 5 });
});

test("an empty audit log verifies ok with zero rows", async () => {
  const fresh = await openTempStorage();
  try {
    assert.equal(verifyAuditChain(fresh.storage.sqlite), { ok: true, rows: 0 });
  } finally {
    await fresh.dispose();
  }
});

test("each row's prev_hash is the hash of the row before it, starting at the genesis hash", () => {
  const chain = storage.sqlite.prepare("select prev_hash, hash from audit_log order by seq").all() as { prev_hash: string; hash: string }[];
  assert.is(chain[0]?.prev_hash, "0".repeat(64));
  chain.slice(1).forEach((row, i) => assert.is(row.prev_hash, chain[i]!.hash));
  assert.is(new Set(chain.map((r) => r.hash)).size, 5);
});

test("updating an audit row is refused by the trigger and nothing changes", () => {
  assert.throws(() => storage.sqlite.prepare("update audit_log set reason = 'nothing to see' where seq = 4").run(), /append-only/);
  assert.is(storage.sqlite.prepare("select reason from audit_log where seq = 4").pluck().get(), "품절");
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 5 });
});

test("deleting an audit row is refused by the trigger and the row count is unchanged", () => {
  assert.throws(() => storage.sqlite.prepare("delete from audit_log where seq = 3").run(), /append-only/);
  assert.throws(() => storage.sqlite.prepare("delete from audit_log").run(), /append-only/);
  assert.is(count(storage, "audit_log"), 5);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 5 });
});

test("an altered reason is reported as the altered row", () => {
  dropTriggers();
  storage.sqlite.prepare("update audit_log set reason = '실수' where seq = 4").run();
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 3, problem: "row 4 was altered" });
});

test("an altered row whose own hash was recomputed is reported at the row after it", () => {
  dropTriggers();
  const row = storage.sqlite.prepare("select * from audit_log where seq = 2").get() as AuditRow & { prev_hash: string };
  const forged = { ...row, reason: "forged" };
  storage.sqlite.prepare("update audit_log set reason = ?, hash = ? where seq = 2").run(forged.reason, chainHash(row.prev_hash, forged));
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 2, problem: "row 3 does not follow row 2" });
});

test("an overwritten hash column is reported as the altered row", () => {
  dropTriggers();
  storage.sqlite.prepare("update audit_log set hash = ? where seq = 2").run("f".repeat(64));
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 1, problem: "row 2 was altered" });
});

test("a deleted middle row is reported as missing", () => {
  dropTriggers();
  storage.sqlite.prepare("delete from audit_log where seq = 3").run();
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 2, problem: "row 3 is missing (next is 4)" });
});

test("a deleted last row is reported as a removed tail", () => {
  dropTriggers();
  storage.sqlite.prepare("delete from audit_log where seq = 5").run();
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 4, problem: "rows after 4 were removed (highest seq ever 5)" });
});

test("deleting every row is reported as a removed tail", () => {
  dropTriggers();
  storage.sqlite.prepare("delete from audit_log").run();
  assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 0, problem: "rows after 0 were removed (highest seq ever 5)" });
});

test("a row swapped in with a renumbered seq is reported as not following its predecessor", () => {
  dropTriggers();
  // Delete row 3 and renumber 4 → 3: no gap in seq, but row 4's prev_hash points at the removed row.
  storage.sqlite.exec("delete from audit_log where seq = 3; update audit_log set seq = 3 where seq = 4;");
  const verdict = verifyAuditChain(storage.sqlite);
  assert.is(verdict.ok, false);
  assert.is(verdict.problem, "row 3 does not follow row 2");
});

test("rows appended after a failed unit keep the chain intact", async () => {
  const writer = new CommitWriter(storage);
  const dup = unitFor(openSession({ sessionId: "s-9", tableId: "t-9" }), initialSessionState(), "t-1-cmd-1", "store-1", "t-9").unit;
  const good = unitFor(openSession({ sessionId: "s-8", tableId: "t-8" }), initialSessionState(), "fresh", "store-1", "t-8").unit;
  const results = await Promise.allSettled([writer.submit(dup), writer.submit(good)]);
  assert.equal(results.map((r) => r.status), ["rejected", "fulfilled"]);
  assert.equal(verifyAuditChain(storage.sqlite), { ok: true, rows: 6 });
});


// Read from the table itself, not from the hashing code: a column added to audit_log but left out
// of the hash (or one dropped from it) makes this fail.
test("altering any column of a row, one at a time, is detected", () => {
  const columns = (storage.sqlite.prepare("select name from pragma_table_info('audit_log')").pluck().all() as string[])
    .filter((c) => !["seq", "prev_hash", "hash"].includes(c));
  assert.ok(columns.includes("actor_id") && columns.includes("cmd_id") && columns.length >= 12, columns.join(","));
  dropTriggers();
  for (const column of columns) {
    const original = storage.sqlite.prepare(`select ${column} from audit_log where seq = 2`).pluck().get();
    storage.sqlite.prepare(`update audit_log set ${column} = ? where seq = 2`).run(original === null ? "forged" : `${String(original)}x`);
    assert.equal(verifyAuditChain(storage.sqlite), { ok: false, rows: 1, problem: "row 2 was altered" }, `${column} is not covered by the hash`);
    storage.sqlite.prepare(`update audit_log set ${column} = ? where seq = 2`).run(original);
    assert.ok(verifyAuditChain(storage.sqlite).ok, `restoring ${column}`);
  }
});

test("the server's verifier walks on a worker thread with its own connection: the same verdicts, the main thread free meanwhile", async () => {
  const verifier = createAuditVerifier(storage);
  let mainThreadRan = false;
  setImmediate(() => (mainThreadRan = true));
  assert.equal(await verifier.verify(), { ok: true, rows: 5 });
  assert.ok(mainThreadRan, "the event loop turned while the chain was walked");
  dropTriggers();
  storage.sqlite.prepare("update audit_log set reason = '실수' where seq = 4").run();
  assert.equal(await verifier.verify(), { ok: false, rows: 3, problem: "row 4 was altered" });
});

test("the verifier walks once at a time: a request during a walk gets that walk's verdict; the next one walks again", async () => {
  const verifier = createAuditVerifier(storage);
  const first = verifier.verify();
  assert.is(verifier.verify(), first, "shares the running walk");
  assert.equal(await first, { ok: true, rows: 5 });
  const again = verifier.verify();
  assert.is.not(again, first);
  assert.equal(await again, { ok: true, rows: 5 });
});

test.run();
