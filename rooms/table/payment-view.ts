import type { Approval } from "../../payments/provider.ts";
import { errorReply, okReply, type Reply } from "../../protocol/reply.ts";
import { wireError } from "../../protocol/codes.ts";
import type { PaymentReader, PaymentRow, RefundRow } from "../../storage/index.ts";
import { amountsOf, itemsShare, splitEqually, type ProviderRecord, type SessionState } from "../../domain/index.ts";

/** The provider's answer as the domain keeps it: raw keys beside ours (R-PAY-3). */
export function providerRecordOf(provider: string, approval: Approval): ProviderRecord {
  return {
    provider, approvalNo: approval.approvalNo, transactionId: approval.transactionId, approvedAt: approval.approvedAt,
    cardIssuer: approval.cardIssuer ?? null, cardAcquirer: approval.cardAcquirer ?? null, maskedCardNo: approval.maskedCardNo ?? null,
    installmentMonths: approval.installmentMonths ?? 0, raw: approval.raw,
  };
}

/** What a terminal is told about one payment (never the provider's raw answer). */
export function paymentView(state: SessionState, paymentId: string) {
  const p = state.payments.get(paymentId);
  const a = amountsOf(state);
  return {
    paymentId,
    status: p?.status,
    method: p?.method,
    requestedWon: p?.requested,
    approvedWon: p?.approved,
    tenderedWon: p?.tendered,
    changeWon: p?.change,
    refundedWon: p?.refunded,
    approvalNo: p?.provider?.approvalNo ?? null,
    cardIssuer: p?.provider?.cardIssuer ?? null,
    maskedCardNo: p?.provider?.maskedCardNo ?? null,
    installmentMonths: p?.installmentMonths ?? 0,
    voidReason: p?.voidReason ?? null,
    outstandingWon: a.outstanding,
    sessionStatus: state.status,
    version: state.version,
  };
}

export function refundView(state: SessionState, refundId: string) {
  const r = state.refunds.get(refundId);
  const a = amountsOf(state);
  return { refundId, paymentId: r?.paymentId, status: r?.status, amountWon: r?.amount, paidWon: a.paid, outstandingWon: a.outstanding, sessionStatus: state.status, version: state.version };
}

/**
 * R-PAY-1: the payment panel's figures, from the server. `ways` splits what is payable equally
 * (remainder on the first shares); `itemIds` prices a split by items.
 */
export function quoteView(state: SessionState, ways: number | undefined, itemIds: readonly string[] | undefined) {
  const a = amountsOf(state);
  const payable = Math.max(a.payable, 0);
  const itemsAmount = itemIds === undefined ? undefined : itemsShare(state, itemIds);
  return {
    sessionId: state.sessionId,
    status: state.status,
    itemsTotalWon: a.itemsTotal,
    adjustmentsWon: a.adjustmentsTotal,
    sessionTotalWon: a.sessionTotal,
    paidWon: a.paid,
    pendingWon: a.pending,
    outstandingWon: a.outstanding,
    payableWon: payable,
    refundDueWon: a.outstanding < 0 ? -a.outstanding : 0,
    ...(ways !== undefined ? { sharesWon: splitEqually(payable, ways) } : {}),
    ...(itemIds !== undefined ? { itemsAmountWon: itemsAmount === undefined ? null : Math.min(itemsAmount, payable) } : {}),
    version: state.version,
  };
}

/**
 * A payment or refund command replayed after its first answer: the answer as it stands now (a
 * payment that was pending when first answered may have been settled by reconciliation, and its
 * session may have closed since). Anything else replays exactly as stored.
 */
export function refreshPaymentReply(type: string, reply: Reply, state: SessionState, stored: PaymentReader): Reply {
  if (type !== "payment.start" && type !== "refund.start") return reply;
  const carried = (reply.ok ? reply.data : reply.error.details) as { paymentId?: unknown; refundId?: unknown } | undefined;
  if (type === "refund.start") {
    const refundId = typeof carried?.refundId === "string" ? carried.refundId : undefined;
    if (!refundId) return reply;
    const live = state.refunds.get(refundId);
    const status = live?.status ?? stored.refund(refundId)?.status;
    if (status === undefined || status === "pending") return reply;
    const view = live ? refundView(state, refundId) : storedRefundView(stored.refund(refundId)!);
    if (status === "failed") return errorReply(reply.cmdId, wireError("PAYMENT_DECLINED", "the provider refused the refund", view));
    return okReply(reply.cmdId, view);
  }
  const paymentId = typeof carried?.paymentId === "string" ? carried.paymentId : undefined;
  if (!paymentId) return reply;
  const live = state.payments.get(paymentId);
  const row = live ? undefined : stored.payment(paymentId);
  const status = live?.status ?? row?.status;
  if (status === undefined || status === "pending") return reply;
  const view = live ? paymentView(state, paymentId) : storedPaymentView(row!);
  const voidReason = live ? live.voidReason : row!.void_reason;
  if (status === "void") return errorReply(reply.cmdId, wireError("PAYMENT_DECLINED", voidReason ?? "declined", view));
  return okReply(reply.cmdId, view);
}

/** A payment of a session that has ended, from its row (no live state to compute the balance from). */
function storedPaymentView(row: PaymentRow) {
  return {
    paymentId: row.payment_id, status: row.status, method: row.method, requestedWon: row.requested_won, approvedWon: row.approved_won,
    changeWon: row.change_won, refundedWon: row.refunded_won, approvalNo: row.approval_no, cardIssuer: row.card_issuer, maskedCardNo: row.masked_card_no,
    installmentMonths: row.installment_months, voidReason: row.void_reason, sessionId: row.session_id,
  };
}

function storedRefundView(row: RefundRow) {
  return { refundId: row.refund_id, paymentId: row.payment_id, status: row.status, amountWon: row.amount_won, sessionId: row.session_id };
}
