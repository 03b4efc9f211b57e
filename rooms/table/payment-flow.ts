import { providerUnreachable, type ApproveResult, type PaymentProvider } from "../../payments/provider.ts";
import { splitVat, type PaymentMethod, type PaymentResult, type RefundResult, type SessionState } from "../../domain/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext } from "../context.ts";
import { wireError } from "../../protocol/codes.ts";
import { crashPoints } from "../../server/crash-points.ts";
import type { TableSession } from "./table-session.ts";
import { paymentView, providerRecordOf, refundView } from "./payment-view.ts";

export interface PayInput {
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly tendered?: number | undefined;
  readonly installmentMonths?: number | undefined;
  readonly label?: string | undefined;
  readonly cardToken?: string | undefined;
  readonly expectedVersion?: number | undefined;
}

export interface RefundInput {
  readonly paymentId: string;
  readonly amount: number;
  readonly reason: string;
  readonly reasonCode: string;
  readonly expectedVersion?: number | undefined;
}

/**
 * R-CON-4, the transaction boundary of a payment: (1) the intent is committed with its provider
 * order id (= our payment id) before anything leaves the building; (2) the provider is called
 * outside the table's mailbox, so the table's other commands go on meanwhile; (3) the answer is
 * committed as one more session command, moving the totals (and closing a paid table) in that
 * same transaction. An answer that never came is resolved here by query, then net cancel (망취소)
 * by our order id; if even that fails the intent stays pending and the reconciler settles it.
 */
export class PaymentFlow {
  constructor(
    private readonly ctx: RoomContext,
    private readonly session: TableSession,
  ) {}

  async pay(input: PayInput, meta: CommandMeta): Promise<Outcome> {
    const paymentId = this.ctx.newId();
    const { method, amount, tendered, installmentMonths, label, expectedVersion } = input;
    const intent = await this.session.submit(meta, () => ({
      command: { type: "RequestPayment", paymentId, method, amount, tendered, installmentMonths, label, expectedVersion },
      reply: (s) => paymentView(s, paymentId),
    }));
    if (!intent.ok || method === "cash") return intent;
    crashPoints.armed?.hit("payment-after-intent");
    const storeId = this.session.store.id;
    const provider = this.ctx.payments.providerFor(storeId, method);
    this.ctx.payments.inFlight.add(paymentId);
    try {
      const payment = this.session.state.payments.get(paymentId);
      const answer = await provider.approve({
        orderId: paymentId, storeId, method, amount: payment?.requested ?? amount, installmentMonths: installmentMonths ?? 0,
        vat: splitVat(payment?.requested ?? amount).vat, cardToken: input.cardToken,
      });
      const result = await settleApproval(provider, paymentId, answer);
      if (!result) {
        return { ok: false, error: wireError("PROVIDER_UNAVAILABLE", "no answer from the card company; the payment is pending and will be settled by reconciliation (query with the same cmdId)", { paymentId, status: "pending" }) };
      }
      if (result.kind === "approved") crashPoints.armed?.hit("payment-before-record");
      const recorded = await this.recordPayment(paymentId, result, followUp(meta));
      if (!recorded.ok) return recorded;
      return replyForResult(this.session.state, paymentId, recorded);
    } finally {
      this.ctx.payments.inFlight.delete(paymentId);
    }
  }

  recordPayment(paymentId: string, result: PaymentResult, meta: CommandMeta): Promise<Outcome> {
    return this.session.submit(meta, () => ({ command: { type: "RecordPaymentResult", paymentId, result }, reply: (s) => paymentView(s, paymentId) }));
  }

