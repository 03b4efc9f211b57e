/**
 * Adjustments, given → when → then (SPEC R-INV-1: signed adjustments on a session, batch or item;
 * the "Adjustment" entity: percent/fixed discount, coupon, comp, service charge, correction, each with
 * its reason). Exact events and exact typed refusals.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AssertionError, amountsOf, buildMenu, decide, defaultMoneyPolicy, fold, initialSessionState, moneyLimits, targetValue, won,
  type AdjustmentApplied, type AdjustmentKind, type Decision, type SessionAmounts, type SessionCommand, type SessionState,
} from "../../domain/index.ts";
import { admin, at, cancelItem, changeQuantity, confirmDraft, eggRollLine, history, line, openSession, staff } from "./fixtures.ts";
import { adjust, card, cash, decideIn, manager, ordered, removeAdjustment, run, twoBatches } from "./money-fixtures.ts";

function money(state: SessionState, expected: Partial<SessionAmounts>): void {
  const actual = amountsOf(state);
  assert.equal(Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof SessionAmounts]])), expected);
}

function when(state: SessionState, command: SessionCommand) {
  const decision = decideIn(command, state);
  if (!decision.ok) throw new Error(`expected ${command.type} to be accepted, got ${JSON.stringify(decision.error)}`);
  return decision;
}

const refused = (error: unknown) => ({ ok: false, error });

/** The AdjustmentApplied a command should produce, with the signed amount the domain worked out. */
function applied(fields: Partial<Record<keyof AdjustmentApplied, unknown>> & { adjustmentId: string; kind: AdjustmentKind; amount: number }) {
  return {
    type: "AdjustmentApplied", v: 1, at, actor: staff, scope: "session", targetId: null, percent: null, reasonCode: "regular_customer", note: "",
    approvedBy: null, ...fields,
  };
}

/** 계란말이 8,000 plus a +4,345 price correction: a session worth exactly 12,345. */
const worth12345 = () => run(history(openSession(), confirmDraft([eggRollLine(1)], { batchId: "b1" })).state, adjust("fix", { kind: "correction", amount: 4345, reasonCode: "price_error" }));

// ---------------------------------------------------------------- kinds

test("a percent discount rounds half up to the won: 10 % of 12,345 is 1,235 off", () => {
  const state = worth12345();
  assert.is(amountsOf(state).sessionTotal, 12345);
  const { events, state: after } = when(state, adjust("a1", { kind: "percent_discount", percent: 10 }));
  assert.equal(events, [applied({ adjustmentId: "a1", kind: "percent_discount", percent: 10, amount: -1235 })]);
  money(after, { itemsTotal: 8000, adjustmentsTotal: 4345 - 1235, sessionTotal: 11110, outstanding: 11110 });
  assert.equal(after.adjustments.get("a1"), {
    adjustmentId: "a1", kind: "percent_discount", scope: "session", targetId: null, percent: 10, amount: -1235, reasonCode: "regular_customer", note: "",
    appliedAt: at, appliedBy: "staff-1", approvedBy: null,
  });
});

test("a percent discount below half a won rounds down: 10 % of 12,344 is 1,234 off", () => {
  const state = run(worth12345(), adjust("minus-one", { kind: "correction", amount: -1, reasonCode: "price_error" }));
  assert.equal(when(state, adjust("a1", { kind: "percent_discount", percent: 10 })).events, [applied({ adjustmentId: "a1", kind: "percent_discount", percent: 10, amount: -1234 })]);
});

test("a percent discount on an item or a batch takes its share of that target only", () => {
  const { state } = ordered();
  const item = when(state, adjust("a1", { kind: "percent_discount", scope: "item", targetId: "b1-1", percent: 10 }));
  assert.equal(item.events, [applied({ adjustmentId: "a1", kind: "percent_discount", scope: "item", targetId: "b1-1", percent: 10, amount: -2000 })]);
  const batch = when(state, adjust("a2", { kind: "percent_discount", scope: "batch", targetId: "b1", percent: 15 }));
  assert.equal(batch.events, [applied({ adjustmentId: "a2", kind: "percent_discount", scope: "batch", targetId: "b1", percent: 15, amount: -3750 })]);
  // A later session percent is taken from what the session is worth after the item discount.
  const stacked = when(item.state, adjust("a3", { kind: "percent_discount", percent: 10 }));
  assert.equal(stacked.events, [applied({ adjustmentId: "a3", kind: "percent_discount", percent: 10, amount: -2300 })]);
});

