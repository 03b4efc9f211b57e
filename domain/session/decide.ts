import { assertNever } from "../assert.ts";
import type { Menu } from "../menu.ts";
import { orderLimits } from "../limits.ts";
import { priceLine, totalOf } from "../pricing.ts";
import { won, zeroWon } from "../money.ts";
import type { CloseSession, ConfirmDraft, OpenSession, SessionCommand } from "./commands.ts";
import type { DomainError } from "./errors.ts";
import type { SessionState } from "./state.ts";
import { isLive } from "./state.ts";
import { decideResume, decideTimeOut, timedOutRefusal } from "./idle.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import { ticketEvents } from "./tickets.ts";
import { stockShortfall } from "../stock/levels.ts";
import { decideCancel, decideCancelBatch, decideChangeQuantity } from "./decide-cancel.ts";
import { decideAdvance, decideBump, decideMissing, decideRecall } from "./decide-kitchen.ts";
import {
  autoClose, decideAdjust, decideRecordPayment, decideRecordRefund, decideRemoveAdjustment, decideReopen, decideRequestPayment,
  decideRequestRefund, defaultMoneyPolicy,
} from "./decide-payment.ts";
import { amountsOf, adjustmentsLapsingWith, moneyViolation } from "./amounts.ts";
import { evolve } from "./evolve.ts";
import { staleConflict, type SessionHistory } from "./rebase.ts";

/** One rule's answer: the events it would add, or why not. */
export type Step = { ok: true; events: SessionEvent[] } | { ok: false; error: DomainError };

/** decide's answer: the events and the state they lead to (checked), or why not. */
export type Decision = { ok: true; events: SessionEvent[]; state: SessionState } | { ok: false; error: DomainError };

/** A store's money rules (config): reason codes, the approval threshold, installments. */
export interface MoneyPolicy {
  readonly adjustmentReasonCodes: readonly string[];
  /** An adjustment bigger than this (in won, either sign) needs an approver or an admin. */
  readonly approvalAboveWon: number;
  readonly cardInstallmentMonthsMax: number;
}

/** Runtime availability of a menu item (86 / countdown), set by the kitchen or an admin. */
export interface StockLevel {
  readonly soldOut: boolean;
  /** Portions left; null = not counted. */
  readonly remaining: number | null;
}

/** What decide needs besides the state: the store's menu and stock as they are now. */
export interface DecideContext {
  readonly menu: Menu;
  readonly stock?: ReadonlyMap<string, StockLevel>;
  readonly money?: MoneyPolicy;
  /** R-TLL-2: whether staff may cancel or change QR/app items (an admin always may). Default: no. */
  readonly staffMayEditRemoteOrders?: boolean;
}

/**
 * Every command goes through here: the rule for its type, then the money rules (R-INV-1/2,
 * R-VAL-2, no discount below zero) checked on the state the events lead to. A command that would
 * break one is refused; an accepted one returns that state, so nobody folds twice.
 */
export function decide(command: SessionCommand, state: SessionState, context: DecideContext, history?: SessionHistory): Decision {
  // R-CON-2: a stale command is merged when it commutes with what happened since (rebase.ts), else refused.
  const conflict = staleConflict(command, state, history);
  if (conflict) return reject(conflict);
  const step = decideStep(command, state, context);
  if (!step.ok) return step;
  const events = [...step.events];
  let after = events.reduce(evolve, state);
  // Adjustments on an item or batch that no longer exists lapse with it (in the same commit).
  for (const lapsed of adjustmentsLapsingWith(state, after)) {
    const removal: SessionEvent = { type: "AdjustmentRemoved", v: 1, at: command.at, actor: command.actor, adjustmentId: lapsed.adjustmentId, reason: "target cancelled", amount: lapsed.amount };
    events.push(removal);
    after = evolve(after, removal);
  }
  // A money step or a correction closes the table when it settles it; a new order never does
  // (a prepaid order arrives settled and the guests are still eating).
  if (closesWhenSettled(command) && isLive(after.status) && settled(after) && !settled(state)) {
    const close = autoClose(after, command.actor, command.at);
    if (close) {
      events.push(close);
      after = evolve(after, close);
    }
  }
  const violation = events.length > 0 ? moneyViolation(after) : undefined;
  if (violation) return reject(violation);
  return { ok: true, events, state: after };
}

