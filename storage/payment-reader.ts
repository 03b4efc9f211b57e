import type { Storage } from "./database.ts";

export interface PendingPaymentRow {
  payment_id: string; session_id: string; store_id: string; table_id: string; method: string; requested_won: number; requested_at: string;
}

export interface PendingRefundRow {
  refund_id: string; payment_id: string; session_id: string; store_id: string; table_id: string; method: string; amount_won: number;
  transaction_id: string | null; approval_no: string | null; reason: string; requested_at: string;
}

export interface PaymentRow {
  payment_id: string; session_id: string; store_id: string; table_id: string; method: string; status: string; requested_won: number; approved_won: number;
  refunded_won: number; change_won: number; approval_no: string | null; card_issuer: string | null; masked_card_no: string | null; installment_months: number;
  void_reason: string | null;
}

export interface RefundRow { refund_id: string; payment_id: string; session_id: string; store_id: string; amount_won: number; status: string }

/** Intents reconciliation must settle (R-CON-4), oldest first, in bounded pages. */
export function createPaymentReader(storage: Storage) {
  const payments = storage.sqlite.prepare(
    `select payment_id, session_id, store_id, table_id, method, requested_won, requested_at from payments
     where status = 'pending' and requested_at <= ? and (requested_at, payment_id) > (?, ?) order by requested_at, payment_id limit ?`,
  );
  const refunds = storage.sqlite.prepare(
    `select r.refund_id, r.payment_id, r.session_id, r.store_id, p.table_id, p.method, r.amount_won, p.transaction_id, p.approval_no, r.reason, r.requested_at
     from refunds r join payments p on p.payment_id = r.payment_id
     where r.status = 'pending' and r.requested_at <= ? and (r.requested_at, r.refund_id) > (?, ?) order by r.requested_at, r.refund_id limit ?`,
  );
  const one = storage.sqlite.prepare(
    `select payment_id, session_id, store_id, table_id, method, status, requested_won, approved_won, refunded_won, change_won, approval_no, card_issuer,
       masked_card_no, installment_months, void_reason from payments where payment_id = ?`,
  );
  const oneRefund = storage.sqlite.prepare("select refund_id, payment_id, session_id, store_id, amount_won, status from refunds where refund_id = ?");
  return {
    payment(paymentId: string): PaymentRow | undefined {
      return one.get(paymentId) as PaymentRow | undefined;
    },
    refund(refundId: string): RefundRow | undefined {
      return oneRefund.get(refundId) as RefundRow | undefined;
    },
    /** One page after `after` (keyset: time, id), so rows that stay pending never hide the ones behind them. */
    pendingPayments(olderThan: string, limit: number, after: { at: string; id: string } = { at: "", id: "" }): PendingPaymentRow[] {
      return payments.all(olderThan, after.at, after.id, limit) as PendingPaymentRow[];
    },
    pendingRefunds(olderThan: string, limit: number, after: { at: string; id: string } = { at: "", id: "" }): PendingRefundRow[] {
      return refunds.all(olderThan, after.at, after.id, limit) as PendingRefundRow[];
    },
  };
}

export type PaymentReader = ReturnType<typeof createPaymentReader>;