test("a fixed discount takes its won off, recorded negative and counted as a discount", () => {
  const { events, state } = when(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 3000, note: "단골" }));
  assert.equal(events, [applied({ adjustmentId: "a1", kind: "fixed_discount", amount: -3000, note: "단골" })]);
  money(state, { adjustmentsTotal: -3000, discountsTotal: -3000, chargesTotal: 0, sessionTotal: 22000, outstanding: 22000 });
});

test("a coupon takes its face value off", () => {
  const { events } = when(ordered().state, adjust("a1", { kind: "coupon", scope: "item", targetId: "b1-2", amount: 5000, reasonCode: "coupon", note: "CPN-77" }));
  assert.equal(events, [applied({ adjustmentId: "a1", kind: "coupon", scope: "item", targetId: "b1-2", amount: -5000, reasonCode: "coupon", note: "CPN-77" })]);
});

test("a comp takes the whole target, item or session, with its own adjustments", () => {
  const { state } = ordered();
  const item = when(state, adjust("a1", { kind: "comp", scope: "item", targetId: "b1-2", reasonCode: "manager_comp" }));
  assert.equal(item.events, [applied({ adjustmentId: "a1", kind: "comp", scope: "item", targetId: "b1-2", amount: -5000, reasonCode: "manager_comp" })]);
  assert.is(targetValue(item.state, "item", "b1-2"), 0);
  const session = when(run(state, adjust("s", { kind: "service_charge", amount: 2500, reasonCode: "service_charge" })), adjust("a2", { kind: "comp", reasonCode: "manager_comp" }));
  assert.equal(session.events, [applied({ adjustmentId: "a2", kind: "comp", amount: -27500, reasonCode: "manager_comp" })]);
  money(session.state, { sessionTotal: 0, outstanding: 0 });
});

test("a comp with an amount or percent, or of a target worth nothing, is refused with invalid_amount", () => {
  const { state } = ordered();
  const target = { kind: "comp", scope: "item", targetId: "b1-2", reasonCode: "manager_comp" } as const;
  assert.equal(decideIn(adjust("a1", { ...target, amount: 1000 }), state), refused({ code: "invalid_amount", detail: "a comp takes the whole target: no amount or percent" }));
  assert.equal(decideIn(adjust("a1", { ...target, percent: 50 }), state), refused({ code: "invalid_amount", detail: "a comp takes the whole target: no amount or percent" }));
  const comped = run(state, adjust("a1", target));
  assert.equal(decideIn(adjust("a2", target), comped), refused({ code: "invalid_amount", detail: "the adjustment comes to 0 won" }));
});

test("a service charge raises the total, fixed or as a percent, and is counted as a charge", () => {
  const { state } = ordered();
  const fixed = when(state, adjust("a1", { kind: "service_charge", amount: 2000, reasonCode: "service_charge" }));
  assert.equal(fixed.events, [applied({ adjustmentId: "a1", kind: "service_charge", amount: 2000, reasonCode: "service_charge" })]);
  money(fixed.state, { adjustmentsTotal: 2000, discountsTotal: 0, chargesTotal: 2000, sessionTotal: 27000 });
  const percent = when(state, adjust("a2", { kind: "service_charge", percent: 10, reasonCode: "service_charge" }));
  assert.equal(percent.events, [applied({ adjustmentId: "a2", kind: "service_charge", percent: 10, amount: 2500, reasonCode: "service_charge" })]);
});

test("a correction is signed either way", () => {
  const { state } = ordered();
  assert.equal(when(state, adjust("a1", { kind: "correction", amount: 1000, reasonCode: "price_error" })).events, [applied({ adjustmentId: "a1", kind: "correction", amount: 1000, reasonCode: "price_error" })]);
  assert.equal(when(state, adjust("a1", { kind: "correction", amount: -1000, reasonCode: "price_error" })).events, [applied({ adjustmentId: "a1", kind: "correction", amount: -1000, reasonCode: "price_error" })]);
  assert.equal(decideIn(adjust("a1", { kind: "correction", amount: 0, reasonCode: "price_error" }), state), refused({ code: "invalid_amount", detail: "the adjustment comes to 0 won" }));
});

test("discounts and charges are reported apart while the total nets them (R-INV-1)", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 3000 }), adjust("a2", { kind: "service_charge", amount: 2000, reasonCode: "service_charge" }));
  money(state, { itemsTotal: 25000, adjustmentsTotal: -1000, discountsTotal: -3000, chargesTotal: 2000, sessionTotal: 24000, outstanding: 24000 });
});

