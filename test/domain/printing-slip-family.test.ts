import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AssertionError, decideCopy, decideRetry, decideSettle, mayHavePrinted, printedCopy,
  type FamilyAttemptState, type FamilySlip, type FamilySlipState, type SlipFamily,
} from "../../domain/index.ts";

// Given-when-then over a ticket's slip family: the original `t1:new` and its reprints `t1:new:reprint:n`.
const original = "t1:new";
const reprint = (n: number) => `${original}:reprint:${n}`;

function slip(slipKey: string, state: FamilySlipState, attempts: FamilyAttemptState[] = [], extra: Partial<FamilySlip> = {}): FamilySlip {
  const n = slipKey === original ? 0 : Number(slipKey.split(":").at(-1));
  return { slipKey, reprintNo: n, state, needsMark: false, supersededBy: null, attempts, ...extra };
}
const given = (...slips: FamilySlip[]): SlipFamily => slips;

// ---- decideCopy: the printer actor, before an attempt -----------------------------------------

test("given a new original with no attempts, when it prints, then it is unmarked", () => {
  assert.equal(decideCopy(given(slip(original, "pending")), original), { action: "print", mark: { kind: "none" } });
});

test("given an original whose earlier attempts were all not-sent, when it prints, then it is unmarked (nothing left the server)", () => {
  const family = given(slip(original, "pending", ["not_sent", "not_sent"]));
  assert.equal(decideCopy(family, original), { action: "print", mark: { kind: "none" } });
});

test("given an original whose earlier attempt is unknown (written, no echo), when it prints again, then it says MAY BE DUPLICATE", () => {
  const family = given(slip(original, "pending", ["unknown"], { needsMark: true }));
  assert.equal(decideCopy(family, original), { action: "print", mark: { kind: "duplicate" } });
});

test("given an original flagged by crash recovery (needs_mark, its cut-off job now unknown), when it prints, then it says MAY BE DUPLICATE", () => {
  assert.equal(decideCopy(given(slip(original, "pending", [], { needsMark: true })), original), { action: "print", mark: { kind: "duplicate" } });
});

test("given a reprint of the same content whose attempt is unknown, when the original prints, then it says MAY BE DUPLICATE", () => {
  const family = given(slip(original, "pending", ["not_sent"]), slip(reprint(1), "failed", ["unknown"], { needsMark: true }));
  assert.equal(decideCopy(family, original), { action: "print", mark: { kind: "duplicate" } });
});

test("given a reprint of the same content in flight on another printer, when the original prints, then it says MAY BE DUPLICATE", () => {
  const family = given(slip(original, "pending", ["not_sent"]), slip(reprint(1), "pending", ["sending"], { needsMark: true }));
  assert.equal(decideCopy(family, original), { action: "print", mark: { kind: "duplicate" } });
});

test("given a reprint row (needs_mark 1 by construction) that never left the server, when the original prints, then it is unmarked", () => {
  const family = given(slip(original, "pending", ["not_sent"]), slip(reprint(1), "pending", [], { needsMark: true }));
  assert.equal(decideCopy(family, original), { action: "print", mark: { kind: "none" } });
});

test("given a reprint of the same content already printed, when the pending original's turn comes, then it is superseded, not printed", () => {
  const family = given(slip(original, "pending", ["not_sent"]), slip(reprint(1), "printed", ["confirmed"], { needsMark: true }));
  assert.equal(decideCopy(family, original), { action: "supersede", by: reprint(1) });
});

test("given an admin reprint, when it prints, then it says REPRINT n, whatever else happened to the content", () => {
  assert.equal(decideCopy(given(slip(original, "printed", ["confirmed"]), slip(reprint(2), "pending")), reprint(2)), { action: "print", mark: { kind: "reprint", n: 2 } });
  assert.equal(decideCopy(given(slip(original, "failed", ["not_sent"]), slip(reprint(1), "pending", ["unknown"])), reprint(1)), { action: "print", mark: { kind: "reprint", n: 1 } });
});

test("given a slip that is not pending, when asked to print it, then that is a bug", () => {
  assert.throws(() => decideCopy(given(slip(original, "failed")), original), (e: unknown) => e instanceof AssertionError);
  assert.throws(() => decideCopy(given(slip(original, "pending")), "other:new"), (e: unknown) => e instanceof AssertionError);
});

// ---- decideRetry: the admin's print.retry --------------------------------------------------------

test("given a failed original that never reached paper, when an admin retries it, then it is allowed", () => {
  assert.equal(decideRetry(given(slip(original, "failed", ["not_sent", "not_sent", "not_sent"])), original), { ok: true });
});

test("given a failed original whose content an admin reprint printed, when it is retried, then already_printed names the reprint", () => {
  const family = given(slip(original, "failed", ["not_sent"]), slip(reprint(1), "printed", ["confirmed"]));
  assert.equal(decideRetry(family, original), { ok: false, code: "already_printed", printedAs: reprint(1) });
});

test("given an original superseded by a reprint, when it is retried, then already_printed names the copy that printed", () => {
  const family = given(slip(original, "superseded", ["not_sent"], { supersededBy: reprint(1) }), slip(reprint(1), "printed", ["confirmed"]));
  assert.equal(decideRetry(family, original), { ok: false, code: "already_printed", printedAs: reprint(1) });
});

test("given a printed slip, when it is retried, then already_printed names itself", () => {
  assert.equal(decideRetry(given(slip(original, "printed", ["confirmed"])), original), { ok: false, code: "already_printed", printedAs: original });
});

test("given a pending slip, when it is retried, then not_failed", () => {
  assert.equal(decideRetry(given(slip(original, "pending", ["not_sent"])), original), { ok: false, code: "not_failed", state: "pending" });
});

