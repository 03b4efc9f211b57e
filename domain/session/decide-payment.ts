import { moneyLimits, orderLimits } from "../limits.ts";
import { won, zeroWon } from "../money.ts";
import type {
  ApplyAdjustment, RecordPaymentResult, RecordRefundResult, RemoveAdjustment, ReopenSession, RequestPayment, RequestRefund,
} from "./commands.ts";
import type { Step as Decision, MoneyPolicy } from "./decide.ts";
import type { DomainError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import type { ActorRef, SessionState } from "./state.ts";
import { amountsOf, percentOf, targetValue } from "./amounts.ts";

/** Defaults for a store that configures nothing (server/config). */
export const defaultMoneyPolicy: MoneyPolicy = {
  adjustmentReasonCodes: [
    "regular_customer", "event", "complaint", "staff_meal", "manager_comp", "coupon", "service_charge", "price_error", "other",
  ],
  approvalAboveWon: 30_000,
  cardInstallmentMonthsMax: 12,
};

const cardMinimumWon = 100;
/** A provider's refusal code is kept up to this length. */
const providerCodeLengthMax = 64;
const notPositiveWon: DomainError = { code: "invalid_amount", detail: "amount: a positive integer number of won" };

function isPositiveWon(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}
const installmentMinimumWon = 50_000;

/** R-INV-1: discounts, comps, coupons, service charges and corrections, each with a reason. */
export function decideAdjust(command: ApplyAdjustment, state: SessionState, policy: MoneyPolicy): Decision {
  if (state.adjustments.has(command.adjustmentId)) return reject({ code: "id_already_used", id: command.adjustmentId });
  if (!policy.adjustmentReasonCodes.includes(command.reasonCode)) {
    return reject({ code: "unknown_reason_code", reasonCode: command.reasonCode, allowed: [...policy.adjustmentReasonCodes] });
  }
  if (command.note.length > orderLimits.reasonLengthMax) return reject({ code: "note_too_long", max: orderLimits.reasonLengthMax });
  if ((command.scope === "session") !== (command.targetId === null)) {
    return reject({ code: "invalid_target", scope: command.scope, targetId: command.targetId });
  }
  const base = targetValue(state, command.scope, command.targetId);
  if (base === undefined) return reject({ code: "invalid_target", scope: command.scope, targetId: command.targetId });
  const amount = adjustmentAmount(command, base);
  if (typeof amount !== "number") return reject(amount);
  // A comp or percent of a target worth more than the bound (a batch charged on a discounted session) would
  // reach won()'s assertion below; refuse it typed instead.
  if (Math.abs(amount) > moneyLimits.totalMax) {
    return reject({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount });
  }
  if (amount === 0) return reject({ code: "invalid_amount", detail: "the adjustment comes to 0 won" });
  // The threshold counts what staff already gave without an approver in this session, so two
  // discounts just under it cannot pass where one would not.
  const unapproved = [...state.adjustments.values()]
    .filter((a) => a.approvedBy === null && a.reasonCode !== "write_off")
    .reduce((sum, a) => sum + Math.abs(a.amount), 0);
  if (unapproved + Math.abs(amount) > policy.approvalAboveWon && command.actor.role !== "admin" && !command.approvedBy) {
    return reject({ code: "approval_required", amount: unapproved + Math.abs(amount), threshold: policy.approvalAboveWon });
  }
  const usesPercent = command.kind === "percent_discount" || (command.kind === "service_charge" && command.percent !== undefined);
  const percent = usesPercent ? command.percent! : null;
  return accept([{
    type: "AdjustmentApplied", v: 1, at: command.at, actor: command.actor, adjustmentId: command.adjustmentId, kind: command.kind,
    scope: command.scope, targetId: command.targetId, percent, amount: won(amount), reasonCode: command.reasonCode, note: command.note,
    approvedBy: command.approvedBy ?? null,
  }]);
}

/** The signed amount of an adjustment on a target now worth `base` won, or why it cannot be. */
function adjustmentAmount(command: ApplyAdjustment, base: number): number | DomainError {
  const { kind, percent, amount } = command;
  const usesPercent = kind === "percent_discount" || (kind === "service_charge" && percent !== undefined);
  if (usesPercent) {
    if (amount !== undefined || percent === undefined || !Number.isSafeInteger(percent) || percent < 1 || percent > 100) {
      return { code: "invalid_amount", detail: "percent: a whole number 1..100, and no amount" };
    }
    const value = percentOf(Math.max(base, 0), percent);
    return kind === "percent_discount" ? -value : value;
  }
  if (kind === "comp") {
    if (amount !== undefined || percent !== undefined) {
      return { code: "invalid_amount", detail: "a comp takes the whole target: no amount or percent" };
    }
    return -base;
  }
  if (percent !== undefined || amount === undefined || !Number.isSafeInteger(amount)) {
    return { code: "invalid_amount", detail: "amount: an integer number of won" };
  }
  if (Math.abs(amount) > moneyLimits.totalMax) return { code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount };
  if (kind === "correction") return amount;
  if (amount <= 0) return { code: "invalid_amount", detail: "amount must be positive (a discount is given as the won it takes off)" };
  if (kind === "service_charge") return amount;
  // fixed_discount, coupon: never below zero (checked again on the result by moneyViolation).
  if (amount > base) return { code: "below_zero", scope: command.scope, targetId: command.targetId, value: base - amount };
  return -amount;
}

export function decideRemoveAdjustment(command: RemoveAdjustment, state: SessionState, policy: MoneyPolicy): Decision {
  const adjustment = state.adjustments.get(command.adjustmentId);
  if (!adjustment) return reject({ code: "unknown_adjustment", adjustmentId: command.adjustmentId });
  // Taking off a big service charge (or an approved one) is itself a discount: the same approval rule.
  if ((Math.abs(adjustment.amount) > policy.approvalAboveWon || adjustment.approvedBy !== null) && command.actor.role !== "admin") {
    return reject({ code: "approval_required", amount: Math.abs(adjustment.amount), threshold: policy.approvalAboveWon });
  }
  const reasonError = checkReason(command.reason);
  if (reasonError) return reject(reasonError);
  const { at, actor, reason } = command;
  return accept([{ type: "AdjustmentRemoved", v: 1, at, actor, adjustmentId: adjustment.adjustmentId, reason, amount: adjustment.amount }]);
}

/**
 * R-PAY-1/2: a payment for at most what is still payable (outstanding − payments in flight).
 * Cash is settled here at once; anything else becomes a durable intent (R-CON-4).
 */
export function decideRequestPayment(command: RequestPayment, state: SessionState, policy: MoneyPolicy): Decision {
  if (state.payments.has(command.paymentId)) return reject({ code: "id_already_used", id: command.paymentId });
  const { amount, method } = command;
  if (!isPositiveWon(amount)) return reject(notPositiveWon);
  if (amount > moneyLimits.totalMax) return reject({ code: "amount_too_large", what: "session", max: moneyLimits.totalMax, amount });
  const label = command.label ?? "";
  if (label.length > orderLimits.noteLengthMax) return reject({ code: "note_too_long", max: orderLimits.noteLengthMax });
  const months = command.installmentMonths ?? 0;
  // 할부: 0 (일시불) or 2..max months, cards only, from 50,000 won (Korean card practice).
  const monthsOk = Number.isSafeInteger(months) && months >= 0 && months !== 1 && months <= policy.cardInstallmentMonthsMax;
  if (!monthsOk || (months > 0 && method !== "card")) {
    return reject({ code: "invalid_amount", detail: `installmentMonths: 0 or 2..${policy.cardInstallmentMonthsMax}, cards only` });
  }
  if (months > 0 && amount < installmentMinimumWon) {
    return reject({ code: "invalid_amount", detail: `installments from ${installmentMinimumWon} won` });
  }
  const due = amountsOf(state).payable;
  const { at, actor, paymentId } = command;
  if (method === "cash") {
    const tendered = command.tendered ?? amount;
    if (!Number.isSafeInteger(tendered) || tendered < amount || tendered > moneyLimits.totalMax) {
      return reject({ code: "invalid_amount", detail: "tendered: an integer at least the amount" });
    }
    if (due <= 0) return reject({ code: "amount_exceeds_due", amount, due: Math.max(due, 0) });
    // Cash above what is due is change, never a credit on the bill.
    const applied = Math.min(amount, due);
    return accept([
      { type: "PaymentRequested", v: 1, at, actor, paymentId, method, amount: won(applied), installmentMonths: 0, label },
      {
        type: "PaymentApproved", v: 1, at, actor, paymentId, amount: won(applied), partial: false,
        tendered: won(tendered), change: won(tendered - applied), provider: null,
      },
    ]);
  }
  if (command.tendered !== undefined) return reject({ code: "invalid_amount", detail: "tendered is for cash only" });
  if (amount > due) return reject({ code: "amount_exceeds_due", amount, due: Math.max(due, 0) });
  if (method === "card" && amount < cardMinimumWon) {
    return reject({ code: "invalid_amount", detail: `a card payment is at least ${cardMinimumWon} won` });
  }
  return accept([{ type: "PaymentRequested", v: 1, at, actor, paymentId, method, amount: won(amount), installmentMonths: months, label }]);
}

/** The provider's answer (or reconciliation's finding) for a pending payment. */
export function decideRecordPayment(command: RecordPaymentResult, state: SessionState): Decision {
  const payment = state.payments.get(command.paymentId);
  if (!payment) return reject({ code: "unknown_payment", paymentId: command.paymentId });
  if (payment.status !== "pending") return reject({ code: "payment_not_pending", paymentId: payment.paymentId, status: payment.status });
  const { at, actor, result } = command;
  switch (result.kind) {
    case "approved": {
      // An approval above the request would be a provider fault: recorded only up to what was asked, never silently more.
      if (!Number.isSafeInteger(result.amount) || result.amount <= 0 || result.amount > payment.requested) {
        return reject({ code: "invalid_amount", detail: `approved ${result.amount} of ${payment.requested}` });
      }
      return accept([{
        type: "PaymentApproved", v: 1, at, actor, paymentId: payment.paymentId, amount: won(result.amount),
        partial: result.amount < payment.requested,
        tendered: zeroWon, change: zeroWon, provider: result.provider,
      }]);
    }
    case "declined":
      return accept([{
        type: "PaymentDeclined", v: 1, at, actor, paymentId: payment.paymentId,
        code: result.code.slice(0, providerCodeLengthMax), message: result.message.slice(0, orderLimits.reasonLengthMax),
      }]);
    case "voided":
      return accept([{
        type: "PaymentVoided", v: 1, at, actor, paymentId: payment.paymentId, reason: result.reason.slice(0, orderLimits.reasonLengthMax),
      }]);
  }
}

/** R-REF-1: a refund names its payment and never gives back more than is left of it. */
export function decideRequestRefund(command: RequestRefund, state: SessionState, policy: MoneyPolicy): Decision {
  if (state.refunds.has(command.refundId)) return reject({ code: "id_already_used", id: command.refundId });
  const payment = state.payments.get(command.paymentId);
  if (!payment) return reject({ code: "unknown_payment", paymentId: command.paymentId });
  if (payment.status === "pending" || payment.status === "void") {
    return reject({ code: "payment_not_refundable", paymentId: payment.paymentId, status: payment.status });
  }
  const reasonError = checkReason(command.reason);
  if (reasonError) return reject(reasonError);
  if (!policy.adjustmentReasonCodes.includes(command.reasonCode)) {
    return reject({ code: "unknown_reason_code", reasonCode: command.reasonCode, allowed: [...policy.adjustmentReasonCodes] });
  }
  const { amount } = command;
  if (!isPositiveWon(amount)) return reject(notPositiveWon);
  const refundable = payment.approved - payment.refunded - payment.refundPending;
  if (amount > refundable) return reject({ code: "refund_exceeds_payment", amount, refundable });
  const { at, actor, refundId } = command;
  const { paymentId, method } = payment;
  const { reason, reasonCode } = command;
  const refunded = won(amount);
  const requested: SessionEvent = { type: "RefundRequested", v: 1, at, actor, refundId, paymentId, amount: refunded, reason, reasonCode };
  // Cash leaves the drawer now; a card refund is a provider cancel, answered later.
  if (method === "cash") {
    const completed: SessionEvent = {
      type: "RefundCompleted", v: 1, at, actor, refundId, paymentId, amount: refunded, cancelTransactionId: null, raw: null,
    };
    return accept([requested, completed]);
  }
  return accept([requested]);
}

export function decideRecordRefund(command: RecordRefundResult, state: SessionState): Decision {
  const refund = state.refunds.get(command.refundId);
  if (!refund) return reject({ code: "unknown_refund", refundId: command.refundId });
  if (refund.status !== "pending") return reject({ code: "refund_not_pending", refundId: refund.refundId, status: refund.status });
  const { at, actor, result } = command;
  if (result.kind === "completed") {
    const { refundId, paymentId, amount } = refund;
    const { cancelTransactionId, raw } = result;
    return accept([{ type: "RefundCompleted", v: 1, at, actor, refundId, paymentId, amount, cancelTransactionId, raw }]);
  }
  return accept([{
    type: "RefundFailed", v: 1, at, actor, refundId: refund.refundId, paymentId: refund.paymentId,
    code: result.code.slice(0, providerCodeLengthMax), message: result.message.slice(0, orderLimits.reasonLengthMax),
  }]);
}

/** R-VAL-1: only an admin reopens a closed session, always with a reason. */
export function decideReopen(command: ReopenSession, state: SessionState): Decision {
  if (state.status !== "closed" && state.status !== "cancelled") return reject({ code: "session_not_closed", status: state.status });
  if (command.actor.role !== "admin") return reject({ code: "admin_only", action: "reopen a closed session" });
  const reasonError = checkReason(command.reason);
  if (reasonError) return reject(reasonError);
  return accept([{ type: "SessionReopened", v: 1, at: command.at, actor: command.actor, reason: command.reason }]);
}

/**
 * R-PAY-5: when nothing is outstanding and nothing is in flight after a payment step, the session
 * closes in the same commit (the table is free); after a partial payment it stays open.
 */
export function autoClose(state: SessionState, actor: ActorRef, at: string): SessionEvent | undefined {
  const amounts = amountsOf(state);
  if (amounts.paid <= 0 || amounts.outstanding !== 0 || amounts.pending !== 0 || amounts.refundPending !== 0) return undefined;
  return { type: "SessionClosed", v: 1, at, actor, reason: "paid", total: state.total };
}

function checkReason(reason: string): DomainError | undefined {
  if (reason.trim() === "") return { code: "reason_required" };
  if (reason.length > orderLimits.reasonLengthMax) return { code: "note_too_long", max: orderLimits.reasonLengthMax };
  return undefined;
}

function accept(events: SessionEvent[]): Decision {
  return { ok: true, events };
}

function reject(error: DomainError): Decision {
  return { ok: false, error };
}