// ---------------------------------------------------------------- validation

test("an unknown reason code is refused with unknown_reason_code, listing the allowed ones", () => {
  assert.equal(
    decideIn(adjust("a1", { kind: "fixed_discount", amount: 1000, reasonCode: "because" }), ordered().state),
    refused({ code: "unknown_reason_code", reasonCode: "because", allowed: [...defaultMoneyPolicy.adjustmentReasonCodes] }),
  );
});

test("a note longer than the reason limit is refused with note_too_long", () => {
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", amount: 1000, note: "x".repeat(201) }), ordered().state), refused({ code: "note_too_long", max: 200 }));
});

test("an adjustment id already used is refused with id_already_used", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 1000 }));
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", amount: 1000 }), state), refused({ code: "id_already_used", id: "a1" }));
});

test("a target that does not match its scope, is unknown or is gone is refused with invalid_target", () => {
  const state = run(twoBatches().state, cancelItem("b2-1"));
  const cases: [Parameters<typeof adjust>[1], unknown][] = [
    [{ kind: "fixed_discount", amount: 100, scope: "session", targetId: "b1" }, { code: "invalid_target", scope: "session", targetId: "b1" }],
    [{ kind: "fixed_discount", amount: 100, scope: "item", targetId: null }, { code: "invalid_target", scope: "item", targetId: null }],
    [{ kind: "fixed_discount", amount: 100, scope: "item", targetId: "b9-1" }, { code: "invalid_target", scope: "item", targetId: "b9-1" }],
    [{ kind: "fixed_discount", amount: 100, scope: "item", targetId: "b2-1" }, { code: "invalid_target", scope: "item", targetId: "b2-1" }],
    [{ kind: "fixed_discount", amount: 100, scope: "batch", targetId: "b9" }, { code: "invalid_target", scope: "batch", targetId: "b9" }],
    [{ kind: "fixed_discount", amount: 100, scope: "batch", targetId: "b2" }, { code: "invalid_target", scope: "batch", targetId: "b2" }],
  ];
  for (const [fields, error] of cases) assert.equal(decideIn(adjust("a1", fields), state), refused(error), JSON.stringify(fields));
});

test("a percent that is not a whole number 1..100, or comes with an amount, is refused with invalid_amount", () => {
  const error = refused({ code: "invalid_amount", detail: "percent: a whole number 1..100, and no amount" });
  for (const percent of [0, 101, 1.5, -10, Number.NaN]) {
    assert.equal(decideIn(adjust("a1", { kind: "percent_discount", percent }), ordered().state), error, `${percent}`);
  }
  assert.equal(decideIn(adjust("a1", { kind: "percent_discount" }), ordered().state), error);
  assert.equal(decideIn(adjust("a1", { kind: "percent_discount", percent: 10, amount: 1000 }), ordered().state), error);
  assert.equal(decideIn(adjust("a1", { kind: "service_charge", percent: 0, reasonCode: "service_charge" }), ordered().state), error);
});

test("a won amount that is missing, fractional or comes with a percent is refused with invalid_amount", () => {
  const error = refused({ code: "invalid_amount", detail: "amount: an integer number of won" });
  for (const kind of ["fixed_discount", "coupon", "correction"] as const) {
    assert.equal(decideIn(adjust("a1", { kind }), ordered().state), error, kind);
    assert.equal(decideIn(adjust("a1", { kind, amount: 100.5 }), ordered().state), error, kind);
    assert.equal(decideIn(adjust("a1", { kind, amount: Number.POSITIVE_INFINITY }), ordered().state), error, kind);
  }
  assert.equal(decideIn(adjust("a1", { kind: "correction", amount: 100, percent: 10 }), ordered().state), error);
});

test("a discount, coupon or service charge of zero or less is refused with invalid_amount", () => {
  const error = refused({ code: "invalid_amount", detail: "amount must be positive (a discount is given as the won it takes off)" });
  for (const kind of ["fixed_discount", "coupon", "service_charge"] as const) {
    for (const amount of [0, -1000]) assert.equal(decideIn(adjust("a1", { kind, amount }), ordered().state), error, `${kind} ${amount}`);
  }
});