function closesWhenSettled(command: SessionCommand): boolean {
  switch (command.type) {
    case "RequestPayment":
    case "RecordPaymentResult":
    case "RequestRefund":
    case "RecordRefundResult":
    case "ApplyAdjustment":
    case "RemoveAdjustment":
    case "CancelItem":
    case "CancelBatch":
    case "ChangeItemQuantity":
      return true;
    default:
      return false;
  }
}

/** Paid in full with nothing in flight: the moment R-PAY-5 closes the session. */
function settled(state: SessionState): boolean {
  const a = amountsOf(state);
  return a.paid > 0 && a.outstanding === 0 && a.pending === 0 && a.refundPending === 0;
}

function decideStep(command: SessionCommand, state: SessionState, context: DecideContext): Step {
  const money = context.money ?? defaultMoneyPolicy;
  if (command.type === "OpenSession") return decideOpen(command, state);
  if (state.status === "none") return reject({ code: "no_open_session" });
  if (command.type === "ReopenSession") return decideReopen(command, state);
  // A timed-out session is not over (R-OFF-1): it refuses only what adds to the order (idle.ts).
  if (!isLive(state.status)) return reject({ code: "session_closed", status: state.status });
  const timedOut = timedOutRefusal(command, state);
  if (timedOut) return reject(timedOut);
  switch (command.type) {
    case "TimeOutSession":
      return decideTimeOut(command, state);
    case "ResumeSession":
      return decideResume(command, state);
    case "ConfirmDraft":
      return decideConfirm(command, state, context);
    case "CancelItem":
      return decideCancel(command, state, context);
    case "CancelBatch":
      return decideCancelBatch(command, state, context);
    case "ChangeItemQuantity":
      return decideChangeQuantity(command, state, context);
    case "CloseSession":
      return decideClose(command, state);
    case "AdvanceItems":
      return decideAdvance(command, state);
    case "MarkMissing":
      return decideMissing(command, state);
    case "BumpTicket":
      return decideBump(command, state);
    case "RecallTicket":
      return decideRecall(command, state);
    case "ApplyAdjustment":
      return decideAdjust(command, state, money);
    case "RemoveAdjustment":
      return decideRemoveAdjustment(command, state, money);
    case "RequestPayment":
      return decideRequestPayment(command, state, money);
    case "RecordPaymentResult":
      return decideRecordPayment(command, state);
    case "RequestRefund":
      return decideRequestRefund(command, state, money);
    case "RecordRefundResult":
      return decideRecordRefund(command, state);
    default:
      return assertNever(command);
  }
}

function decideOpen(command: OpenSession, state: SessionState): Step {
  if (isLive(state.status)) return reject({ code: "session_already_open", sessionId: state.sessionId });
  if (!Number.isSafeInteger(command.guests) || command.guests < 0 || command.guests > orderLimits.guestsMax) {
    return reject({ code: "invalid_guests", max: orderLimits.guestsMax });
  }
  const { sessionId, storeId, tableId, guests } = command;
  return accept([{ type: "SessionOpened", v: 1, ...meta(command), sessionId, storeId, tableId, guests }]);
}