  /** R-REF-1: a refund through the payment's own provider (a partial cancel when less than what is left). */
  async refund(input: RefundInput, meta: CommandMeta): Promise<Outcome> {
    // A payment approved elsewhere (an app's own PG) can only be refunded there: say so, record nothing.
    const paid = this.session.state.payments.get(input.paymentId);
    if (paid?.provider && paid.method !== "cash" && paid.provider.provider !== this.ctx.payments.providerFor(this.session.store.id, paid.method).name) {
      return { ok: false, error: wireError("PROVIDER_UNAVAILABLE", `this payment was approved by ${paid.provider.provider}; refund it there`, { paymentId: paid.paymentId, provider: paid.provider.provider }) };
    }
    const refundId = this.ctx.newId();
    const requested = await this.session.submit(meta, () => ({
      command: { type: "RequestRefund", refundId, paymentId: input.paymentId, amount: input.amount, reason: input.reason, reasonCode: input.reasonCode, expectedVersion: input.expectedVersion },
      reply: (s) => refundView(s, refundId),
    }));
    if (!requested.ok) return requested;
    const payment = this.session.state.payments.get(input.paymentId);
    if (!payment || payment.method === "cash" || !payment.provider) return requested;
    const provider = this.ctx.payments.providerFor(this.session.store.id, payment.method);
    this.ctx.payments.inFlight.add(refundId);
    try {
      const cancel = { orderId: payment.provider.orderId ?? payment.paymentId, cancelId: refundId, transactionId: payment.provider.transactionId, approvalNo: payment.provider.approvalNo, amount: input.amount, reason: input.reason };
      const result = await settleCancel(provider, cancel);
      if (!result) return { ok: false, error: wireError("PROVIDER_UNAVAILABLE", "no answer from the card company; the refund is pending and will be settled by reconciliation", { refundId, status: "pending" }) };
      const recorded = await this.recordRefund(refundId, result, followUp(meta));
      if (!recorded.ok) return recorded;
      if (result.kind === "failed") return { ok: false, error: wireError("PAYMENT_DECLINED", `the provider refused the refund: ${result.message}`, { refundId, providerCode: result.code }) };
      return recorded;
    } finally {
      this.ctx.payments.inFlight.delete(refundId);
    }
  }

  recordRefund(refundId: string, result: RefundResult, meta: CommandMeta): Promise<Outcome> {
    return this.session.submit(meta, () => ({ command: { type: "RecordRefundResult", refundId, result }, reply: (s) => refundView(s, refundId) }));
  }
}

/** The reply a payment command ends with, from the state after its result (also used for replays). */
export function replyForResult(state: SessionState, paymentId: string, recorded: Outcome): Outcome {
  const payment = state.payments.get(paymentId);
  if (payment?.status === "void") {
    return { ok: false, error: wireError("PAYMENT_DECLINED", payment.voidReason ?? "declined", paymentView(state, paymentId)) };
  }
  return recorded;
}

/**
 * The definite result of an approval attempt, or undefined when it is still unknown. Unknown →
 * query by our order id (the charge may exist) → if the provider has nothing definite, net
 * cancel by our order id, so a late approval can never become a charge without a record.
 */
export async function settleApproval(provider: PaymentProvider, paymentId: string, answer: ApproveResult): Promise<PaymentResult | undefined> {
  if (answer.kind === "approved") return { kind: "approved", amount: answer.approval.amount, provider: providerRecordOf(provider.name, answer.approval) };
  if (answer.kind === "declined") return { kind: "declined", code: answer.code, message: answer.message };
  return resolveUnknownPayment(provider, paymentId);
}

export async function resolveUnknownPayment(provider: PaymentProvider, paymentId: string): Promise<PaymentResult | undefined> {
  const found = await provider.query(paymentId);
  switch (found.kind) {
    case "approved":
      return { kind: "approved", amount: found.approval.amount, provider: providerRecordOf(provider.name, found.approval) };
    case "declined":
      return { kind: "declined", code: found.code, message: "declined (found by query)" };
    case "net_cancelled":
      return { kind: "voided", reason: "net-cancelled (망취소): no charge" };
    case "not_found":
    case "unknown": {
      const net = await provider.netCancel(paymentId);
      return net.kind === "done" ? { kind: "voided", reason: "no answer from the provider; net-cancelled (망취소) by our order id, no charge" } : undefined;
    }
  }
}

/**
 * A cancel's definite result, or undefined when unknown (the cancel id makes a retry safe). A
 * provider that could not be reached got nothing: that is not its refusal, so the refund stays
 * pending for reconciliation instead of ending failed with the money still on the card.
 */
export async function settleCancel(provider: PaymentProvider, cancel: Parameters<PaymentProvider["cancel"]>[0]): Promise<RefundResult | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await provider.cancel(cancel);
    if (answer.kind === "cancelled") return { kind: "completed", cancelTransactionId: answer.cancelTransactionId, raw: answer.raw };
    if (answer.kind === "refused" && answer.code === providerUnreachable) return undefined;
    if (answer.kind === "refused") return { kind: "failed", code: answer.code, message: answer.message };
    const found = await provider.query(cancel.orderId);
    if (found.kind === "approved" && found.cancelIds.includes(cancel.cancelId)) return { kind: "completed", cancelTransactionId: null, raw: { foundBy: "query" } };
  }
  return undefined;
}

/** The result of a command is committed under a key of its own, derived from the client's (never a valid client cmdId: '#'). */
function followUp(meta: CommandMeta): CommandMeta {
  return { ...meta, cmdId: `${meta.cmdId}#result` };
}