test("an adjustment amount beyond the money bound is refused with amount_too_large", () => {
  for (const amount of [moneyLimits.totalMax + 1, -(moneyLimits.totalMax + 1)]) {
    assert.equal(
      decideIn(adjust("a1", { kind: "correction", amount, actor: admin, reasonCode: "price_error" }), ordered().state),
      refused({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount }),
    );
  }
  // Within the bound one by one, but the session total would pass it.
  assert.equal(
    decideIn(adjust("a1", { kind: "service_charge", amount: moneyLimits.totalMax, actor: admin, reasonCode: "service_charge" }), ordered().state),
    refused({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount: moneyLimits.totalMax + 25000 }),
  );
});

// ---------------------------------------------------------------- approval

test("staff need an approver for an adjustment above the threshold, either sign; an admin does not", () => {
  const { state } = twoBatches(); // 41,000
  const big = { kind: "fixed_discount", amount: 30001 } as const;
  assert.equal(decideIn(adjust("a1", big), state), refused({ code: "approval_required", amount: 30001, threshold: 30000 }));
  assert.equal(
    decideIn(adjust("a1", { kind: "service_charge", amount: 30001, reasonCode: "service_charge" }), state),
    refused({ code: "approval_required", amount: 30001, threshold: 30000 }),
  );
  assert.equal(decideIn(adjust("a1", { kind: "percent_discount", percent: 80 }), state), refused({ code: "approval_required", amount: 32800, threshold: 30000 }));
  assert.equal(decideIn(adjust("a1", { kind: "comp" }), state), refused({ code: "approval_required", amount: 41000, threshold: 30000 }));
  assert.equal(when(state, adjust("a1", { ...big, approvedBy: manager })).events, [applied({ adjustmentId: "a1", kind: "fixed_discount", amount: -30001, approvedBy: manager })]);
  assert.equal(when(state, adjust("a1", { ...big, actor: admin })).events, [applied({ adjustmentId: "a1", kind: "fixed_discount", amount: -30001, actor: admin })]);
  assert.is(when(state, adjust("a1", { ...big, approvedBy: manager })).state.adjustments.get("a1")!.approvedBy, "manager-1");
});

test("an adjustment exactly at the threshold needs no approver", () => {
  assert.ok(decideIn(adjust("a1", { kind: "fixed_discount", amount: 30000 }), twoBatches().state).ok);
});

// ---------------------------------------------------------------- below zero

test("a discount above what its target is worth is refused with below_zero", () => {
  const { state } = ordered();
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-2", amount: 5001 }), state), refused({ code: "below_zero", scope: "item", targetId: "b1-2", value: -1 }));
  assert.equal(decideIn(adjust("a1", { kind: "coupon", scope: "batch", targetId: "b1", amount: 25001, reasonCode: "coupon" }), state), refused({ code: "below_zero", scope: "batch", targetId: "b1", value: -1 }));
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", amount: 25001 }), state), refused({ code: "below_zero", scope: "session", targetId: null, value: -1 }));
  const half = run(state, adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-2", amount: 3000 }));
  assert.equal(decideIn(adjust("a2", { kind: "fixed_discount", scope: "item", targetId: "b1-2", amount: 2001 }), half), refused({ code: "below_zero", scope: "item", targetId: "b1-2", value: -1 }));
});

test("a negative correction that takes the session below zero is refused with below_zero", () => {
  assert.equal(
    decideIn(adjust("a1", { kind: "correction", amount: -25001, reasonCode: "price_error" }), ordered().state),
    refused({ code: "below_zero", scope: "session", targetId: null, value: -1 }),
  );
});

test("a cancel that would take a session discount below zero is refused with below_zero, and so is a quantity change", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 20000 }));
  assert.equal(decideIn(cancelItem("b1-1"), state), refused({ code: "below_zero", scope: "session", targetId: null, value: -15000 }));
  assert.equal(decideIn(changeQuantity("b1-1", 1, "n1"), state), refused({ code: "below_zero", scope: "session", targetId: null, value: -5000 }));
});

test("a cancel that would take a batch discount below zero is refused with below_zero", () => {
  const state = run(twoBatches().state, adjust("a1", { kind: "fixed_discount", scope: "batch", targetId: "b1", amount: 20000 }));
  assert.equal(decideIn(cancelItem("b1-1"), state), refused({ code: "below_zero", scope: "batch", targetId: "b1", value: -15000 }));
});

test("removing a service charge that a discount leans on is refused with below_zero", () => {
  const state = run(ordered().state, adjust("a1", { kind: "service_charge", amount: 5000, reasonCode: "service_charge" }), adjust("a2", { kind: "fixed_discount", amount: 30000, actor: admin }));
  assert.equal(decideIn(removeAdjustment("a1", { actor: admin }), state), refused({ code: "below_zero", scope: "session", targetId: null, value: -5000 }));
});

