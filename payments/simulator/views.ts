import { type LedgerEntry, type OrderRecord, remainingOf } from "./ledger.ts";

/** JSON bodies the simulator answers with (field names loosely after NICEPAY/Toss: `tid`, `approvalNo`, `balanceAmount`). */

type Entry<T extends LedgerEntry["type"]> = Extract<LedgerEntry, { type: T }>;

export function approvalView(a: Entry<"approval">) {
  return {
    status: "approved", orderId: a.orderId, storeId: a.storeId, method: a.method, tid: a.tid, approvalNo: a.approvalNo, approvedAt: a.at,
    requestedAmount: a.requestedAmount, amount: a.amount, partial: a.partial, vat: a.vat, suppliedAmount: a.amount - a.vat,
    installmentMonths: a.installmentMonths,
    card: { issuer: a.card.issuer, acquirer: a.card.acquirer, number: a.card.number, cardType: a.card.cardType, installmentMonths: a.installmentMonths },
  };
}
export type ApprovalView = ReturnType<typeof approvalView>;

export function cancelView(c: Entry<"cancel">) {
  return { status: "cancelled", orderId: c.orderId, tid: c.tid, cancelId: c.cancelId, cancelTid: c.cancelTid, amount: c.amount, balanceAmount: c.remaining, cancelledAt: c.at, reason: c.reason };
}

/** `GET /v1/payments/orders/{orderId}`, and `original` in a `DUPLICATED_ORDER_ID` answer. */
export function orderView(o: OrderRecord) {
  return {
    orderId: o.orderId,
    status: o.status,
    approval: o.approval ? approvalView(o.approval) : null,
    decline: o.decline ? { code: o.decline.code, message: o.decline.message, at: o.decline.at } : null,
    cancels: o.cancels.map((c) => ({ cancelId: c.cancelId, cancelTid: c.cancelTid, amount: c.amount, at: c.at })),
    cancelledAmount: o.cancels.reduce((sum, c) => sum + c.amount, 0),
    balanceAmount: remainingOf(o),
    netCancelledAt: o.netCancel?.at ?? null,
  };
}

export function receiptView(r: Entry<"cash_receipt">) {
  return { status: "issued", orderId: r.orderId, approvalNo: r.approvalNo, issuedAt: r.at, amount: r.amount, vat: r.vat, purpose: r.purpose, identityMasked: r.identityMasked };
}