function decideConfirm(command: ConfirmDraft, state: SessionState, context: DecideContext): Step {
  if (command.lines.length === 0) return reject({ code: "empty_draft" });
  if (command.lines.length > orderLimits.draftLinesMax) return reject({ code: "too_many_lines", max: orderLimits.draftLinesMax });
  if (state.items.size + command.lines.length > orderLimits.itemsPerSessionMax) {
    return reject({ code: "too_many_lines", max: orderLimits.itemsPerSessionMax });
  }
  if (state.batches.some((b) => b.batchId === command.batchId)) return reject({ code: "id_already_used", id: command.batchId });
  const items: ConfirmedItem[] = [];
  for (const [index, request] of command.lines.entries()) {
    const priced = priceLine(context.menu, request);
    if (!priced.ok) return priced;
    items.push({ ...priced.line, itemId: `${command.batchId}-${index + 1}` });
  }
  const stockError = stockShortfall(items, context.stock);
  if (stockError) return reject(stockError);
  const batchTotal = totalOf("draft", items.map((i) => i.lineTotal));
  if (!batchTotal.ok) return batchTotal;
  const sessionTotal = totalOf("session", [state.total, batchTotal.total]);
  if (!sessionTotal.ok) return sessionTotal;
  const batchNo = state.batches.length + 1;
  const { batchId, source, prepaid } = command;
  if (prepaid && prepaid.amount !== batchTotal.total) return reject({ code: "prepaid_mismatch", amount: prepaid.amount, total: batchTotal.total });
  if (prepaid && state.payments.has(prepaid.paymentId)) return reject({ code: "id_already_used", id: prepaid.paymentId });
  const events: SessionEvent[] = [
    { type: "BatchConfirmed", v: 1, ...meta(command), batchId, batchNo, source, items, total: batchTotal.total },
  ];
  if (prepaid && batchTotal.total > 0) {
    const { paymentId, method, provider } = prepaid;
    events.push(
      { type: "PaymentRequested", v: 1, ...meta(command), paymentId, method, amount: batchTotal.total, installmentMonths: 0, label: `prepaid ${source} #${batchNo}`, forBatchId: batchId },
      { type: "PaymentApproved", v: 1, ...meta(command), paymentId, amount: batchTotal.total, partial: false, tendered: zeroWon, change: zeroWon, provider },
    );
  }
  for (const stationId of new Set(items.map((i) => i.stationId))) {
    const itemIds = items.filter((i) => i.stationId === stationId).map((i) => i.itemId);
    events.push(...ticketEvents(command, `${batchId}-${stationId}`, batchId, batchNo, stationId, "new", itemIds));
  }
  return accept(events);
}

/**
 * R-VAL-2: staff close a session with nothing outstanding and nothing in flight (a paid one closes by
 * itself). An admin may close over a balance with a reason: the balance is written off as a
 * correction in the same commit, so the closed session still adds up.
 */
function decideClose(command: CloseSession, state: SessionState): Step {
  if (command.reason.length > orderLimits.reasonLengthMax) return reject({ code: "note_too_long", max: orderLimits.reasonLengthMax });
  const amounts = amountsOf(state);
  if (amounts.pending > 0 || amounts.refundPending > 0) {
    const inFlight = [...state.payments.values()].filter((p) => p.status === "pending" || p.refundPending > 0).map((p) => p.paymentId);
    return reject({ code: "payment_in_progress", paymentIds: inFlight });
  }
  if (amounts.outstanding < 0) return reject({ code: "refund_due", amount: -amounts.outstanding });
  const close: SessionEvent = { type: "SessionClosed", v: 1, ...meta(command), reason: command.reason, total: state.total };
  if (amounts.outstanding === 0) return accept([close]);
  if (command.actor.role !== "admin") return reject({ code: "balance_outstanding", outstanding: amounts.outstanding });
  if (command.reason.trim() === "") return reject({ code: "reason_required" });
  return accept([
    {
      type: "AdjustmentApplied", v: 1, ...meta(command), adjustmentId: `${state.sessionId}-write-off-${state.version}`, kind: "correction", scope: "session",
      targetId: null, percent: null, amount: won(-amounts.outstanding), reasonCode: "write_off", note: command.reason, approvedBy: command.actor,
    },
    close,
  ]);
}

function meta(command: SessionCommand) {
  return { at: command.at, actor: command.actor };
}

function accept(events: SessionEvent[]): Step {
  return { ok: true, events };
}

function reject(error: DomainError): { ok: false; error: DomainError } {
  return { ok: false, error };
}