test("given a failed admin reprint, when it is retried, then it is allowed (it always prints marked REPRINT n)", () => {
  const family = given(slip(original, "printed", ["confirmed"]), slip(reprint(1), "failed", ["not_sent"]));
  assert.equal(decideRetry(family, reprint(1)), { ok: true });
});

test("given a failed original with an unknown attempt, when it is retried, then it is allowed and will print MAY BE DUPLICATE", () => {
  const family = given(slip(original, "failed", ["unknown", "unknown"], { needsMark: true }));
  assert.equal(decideRetry(family, original), { ok: true });
  const requeued = given(slip(original, "pending", ["unknown", "unknown"], { needsMark: true }));
  assert.equal(decideCopy(requeued, original), { action: "print", mark: { kind: "duplicate" } });
});

// ---- decideSettle: recording an attempt ----------------------------------------------------------

test("given a failed original, when its admin reprint is confirmed, then the reprint is printed and resolves the original", () => {
  const family = given(slip(original, "failed", ["not_sent", "not_sent"]), slip(reprint(1), "pending", ["sending"]));
  assert.equal(decideSettle(family, reprint(1), "confirmed", false), { state: "printed", supersededBy: null, needsMark: false, resolves: [original] });
});

test("given an earlier failed reprint, when a later copy is confirmed, then every failed copy of the content is resolved, pending ones are not", () => {
  const family = given(slip(original, "pending", ["not_sent"]), slip(reprint(1), "failed", ["not_sent"]), slip(reprint(2), "pending", ["sending"]));
  assert.equal(decideSettle(family, reprint(2), "confirmed", false).resolves, [reprint(1)]);
});

test("given an attempt that was not sent or unknown before the last one, when recorded, then the slip waits for the next attempt; unknown sets needsMark", () => {
  const family = given(slip(original, "pending", ["sending"]));
  assert.equal(decideSettle(family, original, "not_sent", false), { state: "pending", supersededBy: null, needsMark: false, resolves: [] });
  assert.equal(decideSettle(family, original, "unknown", false), { state: "pending", supersededBy: null, needsMark: true, resolves: [] });
});

test("given a slip already printed (by a backup printer), when a stale attempt of it settles as not sent or failed for good, then it stays printed", () => {
  const family = given(slip(original, "printed", ["confirmed", "sending"]));
  assert.equal(decideSettle(family, original, "not_sent", true), { state: "printed", supersededBy: null, needsMark: false, resolves: [] });
  const superseded = given(slip(original, "superseded", ["sending"], { supersededBy: reprint(1) }), slip(reprint(1), "printed", ["confirmed"]));
  assert.equal(decideSettle(superseded, original, "unknown", true), { state: "superseded", supersededBy: reprint(1), needsMark: true, resolves: [] });
});

test("given the last attempt fails, when nothing else printed the content, then the slip is failed (the admins' list)", () => {
  const family = given(slip(original, "pending", ["not_sent", "sending"]));
  assert.equal(decideSettle(family, original, "not_sent", true), { state: "failed", supersededBy: null, needsMark: false, resolves: [] });
});

test("given the original's last attempt fails, when a reprint already printed the content, then it is superseded, not failed", () => {
  const family = given(slip(original, "pending", ["unknown", "sending"]), slip(reprint(1), "printed", ["confirmed"]));
  assert.equal(decideSettle(family, original, "unknown", true), { state: "superseded", supersededBy: reprint(1), needsMark: true, resolves: [] });
});

test("given a reprint's last attempt fails, when the original printed before, then the reprint is failed (the admin asked for another copy)", () => {
  const family = given(slip(original, "printed", ["confirmed"]), slip(reprint(1), "pending", ["sending"]));
  assert.equal(decideSettle(family, reprint(1), "not_sent", true).state, "failed");
});

// ---- the facts ------------------------------------------------------------------------------------

test("the family facts: printedCopy and mayHavePrinted", () => {
  assert.is(printedCopy(given(slip(original, "failed"), slip(reprint(1), "printed"))), reprint(1));
  assert.is(printedCopy(given(slip(original, "failed", ["not_sent"]))), undefined);
  assert.not.ok(mayHavePrinted(given(slip(original, "failed", ["not_sent"]), slip(reprint(1), "failed", ["not_sent"], { needsMark: true }))));
  assert.ok(mayHavePrinted(given(slip(original, "failed", ["not_sent"]), slip(reprint(1), "failed", ["unknown"]))));
});

test("the brief's bug, step by step: a failed original, a printed reprint, then a retry never makes an unmarked copy", () => {
  // Given the printer was down: the original failed, nothing left the server.
  let family = given(slip(original, "failed", ["not_sent", "not_sent", "not_sent"]), slip(reprint(1), "pending", [], { needsMark: true }));
  // When the admin's reprint prints, it says REPRINT 1 ...
  assert.equal(decideCopy(family, reprint(1)), { action: "print", mark: { kind: "reprint", n: 1 } });
  // ... and, confirmed, resolves the failed original.
  const settled = decideSettle(given(family[0]!, slip(reprint(1), "pending", ["sending"], { needsMark: true })), reprint(1), "confirmed", false);
  assert.equal(settled.resolves, [original]);
  family = given(slip(original, "superseded", ["not_sent", "not_sent", "not_sent"], { supersededBy: reprint(1) }), slip(reprint(1), "printed", ["confirmed"], { needsMark: true }));
  // Then a retry of the original is refused: its content is on paper.
  assert.equal(decideRetry(family, original), { ok: false, code: "already_printed", printedAs: reprint(1) });
});

test.run();
