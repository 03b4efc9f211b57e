/**
 * Payments, refunds, close and reopen, given → when → then (SPEC R-PAY-1..5, R-REF-1..3, R-INV-2/3,
 * R-VAL-1/2). Exact events and exact typed refusals; money read back through amountsOf.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  amountsOf, batchStatus, decide, defaultMoneyPolicy, initialSessionState, itemsShare, moneyLimits, splitEqually,
  type SessionAmounts, type SessionState,
} from "../../domain/index.ts";
import { admin, at, beerLine, cancelItem, closeSession, confirmDraft, context, history, openSession, staff, stewLine } from "./fixtures.ts";
import {
  adjust, approve, card, cash, decideIn, decline, ordered, provider, refund, refundDone, refundFailed, reopen, run, voided,
} from "./money-fixtures.ts";

/** The named money fields of a state, exactly. */
function money(state: SessionState, expected: Partial<SessionAmounts>): void {
  const actual = amountsOf(state);
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof SessionAmounts]]));
  assert.equal(picked, expected);
}

/** Decides a command that must be accepted; returns its events and the state it leads to. */
function when(state: SessionState, command: Parameters<typeof decideIn>[0]) {
  const decision = decideIn(command, state);
  if (!decision.ok) throw new Error(`expected ${command.type} to be accepted, got ${JSON.stringify(decision.error)}`);
  return decision;
}

const refused = (error: unknown) => ({ ok: false, error });

const positiveInteger = "amount: a positive integer number of won";

// ---------------------------------------------------------------- cash (R-PAY-2)