test("two adjustments just under the threshold are counted together: the second needs an approver", () => {
  const state = run(ordered().state, adjust("a1", { kind: "service_charge", amount: 20000, reasonCode: "service_charge" }));
  assert.equal(decideIn(adjust("a2", { kind: "fixed_discount", amount: 15000 }), state), refused({ code: "approval_required", amount: 35000, threshold: defaultMoneyPolicy.approvalAboveWon }));
  assert.ok(decideIn(adjust("a2", { kind: "fixed_discount", amount: 15000, approvedBy: admin }), state).ok);
});

test("staff cannot remove an approved adjustment or one above the threshold (that would be an unapproved discount); an admin can", () => {
  const state = run(ordered().state, adjust("a1", { kind: "service_charge", amount: 40000, reasonCode: "service_charge", actor: admin }));
  assert.equal(decideIn(removeAdjustment("a1"), state), refused({ code: "approval_required", amount: 40000, threshold: defaultMoneyPolicy.approvalAboveWon }));
  assert.ok(decideIn(removeAdjustment("a1", { actor: admin }), state).ok);
});

test("a percent or comp keeps its won amount when the target later shrinks (only below zero is refused)", () => {
  const state = run(ordered().state, adjust("a1", { kind: "percent_discount", percent: 50 }));
  const after = when(state, cancelItem("b1-2")).state;
  assert.equal([after.adjustments.get("a1")!.amount, amountsOf(after).sessionTotal], [-12500, 7500]);
});

// ---------------------------------------------------------------- lapsing with their target

