/**
 * R-CON-2 / R-ACC-7, the merge rules of docs/CONCURRENCY.md, given → when → then: a terminal saw the
 * session at some version, another one changed it meanwhile, then the first sends a command based on
 * what it saw. A command that commutes is decided on the current state; one that does not gets
 * version_conflict listing the changes it collides with.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  decide, fold, rebaseLimits,
  type ActorRef, type AdvanceItems, type ConflictingChange, type Decision, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { accepted, admin, at, beerLine, cancelItem, changeQuantity, closeSession, confirmDraft, context, eggRollLine, history, openSession, staff, stewLine } from "./fixtures.ts";
import { adjust, card, cash, manager, ordered, refund, removeAdjustment, run, twoBatches } from "./money-fixtures.ts";

/** The other terminal, and the kitchen screen. */
const other: ActorRef = { id: "staff-2", role: "staff", name: "지은" };
const kitchen: ActorRef = { id: "k1", role: "kitchen", name: "주방" };

const cook = (itemIds: string[], to: AdvanceItems["to"] = "cooking"): AdvanceItems => ({ type: "AdvanceItems", itemIds, to, actor: kitchen, at });

/** Runs `meanwhile` on top of what the sender saw, then decides `command` based on the seen version. */
function stale(seen: SessionState, meanwhile: SessionCommand[], command: SessionCommand) {
  let state = seen;
  const since: SessionEvent[] = [];
  for (const c of meanwhile) {
    const events = accepted(c, state);
    since.push(...events);
    state = fold(events, state);
  }
  const decision = decide({ ...command, expectedVersion: seen.version }, state, context, { since });
  const fresh = decide({ ...command, expectedVersion: state.version }, state, context);
  return { decision, fresh, state, since, base: seen.version };
}

function changesOf(decision: Decision): readonly ConflictingChange[] {
  if (decision.ok || decision.error.code !== "version_conflict") throw new Error(`expected version_conflict, got ${JSON.stringify(decision)}`);
  assert.ok(decision.error.changes && decision.error.changes.length > 0, "a conflict lists what changed");
  return decision.error.changes!;
}

/** Merged: the same decision as if the command had been sent on the current version. */
function merged(result: ReturnType<typeof stale>): void {
  assert.ok(result.decision.ok, JSON.stringify(!result.decision.ok && result.decision.error));
  assert.equal(result.decision, result.fresh);
}

const summary = (c: ConflictingChange) => [c.version, c.type, c.by.id];

// ---------------------------------------------------------------- adding lines

test("a confirm based on an old version is merged after another terminal's confirm, cancel and payment", () => {
  const seen = ordered().state;
  const result = stale(seen, [
    confirmDraft([eggRollLine(1)], { batchId: "b2", actor: other }),
    cancelItem("b1-2", { actor: other }),
    cash("p1", 3000, { actor: other }),
  ], confirmDraft([beerLine(2)], { batchId: "b3" }));
  merged(result);
  assert.is(result.decision.ok && result.decision.state.total, result.state.total + 10000);
});

test("a stale confirm on a session closed meanwhile is refused as closed, not merged into it", () => {
  const seen = ordered().state;
  const result = stale(seen, [cash("p1", 25000, { actor: other })], confirmDraft([beerLine(1)], { batchId: "b2" }));
  assert.equal(result.decision, { ok: false, error: { code: "session_closed", status: "closed" } });
});

test("a stale confirm across a new session (the table was opened again) conflicts", () => {
  const seen = history(openSession(), confirmDraft([beerLine(1)]), cancelItem("b1-1"), closeSession()).state;
  const result = stale(seen, [openSession({ sessionId: "s-2", actor: other })], confirmDraft([beerLine(1)], { batchId: "b9" }));
  assert.equal(changesOf(result.decision).map(summary), [[seen.version + 1, "SessionOpened", "staff-2"]]);
});

// ---------------------------------------------------------------- items

test("cancelling an item someone else cancelled meanwhile conflicts, naming the cancel, its item and who did it", () => {
  const seen = ordered().state;
  const result = stale(seen, [cancelItem("b1-1", { actor: other })], cancelItem("b1-1"));
  const changes = changesOf(result.decision);
  assert.equal(changes.map(summary), [[seen.version + 1, "ItemCancelled", "staff-2"]]);
  assert.ok(changes[0]!.ids.includes("b1-1"));
  assert.is(changes[0]!.at, at);
  assert.equal(!result.decision.ok && [result.decision.error.code, "expected" in result.decision.error && result.decision.error.expected], ["version_conflict", seen.version]);
});