test("cash for the whole bill is approved at once and closes the session in the same decision (R-PAY-5)", () => {
  const { events, state } = when(ordered().state, cash("p1", 25000));
  assert.equal(events, [
    { type: "PaymentRequested", v: 1, at, actor: staff, paymentId: "p1", method: "cash", amount: 25000, installmentMonths: 0, label: "" },
    { type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p1", amount: 25000, partial: false, tendered: 25000, change: 0, provider: null },
    { type: "SessionClosed", v: 1, at, actor: staff, reason: "paid", total: 25000 },
  ]);
  assert.is(state.status, "closed");
  assert.is(state.closedReason, "paid");
  money(state, { sessionTotal: 25000, approved: 25000, refunded: 0, paid: 25000, pending: 0, outstanding: 0, payable: 0 });
});

test("cash tendered above the amount gives the difference back as change", () => {
  const { events, state } = when(ordered().state, cash("p1", 25000, { tendered: 30000 }));
  assert.equal(events[1], { type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p1", amount: 25000, partial: false, tendered: 30000, change: 5000, provider: null });
  assert.equal(
    state.payments.get("p1"),
    {
      paymentId: "p1", method: "cash", requested: 25000, approved: 25000, tendered: 30000, change: 5000, installmentMonths: 0, label: "",
      status: "approved", refunded: 0, refundPending: 0, provider: null, requestedAt: at, requestedBy: "staff-1", voidReason: null, forBatchId: null,
    },
  );
});

test("a cash amount above what is due is change: only the due goes on the bill, never a credit", () => {
  const { events, state } = when(ordered().state, cash("p1", 30000));
  assert.equal(events.slice(0, 2), [
    { type: "PaymentRequested", v: 1, at, actor: staff, paymentId: "p1", method: "cash", amount: 25000, installmentMonths: 0, label: "" },
    { type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p1", amount: 25000, partial: false, tendered: 30000, change: 5000, provider: null },
  ]);
  money(state, { paid: 25000, outstanding: 0 });
});

test("cash tendered below the amount is refused with invalid_amount", () => {
  assert.equal(decideIn(cash("p1", 25000, { tendered: 20000 }), ordered().state), refused({ code: "invalid_amount", detail: "tendered: an integer at least the amount" }));
  assert.equal(decideIn(cash("p1", 25000, { tendered: 25000.5 }), ordered().state), refused({ code: "invalid_amount", detail: "tendered: an integer at least the amount" }));
});

test("cash tendered above the money bound is refused with invalid_amount", () => {
  const decision = decideIn(cash("p1", 25000, { tendered: moneyLimits.totalMax + 1 }), ordered().state);
  assert.equal(decision, refused({ code: "invalid_amount", detail: "tendered: an integer at least the amount" }));
});

test("a partial cash payment keeps the session open and paying with the balance shown (R-PAY-5)", () => {
  const { events, state } = when(ordered().state, cash("p1", 10000));
  assert.equal(events.map((e) => e.type), ["PaymentRequested", "PaymentApproved"]);
  assert.is(state.status, "paying");
  money(state, { sessionTotal: 25000, paid: 10000, outstanding: 15000, payable: 15000 });
});

test("cash when nothing is payable (a card covers the rest) is refused with amount_exceeds_due", () => {
  const state = run(ordered().state, card("p1", 25000));
  assert.equal(decideIn(cash("p2", 1000), state), refused({ code: "amount_exceeds_due", amount: 1000, due: 0 }));
});

test("tendered on a card payment is refused with invalid_amount", () => {
  assert.equal(decideIn(card("p1", 25000, { tendered: 30000 }), ordered().state), refused({ code: "invalid_amount", detail: "tendered is for cash only" }));
});

// ---------------------------------------------------------------- card intents and results (R-PAY-3, R-CON-4)

test("a card payment is only an intent: PaymentRequested, payment pending, session paying, nothing paid", () => {
  const { events, state } = when(ordered().state, card("p1", 25000, { label: "손님 A" }));
  assert.equal(events, [{ type: "PaymentRequested", v: 1, at, actor: staff, paymentId: "p1", method: "card", amount: 25000, installmentMonths: 0, label: "손님 A" }]);
  assert.equal(
    state.payments.get("p1"),
    {
      paymentId: "p1", method: "card", requested: 25000, approved: 0, tendered: 0, change: 0, installmentMonths: 0, label: "손님 A",
      status: "pending", refunded: 0, refundPending: 0, provider: null, requestedAt: at, requestedBy: "staff-1", voidReason: null, forBatchId: null,
    },
  );
  assert.is(state.status, "paying");
  money(state, { paid: 0, pending: 25000, outstanding: 25000, payable: 0 });
});

test("a pending card payment blocks a close, staff or admin, with payment_in_progress", () => {
  const state = run(ordered().state, card("p1", 25000));
  assert.equal(decideIn(closeSession(), state), refused({ code: "payment_in_progress", paymentIds: ["p1"] }));
  assert.equal(decideIn(closeSession({ actor: admin, reason: "마감" }), state), refused({ code: "payment_in_progress", paymentIds: ["p1"] }));
});

test("the approval of the last card payment records the provider keys and closes the session (R-PAY-3, R-PAY-5)", () => {
  const state = run(ordered().state, card("p1", 25000));
  const { events, state: after } = when(state, approve("p1", 25000));
  assert.equal(events, [
    { type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p1", amount: 25000, partial: false, tendered: 0, change: 0, provider: provider() },
    { type: "SessionClosed", v: 1, at, actor: staff, reason: "paid", total: 25000 },
  ]);
  const payment = after.payments.get("p1")!;
  assert.equal([payment.status, payment.approved, payment.provider], ["approved", 25000, provider()]);
  assert.is(after.status, "closed");
  money(after, { paid: 25000, pending: 0, outstanding: 0 });
});

test("a partial approval is partially_approved, leaves the rest outstanding and does not close", () => {
  const state = run(ordered().state, card("p1", 25000));
  const { events, state: after } = when(state, approve("p1", 20000));
  assert.equal(events, [{ type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p1", amount: 20000, partial: true, tendered: 0, change: 0, provider: provider() }]);
  assert.equal([after.payments.get("p1")!.status, after.payments.get("p1")!.requested, after.payments.get("p1")!.approved], ["partially_approved", 25000, 20000]);
  assert.is(after.status, "paying");
  money(after, { paid: 20000, pending: 0, outstanding: 5000, payable: 5000 });
});

test("a declined card payment turns void with the provider's code, and the session leaves paying", () => {
  const state = run(ordered().state, card("p1", 25000));
  const { events, state: after } = when(state, decline("p1"));
  assert.equal(events, [{ type: "PaymentDeclined", v: 1, at, actor: staff, paymentId: "p1", code: "051", message: "잔액 부족" }]);
  const payment = after.payments.get("p1")!;
  assert.equal([payment.status, payment.approved, payment.voidReason], ["void", 0, "051: 잔액 부족"]);
  assert.is(after.status, "in_kitchen");
  money(after, { paid: 0, pending: 0, outstanding: 25000, payable: 25000 });
});

test("a voided (net-cancelled) card payment turns void with its reason", () => {
  const state = run(ordered().state, card("p1", 25000));
  const { events, state: after } = when(state, voided("p1"));
  assert.equal(events, [{ type: "PaymentVoided", v: 1, at, actor: staff, paymentId: "p1", reason: "망취소: 응답 없음" }]);
  assert.equal([after.payments.get("p1")!.status, after.payments.get("p1")!.voidReason], ["void", "망취소: 응답 없음"]);
  money(after, { pending: 0, payable: 25000 });
});

test("a result for a payment that is no longer pending is refused with payment_not_pending", () => {
  const approvedOne = run(ordered().state, card("p1", 20000), approve("p1", 20000));
  assert.equal(decideIn(approve("p1", 20000), approvedOne), refused({ code: "payment_not_pending", paymentId: "p1", status: "approved" }));
  assert.equal(decideIn(decline("p1"), approvedOne), refused({ code: "payment_not_pending", paymentId: "p1", status: "approved" }));
  const voidOne = run(ordered().state, card("p1", 20000), decline("p1"));
  assert.equal(decideIn(approve("p1", 20000), voidOne), refused({ code: "payment_not_pending", paymentId: "p1", status: "void" }));
  const cashOne = run(ordered().state, cash("p1", 10000));
  assert.equal(decideIn(voided("p1"), cashOne), refused({ code: "payment_not_pending", paymentId: "p1", status: "approved" }));
});

test("a result for an unknown payment is refused with unknown_payment", () => {
  assert.equal(decideIn(approve("p9", 1000), ordered().state), refused({ code: "unknown_payment", paymentId: "p9" }));
});

test("an approval above the request or of nothing is refused with invalid_amount", () => {
  const state = run(ordered().state, card("p1", 25000));
  assert.equal(decideIn(approve("p1", 25001), state), refused({ code: "invalid_amount", detail: "approved 25001 of 25000" }));
  assert.equal(decideIn(approve("p1", 0), state), refused({ code: "invalid_amount", detail: "approved 0 of 25000" }));
  assert.equal(decideIn(approve("p1", 100.5), state), refused({ code: "invalid_amount", detail: "approved 100.5 of 25000" }));
});

// ---------------------------------------------------------------- amounts (R-PAY-1)

test("a card amount above what is payable (outstanding − pending) is refused with amount_exceeds_due", () => {
  assert.equal(decideIn(card("p1", 25001), ordered().state), refused({ code: "amount_exceeds_due", amount: 25001, due: 25000 }));
  const state = run(ordered().state, card("p1", 20000));
  assert.equal(decideIn(card("p2", 6000), state), refused({ code: "amount_exceeds_due", amount: 6000, due: 5000 }));
  assert.ok(decideIn(card("p2", 5000), state).ok);
  // Cash in the same spot: 5,000 goes on the bill, 1,000 is change.
  const { events } = when(state, cash("p2", 6000));
  assert.equal(events.map((e) => ("amount" in e ? e.amount : undefined)), [5000, 5000]);
  assert.equal(events[1], { type: "PaymentApproved", v: 1, at, actor: staff, paymentId: "p2", amount: 5000, partial: false, tendered: 6000, change: 1000, provider: null });
});

for (const amount of [0, -1, -25000, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
  test(`a payment of ${amount} is refused with invalid_amount`, () => {
    assert.equal(decideIn(cash("p1", amount), ordered().state), refused({ code: "invalid_amount", detail: positiveInteger }));
    assert.equal(decideIn(card("p1", amount), ordered().state), refused({ code: "invalid_amount", detail: positiveInteger }));
  });
}

test("a payment above the money bound is refused with amount_too_large", () => {
  const amount = moneyLimits.totalMax + 1;
  const expected = refused({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount });
  assert.equal(decideIn(cash("p1", amount), ordered().state), expected);
  assert.equal(decideIn(card("p1", amount), ordered().state), expected);
});

test("a card payment below 100 won is refused with invalid_amount", () => {
  assert.equal(decideIn(card("p1", 99), ordered().state), refused({ code: "invalid_amount", detail: "a card payment is at least 100 won" }));
  assert.ok(decideIn(card("p1", 100), ordered().state).ok);
});

test("a payment id already used is refused with id_already_used", () => {
  const state = run(ordered().state, cash("p1", 1000));
  assert.equal(decideIn(card("p1", 1000), state), refused({ code: "id_already_used", id: "p1" }));
});

test("a payment label longer than the note limit is refused with note_too_long", () => {
  assert.equal(decideIn(card("p1", 1000, { label: "x".repeat(141) }), ordered().state), refused({ code: "note_too_long", max: 140 }));
});

test("a payment before anything was ordered is refused with amount_exceeds_due", () => {
  const { state } = history(openSession());
  assert.equal(decideIn(cash("p1", 1000), state), refused({ code: "amount_exceeds_due", amount: 1000, due: 0 }));
});

// ---------------------------------------------------------------- installments

test("a card payment of 50,000 won or more may be split into 2..12 monthly installments, kept on the intent", () => {
  const big = run(ordered().state, adjust("fix", { kind: "correction", amount: 25000, reasonCode: "price_error", actor: admin }));
  for (const months of [0, 2, 3, 12]) {
    const { events } = when(big, card("p1", 50000, { installmentMonths: months }));
    assert.equal(events, [{ type: "PaymentRequested", v: 1, at, actor: staff, paymentId: "p1", method: "card", amount: 50000, installmentMonths: months, label: "" }]);
  }
  assert.equal(decideIn(card("p1", 25000, { installmentMonths: 0 }), ordered().state).ok, true);
});

test("installments of 1 month, above the policy, negative, fractional, under 50,000 won or on anything but a card are refused with invalid_amount", () => {
  const error = refused({ code: "invalid_amount", detail: `installmentMonths: 0 or 2..${defaultMoneyPolicy.cardInstallmentMonthsMax}, cards only` });
  for (const months of [1, 13, -1, 1.5]) assert.equal(decideIn(card("p1", 25000, { installmentMonths: months }), ordered().state), error, `${months}`);
  assert.equal(decideIn(cash("p1", 25000, { installmentMonths: 3 }), ordered().state), error);
  assert.equal(decideIn(card("p1", 25000, { method: "easy_pay", installmentMonths: 3 }), ordered().state), error);
  assert.equal(decideIn(card("p1", 25000, { installmentMonths: 3 }), ordered().state), refused({ code: "invalid_amount", detail: "installments from 50000 won" }));
});

// ---------------------------------------------------------------- multi-tender and split (R-PAY-2, R-PAY-5)

test("multi-tender: cash then card; only the approval that brings the balance to 0 closes", () => {
  const afterCash = when(ordered().state, cash("p1", 10000));
  assert.not.ok(afterCash.events.some((e) => e.type === "SessionClosed"));
  const afterIntent = when(afterCash.state, card("p2", 15000));
  assert.equal(afterIntent.events.map((e) => e.type), ["PaymentRequested"]);
  const { events, state } = when(afterIntent.state, approve("p2", 15000));
  assert.equal(events.map((e) => e.type), ["PaymentApproved", "SessionClosed"]);
  assert.is(state.status, "closed");
  money(state, { approved: 25000, paid: 25000, outstanding: 0 });
});

test("split equally three ways: 8,334 + 8,333 + 8,333, and only the last one closes", () => {
  const shares = splitEqually(amountsOf(ordered().state).outstanding, 3);
  assert.equal(shares, [8334, 8333, 8333]);
  let state = ordered().state;
  shares.forEach((share, i) => {
    const decision = when(state, cash(`p${i + 1}`, share));
    assert.is(decision.events.some((e) => e.type === "SessionClosed"), i === 2, `share ${i + 1}`);
    state = decision.state;
  });
  money(state, { paid: 25000, outstanding: 0 });
});

test("split by items: the beer's share is its line, paid by card", () => {
  const { state } = ordered();
  assert.is(itemsShare(state, ["b1-2"]), 5000);
  assert.is(itemsShare(state, ["b1-1", "b1-2", "b1-1"]), 25000);
  assert.is(itemsShare(state, ["b9-9"]), undefined);
  const after = run(state, card("p1", 5000), approve("p1", 5000));
  money(after, { paid: 5000, outstanding: 20000 });
  assert.is(after.status, "paying");
});

// ---------------------------------------------------------------- close (R-VAL-2)

test("staff closing with a balance is refused with balance_outstanding", () => {
  const state = run(ordered().state, cash("p1", 10000));
  assert.equal(decideIn(closeSession({ reason: "손님 떠남" }), state), refused({ code: "balance_outstanding", outstanding: 15000 }));
});

test("an admin closing with a balance writes it off as a signed correction and closes, so the closed bill adds up", () => {
  const state = run(ordered().state, cash("p1", 10000));
  const { events, state: after } = when(state, closeSession({ actor: admin, reason: "먹튀" }));
  assert.equal(events, [
    {
      type: "AdjustmentApplied", v: 1, at, actor: admin, adjustmentId: `s-1-write-off-${state.version}`, kind: "correction", scope: "session", targetId: null,
      percent: null, amount: -15000, reasonCode: "write_off", note: "먹튀", approvedBy: admin,
    },
    { type: "SessionClosed", v: 1, at, actor: admin, reason: "먹튀", total: 25000 },
  ]);
  assert.is(after.status, "closed");
  money(after, { itemsTotal: 25000, adjustmentsTotal: -15000, sessionTotal: 10000, paid: 10000, outstanding: 0 });
});

test("a close with nothing outstanding after a comp is a plain SessionClosed", () => {
  const state = run(ordered().state, adjust("a1", { kind: "comp", reasonCode: "manager_comp" }));
  const { events, state: after } = when(state, closeSession({ reason: "전액 서비스" }));
  assert.equal(events, [{ type: "SessionClosed", v: 1, at, actor: staff, reason: "전액 서비스", total: 25000 }]);
  assert.is(after.status, "closed");
});

test("a paid item cancelled leaves money owed back: close refused with refund_due until it is refunded", () => {
  const state = run(ordered().state, card("p1", 20000), approve("p1", 20000), cancelItem("b1-1"));
  money(state, { sessionTotal: 5000, paid: 20000, outstanding: -15000, payable: -15000 });
  assert.equal(decideIn(closeSession(), state), refused({ code: "refund_due", amount: 15000 }));
  assert.equal(decideIn(closeSession({ actor: admin, reason: "마감" }), state), refused({ code: "refund_due", amount: 15000 }));
  // Nothing more can be paid meanwhile.
  assert.equal(decideIn(cash("p2", 1000), state), refused({ code: "amount_exceeds_due", amount: 1000, due: 0 }));
});

test("a refund waiting for the provider blocks the close with payment_in_progress; its completion settles and closes", () => {
  const state = run(ordered().state, card("p1", 20000), approve("p1", 20000), cancelItem("b1-1"), refund("r1", "p1", 15000));
  money(state, { refundPending: 15000, outstanding: -15000 });
  assert.equal(decideIn(closeSession(), state), refused({ code: "payment_in_progress", paymentIds: ["p1"] }));
  const { events, state: after } = when(state, refundDone("r1"));
  assert.equal(events, [
    { type: "RefundCompleted", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", amount: 15000, cancelTransactionId: "C-0001", raw: { resultCode: "0000" } },
    { type: "SessionClosed", v: 1, at, actor: staff, reason: "paid", total: 5000 },
  ]);
  assert.is(after.status, "closed");
  money(after, { approved: 20000, refunded: 15000, paid: 5000, outstanding: 0 });
});

test("a closed session refuses payments, adjustments and confirmations with session_closed (R-INV-3)", () => {
  const state = run(ordered().state, cash("p1", 25000));
  const error = refused({ code: "session_closed", status: "closed" });
  assert.equal(decideIn(card("p2", 1000), state), error);
  assert.equal(decideIn(cash("p2", 1000), state), error);
  assert.equal(decideIn(adjust("a1", { kind: "fixed_discount", amount: 1000 }), state), error);
  assert.equal(decideIn(confirmDraft([beerLine()], { batchId: "b2" }), state), error);
  assert.equal(decideIn(refund("r1", "p1", 1000), state), error);
});

// ---------------------------------------------------------------- refunds (R-REF-1, R-REF-3)

/** b1 = 25,000; card p1 20,000 approved; 5,000 still outstanding, session open. */
const paidByCard = () => run(ordered().state, card("p1", 20000), approve("p1", 20000));

test("a partial card refund is requested and waits for the provider; its completion lowers paid", () => {
  const requested = when(paidByCard(), refund("r1", "p1", 8000));
  assert.equal(requested.events, [{ type: "RefundRequested", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", amount: 8000, reason: "맥주 취소분 환불", reasonCode: "complaint" }]);
  assert.equal(requested.state.refunds.get("r1"), {
    refundId: "r1", paymentId: "p1", amount: 8000, reason: "맥주 취소분 환불", reasonCode: "complaint", status: "pending", requestedAt: at, requestedBy: "staff-1",
    cancelTransactionId: null,
  });
  assert.equal([requested.state.payments.get("p1")!.refundPending, requested.state.payments.get("p1")!.refunded], [8000, 0]);
  money(requested.state, { paid: 20000, refundPending: 8000, outstanding: 5000 });
  const completed = when(requested.state, refundDone("r1"));
  assert.equal(completed.events, [
    { type: "RefundCompleted", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", amount: 8000, cancelTransactionId: "C-0001", raw: { resultCode: "0000" } },
  ]);
  const payment = completed.state.payments.get("p1")!;
  assert.equal([payment.status, payment.approved, payment.refunded, payment.refundPending], ["approved", 20000, 8000, 0]);
  assert.equal([completed.state.refunds.get("r1")!.status, completed.state.refunds.get("r1")!.cancelTransactionId], ["completed", "C-0001"]);
  money(completed.state, { approved: 20000, refunded: 8000, paid: 12000, refundPending: 0, outstanding: 13000 });
});

test("refunding all of a payment turns it refunded (approved or partially approved)", () => {
  const full = run(paidByCard(), refund("r1", "p1", 20000), refundDone("r1"));
  assert.equal([full.payments.get("p1")!.status, full.payments.get("p1")!.refunded], ["refunded", 20000]);
  money(full, { paid: 0, outstanding: 25000 });
  const partial = run(ordered().state, card("p1", 25000), approve("p1", 20000), refund("r1", "p1", 20000), refundDone("r1"));
  assert.equal(partial.payments.get("p1")!.status, "refunded");
});

test("refunding more than is left of the payment is refused with refund_exceeds_payment (pending refunds count)", () => {
  assert.equal(decideIn(refund("r1", "p1", 20001), paidByCard()), refused({ code: "refund_exceeds_payment", amount: 20001, refundable: 20000 }));
  const pendingOne = run(paidByCard(), refund("r1", "p1", 8000));
  assert.equal(decideIn(refund("r2", "p1", 12001), pendingOne), refused({ code: "refund_exceeds_payment", amount: 12001, refundable: 12000 }));
  const doneOne = run(pendingOne, refundDone("r1"));
  assert.equal(decideIn(refund("r2", "p1", 12001), doneOne), refused({ code: "refund_exceeds_payment", amount: 12001, refundable: 12000 }));
  assert.ok(decideIn(refund("r2", "p1", 12000), doneOne).ok);
  const refunded = run(doneOne, refund("r2", "p1", 12000), refundDone("r2"));
  assert.equal(decideIn(refund("r3", "p1", 1), refunded), refused({ code: "refund_exceeds_payment", amount: 1, refundable: 0 }));
});

test("refunding a pending or void payment is refused with payment_not_refundable", () => {
  const pending = run(ordered().state, card("p1", 20000));
  assert.equal(decideIn(refund("r1", "p1", 1000), pending), refused({ code: "payment_not_refundable", paymentId: "p1", status: "pending" }));
  const voidOne = run(pending, decline("p1"));
  assert.equal(decideIn(refund("r1", "p1", 1000), voidOne), refused({ code: "payment_not_refundable", paymentId: "p1", status: "void" }));
});

test("a cash refund leaves the drawer at once: RefundRequested and RefundCompleted together", () => {
  const state = run(ordered().state, cash("p1", 10000));
  const { events, state: after } = when(state, refund("r1", "p1", 4000));
  assert.equal(events, [
    { type: "RefundRequested", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", amount: 4000, reason: "맥주 취소분 환불", reasonCode: "complaint" },
    { type: "RefundCompleted", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", amount: 4000, cancelTransactionId: null, raw: null },
  ]);
  assert.equal([after.payments.get("p1")!.refunded, after.payments.get("p1")!.refundPending, after.refunds.get("r1")!.status], [4000, 0, "completed"]);
  money(after, { paid: 6000, outstanding: 19000 });
});

test("a failed card refund is recorded, gives nothing back and frees the amount for another try", () => {
  const state = run(paidByCard(), refund("r1", "p1", 8000));
  const { events, state: after } = when(state, refundFailed("r1"));
  assert.equal(events, [{ type: "RefundFailed", v: 1, at, actor: staff, refundId: "r1", paymentId: "p1", code: "E12", message: "취소 기한 초과" }]);
  assert.equal([after.refunds.get("r1")!.status, after.payments.get("p1")!.refunded, after.payments.get("p1")!.refundPending, after.payments.get("p1")!.status], ["failed", 0, 0, "approved"]);
  money(after, { paid: 20000, refundPending: 0 });
  assert.ok(decideIn(refund("r2", "p1", 20000), after).ok);
});

test("a result for a refund that is not pending is refused with refund_not_pending; an unknown one with unknown_refund", () => {
  const done = run(paidByCard(), refund("r1", "p1", 8000), refundDone("r1"));
  assert.equal(decideIn(refundDone("r1"), done), refused({ code: "refund_not_pending", refundId: "r1", status: "completed" }));
  assert.equal(decideIn(refundFailed("r1"), done), refused({ code: "refund_not_pending", refundId: "r1", status: "completed" }));
  const failed = run(paidByCard(), refund("r1", "p1", 8000), refundFailed("r1"));
  assert.equal(decideIn(refundDone("r1"), failed), refused({ code: "refund_not_pending", refundId: "r1", status: "failed" }));
  assert.equal(decideIn(refundDone("r9"), done), refused({ code: "unknown_refund", refundId: "r9" }));
});

test("a refund needs a known payment, a new id, a reason, a known reason code and a positive whole amount (R-VAL-3)", () => {
  const state = run(paidByCard(), refund("r1", "p1", 1000));
  assert.equal(decideIn(refund("r2", "p9", 1000), state), refused({ code: "unknown_payment", paymentId: "p9" }));
  assert.equal(decideIn(refund("r1", "p1", 1000), state), refused({ code: "id_already_used", id: "r1" }));
  assert.equal(decideIn(refund("r2", "p1", 1000, { reason: " " }), state), refused({ code: "reason_required" }));
  assert.equal(decideIn(refund("r2", "p1", 1000, { reason: "x".repeat(201) }), state), refused({ code: "note_too_long", max: 200 }));
  assert.equal(
    decideIn(refund("r2", "p1", 1000, { reasonCode: "whim" }), state),
    refused({ code: "unknown_reason_code", reasonCode: "whim", allowed: [...defaultMoneyPolicy.adjustmentReasonCodes] }),
  );
  for (const amount of [0, -1000, 0.5, Number.NaN]) {
    assert.equal(decideIn(refund("r2", "p1", amount), state), refused({ code: "invalid_amount", detail: positiveInteger }), `${amount}`);
  }
});

// ---------------------------------------------------------------- reopen (R-VAL-1)

/** Paid in full by cash: closed. */
const paidAndClosed = () => run(ordered().state, cash("p1", 25000));

test("an admin reopens a closed session with a reason: SessionReopened, back to paying", () => {
  const { events, state } = when(paidAndClosed(), reopen({ actor: admin }));
  assert.equal(events, [{ type: "SessionReopened", v: 1, at, actor: admin, reason: "영수증 정정" }]);
  assert.equal([state.status, state.closedReason], ["paying", null]);
});

test("after a reopen an admin corrects the bill: cancel the beer, refund it in cash, and it settles and closes again", () => {
  const state = run(paidAndClosed(), reopen({ actor: admin }), cancelItem("b1-2", { actor: admin }));
  assert.equal(decideIn(closeSession({ actor: admin, reason: "정정" }), state), refused({ code: "refund_due", amount: 5000 }));
  const { events, state: after } = when(state, refund("r1", "p1", 5000, { actor: admin }));
  assert.equal(events.map((e) => e.type), ["RefundRequested", "RefundCompleted", "SessionClosed"]);
  assert.is(after.status, "closed");
  money(after, { sessionTotal: 20000, paid: 20000, outstanding: 0 });
});

test("reopening as staff is refused with admin_only", () => {
  assert.equal(decideIn(reopen(), paidAndClosed()), refused({ code: "admin_only", action: "reopen a closed session" }));
});

test("reopening a session that is not closed is refused with session_not_closed", () => {
  assert.equal(decideIn(reopen({ actor: admin }), ordered().state), refused({ code: "session_not_closed", status: "in_kitchen" }));
  assert.equal(decideIn(reopen({ actor: admin }), run(ordered().state, cash("p1", 1000))), refused({ code: "session_not_closed", status: "paying" }));
  assert.equal(decideIn(reopen({ actor: admin }), initialSessionState()), refused({ code: "no_open_session" }));
});

test("reopening without a reason is refused with reason_required", () => {
  assert.equal(decideIn(reopen({ actor: admin, reason: "  " }), paidAndClosed()), refused({ code: "reason_required" }));
});

// ---------------------------------------------------------------- statuses, every transition

test("session status: open → in_kitchen → paying → in_kitchen (declined) → paying → closed → paying (reopen) → closed", () => {
  const seen: string[] = [];
  let state = initialSessionState();
  for (const command of [
    openSession(), confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1" }), card("p1", 25000), decline("p1"),
    cash("p2", 10000), cash("p3", 15000), reopen({ actor: admin }), closeSession({ actor: admin, reason: "정정 없음" }),
  ]) {
    state = when(state, command).state;
    seen.push(state.status);
  }
  assert.equal(seen, ["open", "in_kitchen", "paying", "in_kitchen", "paying", "closed", "paying", "closed"]);
});

test("session status: open → cancelled when closed with nothing; in_kitchen → cancelled when everything was cancelled; cancelled → open on reopen", () => {
  const empty = when(history(openSession()).state, closeSession());
  assert.equal(empty.events, [{ type: "SessionClosed", v: 1, at, actor: staff, reason: "", total: 0 }]);
  assert.is(empty.state.status, "cancelled");
  assert.is(when(empty.state, reopen({ actor: admin })).state.status, "open");
  const calledOff = run(ordered().state, cancelItem("b1-1"), cancelItem("b1-2"), closeSession());
  assert.is(calledOff.status, "cancelled");
});

test("session status: in_kitchen → closed when an admin writes the whole bill off; paying → closed by a staff close at zero", () => {
  assert.is(run(ordered().state, closeSession({ actor: admin, reason: "먹튀" })).status, "closed");
  // Partly paid, the rest comped: nothing outstanding, the comp's own decision closes it (R-PAY-5).
  const comped = when(run(ordered().state, cash("p1", 5000)), adjust("a1", { kind: "comp", scope: "item", targetId: "b1-1", reasonCode: "manager_comp" }));
  assert.equal(comped.events.map((e) => e.type), ["AdjustmentApplied", "SessionClosed"]);
  assert.is(comped.state.status, "closed");
});

test("payment status: pending → approved | partially_approved | void (declined) | void (voided); approved | partially_approved → refunded", () => {
  const status = (state: SessionState, id = "p1") => state.payments.get(id)!.status;
  const pending = run(ordered().state, card("p1", 20000));
  assert.is(status(pending), "pending");
  assert.is(status(run(pending, approve("p1", 20000))), "approved");
  assert.is(status(run(pending, approve("p1", 19999))), "partially_approved");
  assert.is(status(run(pending, decline("p1"))), "void");
  assert.is(status(run(pending, voided("p1"))), "void");
  const approvedOne = run(pending, approve("p1", 20000));
  assert.is(status(run(approvedOne, refund("r1", "p1", 1))), "approved");
  assert.is(status(run(approvedOne, refund("r1", "p1", 19999), refundDone("r1"))), "approved");
  assert.is(status(run(approvedOne, refund("r1", "p1", 20000), refundFailed("r1"))), "approved");
  assert.is(status(run(approvedOne, refund("r1", "p1", 20000), refundDone("r1"))), "refunded");
  assert.is(status(run(pending, approve("p1", 19999), refund("r1", "p1", 19999), refundDone("r1"))), "refunded");
  assert.is(status(run(ordered().state, cash("p1", 10000), refund("r1", "p1", 10000))), "refunded");
});


// ---------------------------------------------------------------- batch states (SPEC: confirmed, in kitchen, ready, void)

test("a batch is confirmed, then in_kitchen once an item starts, ready when every live item is cooked or served, void when all are cancelled", () => {
  const { state } = ordered();
  assert.is(batchStatus(state, "b1"), "confirmed");
  const cooking = run(state, { type: "AdvanceItems", itemIds: ["b1-1"], to: "cooking", actor: staff, at });
  assert.is(batchStatus(cooking, "b1"), "in_kitchen");
  const oneCooked = run(cooking, { type: "AdvanceItems", itemIds: ["b1-1"], to: "cooked", actor: staff, at });
  assert.is(batchStatus(oneCooked, "b1"), "in_kitchen");
  const ready = run(oneCooked, { type: "AdvanceItems", itemIds: ["b1-2"], to: "cooked", actor: staff, at });
  assert.is(batchStatus(ready, "b1"), "ready");
  assert.is(batchStatus(run(ready, { type: "AdvanceItems", itemIds: ["b1-1", "b1-2"], to: "served", actor: staff, at }), "b1"), "ready");
  // A cancelled line does not hold the batch back; all cancelled = void.
  assert.is(batchStatus(run(oneCooked, cancelItem("b1-2")), "b1"), "ready");
  assert.is(batchStatus(run(state, cancelItem("b1-1"), cancelItem("b1-2")), "b1"), "void");
});


// ---------------------------------------------------------------- prepaid QR/app orders (R-TLL-3, R-ACC-6)

test("a prepaid app order lands with its approved payment in one decision: counted as paid, not outstanding, and the table stays open", () => {
  const opened = history(openSession()).state;
  const prepaid = { paymentId: "app-pay-1", method: "card" as const, amount: 25000, provider: provider() };
  const { events, state } = when(opened, confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1", source: "app", prepaid }));
  assert.equal(events.map((e) => e.type), ["BatchConfirmed", "PaymentRequested", "PaymentApproved", "KitchenTicketCreated", "TicketPrintRequested", "KitchenTicketCreated", "TicketPrintRequested"]);
  assert.is(state.payments.get("app-pay-1")!.forBatchId, "b1");
  assert.equal([amountsOf(state).paid, amountsOf(state).outstanding, state.status], [25000, 0, "paying"]);
  // Unpaid POS orders on top are paid together, the prepaid part excluded (R-ACC-6).
  const more = when(state, confirmDraft([beerLine(1)], { batchId: "b2" })).state;
  assert.is(amountsOf(more).payable, 5000);
  const closed = when(more, cash("p2", 5000)).state;
  assert.is(closed.status, "closed");
});

test("a prepaid amount that is not what the items cost here is refused with prepaid_mismatch (client prices are never used)", () => {
  const opened = history(openSession()).state;
  const prepaid = { paymentId: "app-pay-1", method: "card" as const, amount: 24000, provider: provider() };
  assert.equal(decideIn(confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { source: "app", prepaid }), opened), refused({ code: "prepaid_mismatch", amount: 24000, total: 25000 }));
});

test("staff cannot cancel a QR or app item (remote_order_locked) unless the store allows it; an admin can, and a prepaid cancel leaves a refund due", () => {
  const opened = history(openSession()).state;
  const prepaid = { paymentId: "app-pay-1", method: "card" as const, amount: 25000, provider: provider() };
  const state = when(opened, confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1", source: "app", prepaid })).state;
  assert.equal(decideIn(cancelItem("b1-2"), state), refused({ code: "remote_order_locked", itemId: "b1-2", source: "app" }));
  assert.ok(decide(cancelItem("b1-2"), state, { ...context, staffMayEditRemoteOrders: true }).ok);
  const after = when(state, cancelItem("b1-2", { actor: admin })).state;
  assert.is(amountsOf(after).outstanding, -5000);
  assert.equal(decideIn(closeSession(), after), refused({ code: "refund_due", amount: 5000 }));
});

test.run();