test("an item adjustment lapses when the item is cancelled: AdjustmentRemoved in the same decision", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-1", amount: 2000 }));
  const { events, state: after } = when(state, cancelItem("b1-1"));
  assert.equal(events.map((e) => e.type), ["ItemCancelled", "KitchenTicketCreated", "TicketPrintRequested", "AdjustmentRemoved"]);
  assert.equal(events[3], { type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a1", reason: "target cancelled", amount: -2000 });
  assert.is(after.adjustments.size, 0);
  money(after, { itemsTotal: 5000, adjustmentsTotal: 0, sessionTotal: 5000 });
});

test("an item adjustment lapses with the old line of a quantity change", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", scope: "item", targetId: "b1-1", amount: 2000 }));
  const { events, state: after } = when(state, changeQuantity("b1-1", 3, "n1"));
  assert.equal(events.at(-1), { type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a1", reason: "target cancelled", amount: -2000 });
  money(after, { itemsTotal: 35000, adjustmentsTotal: 0 });
});

test("a batch adjustment lapses when the whole batch is cancelled, with the item adjustments in it", () => {
  const state = run(
    twoBatches().state,
    adjust("a1", { kind: "fixed_discount", scope: "batch", targetId: "b1", amount: 1000 }),
    adjust("a2", { kind: "fixed_discount", scope: "item", targetId: "b1-2", amount: 500 }),
    adjust("a3", { kind: "fixed_discount", scope: "batch", targetId: "b2", amount: 700 }),
  );
  const { events, state: after } = when(state, { type: "CancelBatch", batchId: "b1", reason: "테이블 착오", actor: staff, at });
  assert.equal(events.filter((e) => e.type === "AdjustmentRemoved"), [
    { type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a1", reason: "target cancelled", amount: -1000 },
    { type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a2", reason: "target cancelled", amount: -500 },
  ]);
  assert.equal([...after.adjustments.keys()], ["a3"]);
  money(after, { itemsTotal: 16000, sessionTotal: 15300 });
});

test("a batch adjustment stays while the batch has a live item and lapses with the last one", () => {
  const state = run(twoBatches().state, adjust("a1", { kind: "fixed_discount", scope: "batch", targetId: "b1", amount: 1000 }));
  const first = when(state, cancelItem("b1-2"));
  assert.not.ok(first.events.some((e) => e.type === "AdjustmentRemoved"));
  assert.is(targetValue(first.state, "batch", "b1"), 19000);
  const last = when(first.state, cancelItem("b1-1"));
  assert.equal(last.events.at(-1), { type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a1", reason: "target cancelled", amount: -1000 });
});

// ---------------------------------------------------------------- remove

test("removing an adjustment emits AdjustmentRemoved with what it gave or took, and the total comes back", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 3000 }));
  const { events, state: after } = when(state, removeAdjustment("a1"));
  assert.equal(events, [{ type: "AdjustmentRemoved", v: 1, at, actor: staff, adjustmentId: "a1", reason: "잘못 적용", amount: -3000 }]);
  assert.is(after.adjustments.size, 0);
  money(after, { sessionTotal: 25000 });
});

test("removing an unknown adjustment, or without a reason, is refused", () => {
  const state = run(ordered().state, adjust("a1", { kind: "fixed_discount", amount: 3000 }));
  assert.equal(decideIn(removeAdjustment("a9"), state), refused({ code: "unknown_adjustment", adjustmentId: "a9" }));
  assert.equal(decideIn(removeAdjustment("a1", { reason: "" }), state), refused({ code: "reason_required" }));
  assert.equal(decideIn(removeAdjustment("a1", { reason: "x".repeat(201) }), state), refused({ code: "note_too_long", max: 200 }));
});

// ---------------------------------------------------------------- with payments

test("a discount that would leave less outstanding than a card in flight is refused with payment_in_progress", () => {
  const state = run(ordered().state, card("p1", 25000));
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", amount: 1000 }), state), refused({ code: "payment_in_progress", paymentIds: ["p1"] }));
  assert.equal(decideIn(cancelItem("b1-2"), state), refused({ code: "payment_in_progress", paymentIds: ["p1"] }));
});

test("a discount that brings a partly paid bill to zero closes the session in the same decision (R-PAY-5)", () => {
  const state = run(ordered().state, cash("p1", 20000));
  const { events, state: after } = when(state, adjust("a1", { kind: "fixed_discount", amount: 5000 }));
  assert.equal(events, [applied({ adjustmentId: "a1", kind: "fixed_discount", amount: -5000 }), { type: "SessionClosed", v: 1, at, actor: staff, reason: "paid", total: 25000 }]);
  assert.is(after.status, "closed");
});

test("a discount below what is already paid leaves money owed back, not a close", () => {
  const state = run(ordered().state, cash("p1", 20000));
  const { events, state: after } = when(state, adjust("a1", { kind: "fixed_discount", amount: 6000 }));
  assert.equal(events.map((e) => e.type), ["AdjustmentApplied"]);
  money(after, { sessionTotal: 19000, paid: 20000, outstanding: -1000 });
  assert.is(after.status, "paying");
});

// ---------------------------------------------------------------- bounds: typed refusals, never a throw (issue #9)

/** A dear dish: 1억 a unit, ×99 = 9,900,000,000, the dearest line a config allows. */
const dearMenu = buildMenu([{ id: "caviar", name: "캐비어", price: won(moneyLimits.unitPriceMax), stationId: "kitchen", soldOut: false, optionGroups: [] }], [{ id: "kitchen", name: "주방" }]);

function decideDear(command: SessionCommand, state: SessionState): Decision {
  try {
    return decide(command, state, { menu: dearMenu });
  } catch (error) {
    assert.ok(!(error instanceof AssertionError), `decide threw ${String(error)}`);
    throw error;
  }
}

test("a comp or percent charge on a target worth more than the bound is a typed refusal, not an AssertionError", () => {
  // 9.9e9 of caviar, discounted to 0 on the session, then a 1e10 service charge on the batch: the batch
  // is now worth 1.99e10 (the session 1e10, within the bound).
  let state = initialSessionState();
  for (const command of [
    openSession(),
    confirmDraft([line("caviar", 99)], { batchId: "b1" }),
    adjust("a1", { kind: "fixed_discount", amount: 9_900_000_000, actor: admin }),
    adjust("a2", { kind: "service_charge", scope: "batch", targetId: "b1", amount: moneyLimits.totalMax, actor: admin, reasonCode: "service_charge" }),
  ] satisfies SessionCommand[]) {
    const decision = decideDear(command, state);
    assert.ok(decision.ok, JSON.stringify(decision));
    state = fold(decision.events, state);
  }
  assert.is(targetValue(state, "batch", "b1"), 19_900_000_000);
  assert.equal(
    decideDear(adjust("a3", { kind: "comp", scope: "batch", targetId: "b1", actor: admin, reasonCode: "manager_comp" }), state),
    refused({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount: -19_900_000_000 }),
  );
  assert.equal(
    decideDear(adjust("a3", { kind: "service_charge", scope: "batch", targetId: "b1", percent: 100, actor: admin, reasonCode: "service_charge" }), state),
    refused({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount: 19_900_000_000 }),
  );
});

test.run();