test("cancelling an item is merged when only other items changed meanwhile", () => {
  merged(stale(ordered().state, [cancelItem("b1-2", { actor: other }), confirmDraft([eggRollLine(1)], { batchId: "b2", actor: other })], cancelItem("b1-1")));
});

test("cancelling an item whose quantity was changed meanwhile conflicts with the cancel-and-replace", () => {
  const result = stale(ordered().state, [changeQuantity("b1-1", 3, "n1", { actor: other })], cancelItem("b1-1"));
  assert.equal(changesOf(result.decision).map((c) => c.type), ["ItemCancelled", "ItemAdded"]);
});

test("changing the quantity of an item the kitchen started meanwhile conflicts (the item is no longer what was seen)", () => {
  const result = stale(ordered().state, [cook(["b1-1"])], changeQuantity("b1-1", 1, "n2", { actor: admin }));
  assert.equal(changesOf(result.decision).map(summary), [[result.base + 1, "ItemsCookingStarted", "k1"]]);
});

test("changing the quantity of an item with an adjustment applied to it meanwhile conflicts", () => {
  const result = stale(ordered().state, [adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-1", amount: 1000, actor: other })], changeQuantity("b1-1", 1, "n2"));
  const changes = changesOf(result.decision);
  assert.equal(changes.map((c) => c.type), ["AdjustmentApplied"]);
  assert.ok(changes[0]!.ids.includes("a1") && changes[0]!.ids.includes("b1-1"));
});

test("cancelling a batch conflicts with a change to any of its items and is merged past other batches' changes", () => {
  const seen = twoBatches().state;
  assert.equal(changesOf(stale(seen, [cancelItem("b1-2", { actor: other })], { type: "CancelBatch", batchId: "b1", reason: "손님 요청", actor: staff, at }).decision).map((c) => c.type), ["ItemCancelled"]);
  merged(stale(seen, [cancelItem("b2-1", { actor: other })], { type: "CancelBatch", batchId: "b1", reason: "손님 요청", actor: staff, at }));
});

// ---------------------------------------------------------------- payments

test("a payment is merged after another payment while its amount is still payable", () => {
  const result = stale(ordered().state, [cash("p1", 10000, { actor: other })], cash("p2", 15000));
  merged(result);
  assert.is(result.decision.ok && result.decision.state.status, "closed", "the merged payment settles the bill");
});

test("paying an amount that is no longer due conflicts with the payments that moved the balance, not AMOUNT_EXCEEDS_DUE", () => {
  const seen = ordered().state;
  const result = stale(seen, [confirmDraft([eggRollLine(1)], { batchId: "b2", actor: other }), card("p1", 20000, { actor: other })], card("p2", 25000));
  const changes = changesOf(result.decision);
  assert.equal(changes.map((c) => c.type), ["BatchConfirmed", "PaymentRequested"]);
  assert.ok(changes[1]!.ids.includes("p1"));
  assert.is(result.fresh.ok || result.fresh.error.code, "amount_exceeds_due", "sent now it would be too much");
});

test("a payment above what is due when nothing moved the balance keeps its own refusal (kitchen progress only)", () => {
  const result = stale(ordered().state, [cook(["b1-1", "b1-2"])], card("p2", 30000));
  assert.equal(result.decision, { ok: false, error: { code: "amount_exceeds_due", amount: 30000, due: 25000 } });
});

test("a refund conflicts with another refund made meanwhile, even of another payment", () => {
  const paid = run(twoBatches().state, cash("p1", 20000), cash("p2", 21000));
  const seen = run(paid, { type: "ReopenSession", reason: "정정", actor: admin, at }, cancelItem("b2-1", { actor: admin }));
  const result = stale(seen, [refund("r1", "p1", 8000, { actor: other })], refund("r2", "p2", 16000));
  assert.equal(changesOf(result.decision).map((c) => c.type), ["RefundRequested", "RefundCompleted"]);
});

// ---------------------------------------------------------------- adjustments

test("a session-wide percent discount conflicts with any change of the total since, and not with kitchen progress", () => {
  const seen = ordered().state;
  const percent = adjust("a1", { kind: "percent_discount", percent: 10 });
  assert.equal(changesOf(stale(seen, [confirmDraft([eggRollLine(1)], { batchId: "b2", actor: other })], percent).decision).map((c) => c.type), ["BatchConfirmed"]);
  merged(stale(seen, [cook(["b1-1"])], percent));
});

test("a fixed discount on an item is merged past other items' changes and conflicts with a change of its item", () => {
  const seen = ordered().state;
  const discount = adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-2", amount: 1000 });
  merged(stale(seen, [cancelItem("b1-1", { actor: other }), cook(["b1-2"])], discount));
  assert.equal(changesOf(stale(seen, [changeQuantity("b1-2", 2, "n1", { actor: other })], discount).decision).map((c) => c.type), ["ItemCancelled", "ItemAdded"]);
});

test("removing an adjustment conflicts when it was removed meanwhile or its target changed, and is merged otherwise", () => {
  const seen = run(ordered().state, adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-1", amount: 2000 }));
  const remove = removeAdjustment("a1");
  assert.equal(changesOf(stale(seen, [removeAdjustment("a1", { actor: other })], remove).decision).map((c) => c.type), ["AdjustmentRemoved"]);
  // Its item changed: the adjustment lapsed with it in the same commit.
  assert.equal(changesOf(stale(seen, [changeQuantity("b1-1", 1, "n1", { actor: other })], remove).decision).map((c) => c.type), ["AdjustmentRemoved"]);
  merged(stale(seen, [cancelItem("b1-2", { actor: other }), cash("p1", 1000, { actor: other })], remove));
  const onBatch = run(twoBatches().state, adjust("a2", { kind: "fixed_discount", scope: "batch", targetId: "b1", amount: 2000 }));
  assert.equal(changesOf(stale(onBatch, [cancelItem("b1-2", { actor: other })], removeAdjustment("a2")).decision).map((c) => c.type), ["ItemCancelled"]);
  merged(stale(onBatch, [cancelItem("b2-1", { actor: other })], removeAdjustment("a2")));
});

test("a percent on an item conflicts with removing another adjustment of that item applied before the sender's view", () => {
  const seen = run(ordered().state, adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-1", amount: 2000 }));
  const meanwhile = [removeAdjustment("a1", { actor: other })];
  const percent = adjust("a2", { kind: "percent_discount", scope: "item", targetId: "b1-1", percent: 10, actor: manager });
  const { state, since } = stale(seen, meanwhile, percent);
  const earlierAdjustments = new Map([["a1", { scope: "item" as const, targetId: "b1-1" }]]);
  const decision = decide({ ...percent, expectedVersion: seen.version }, state, context, { since, earlierAdjustments });
  assert.equal(changesOf(decision).map((c) => c.ids), [["a1", "b1-1"]]);
});

// ---------------------------------------------------------------- closing

test("closing on a stale view conflicts with any change but kitchen progress", () => {
  const seen = run(ordered().state, cook(["b1-1"]));
  const close = closeSession({ actor: admin, reason: "손님 떠남" });
  assert.equal(changesOf(stale(seen, [cash("p1", 5000, { actor: other })], close).decision).map((c) => c.type), ["PaymentRequested", "PaymentApproved"]);
  merged(stale(seen, [cook(["b1-1"], "cooked"), cook(["b1-2"])], close));
});

// ---------------------------------------------------------------- edges

test("a version from the future conflicts with no changes listed", () => {
  const { state } = ordered();
  const decision = decide(cancelItem("b1-1", { expectedVersion: state.version + 3 }), state, context, { since: [] });
  assert.equal(decision, { ok: false, error: { code: "version_conflict", expected: state.version + 3, actual: state.version, changes: [] } });
});

test("a history that does not reach back to the sender's version cannot be merged against", () => {
  const { state, since } = stale(ordered().state, [cancelItem("b1-2", { actor: other })], cancelItem("b1-1"));
  const decision = decide(cancelItem("b1-1", { expectedVersion: state.version - since.length }), state, context, { since: since.slice(1) });
  assert.equal(decision, { ok: false, error: { code: "version_conflict", expected: state.version - since.length, actual: state.version, changes: [] } });
});

test("without a history the plain optimistic check refuses any stale version", () => {
  const { state } = stale(ordered().state, [cancelItem("b1-2", { actor: other })], cancelItem("b1-1"));
  assert.equal(decide(cancelItem("b1-1", { expectedVersion: 2 }), state, context), { ok: false, error: { code: "version_conflict", expected: 2, actual: state.version } });
});

test("a conflict lists at most changesListedMax changes and counts the rest", () => {
  const seen = history(openSession(), confirmDraft([stewLine(1), beerLine(1)])).state;
  const many: SessionCommand[] = Array.from({ length: rebaseLimits.changesListedMax + 5 }, (_, i) => cash(`p${i}`, 100, { actor: other }));
  const result = stale(seen, many, closeSession({ actor: admin, reason: "정리" }));
  assert.is(changesOf(result.decision).length, rebaseLimits.changesListedMax);
  assert.is(!result.decision.ok && "changesOmitted" in result.decision.error && result.decision.error.changesOmitted, 2 * (rebaseLimits.changesListedMax + 5) - rebaseLimits.changesListedMax);
});

test.run();
