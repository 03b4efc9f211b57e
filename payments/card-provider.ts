import { assert } from "../domain/assert.ts";
import { type Exchange, exchange, type RetryPolicy, withRetries } from "./http-exchange.ts";
import { adapterLimits } from "./limits.ts";
import { providerUnreachable } from "./provider.ts";
import type {
  ApproveRequest, ApproveResult, CancelRequest, CancelResult, CashReceiptIssuer, CashReceiptRequest, CashReceiptResult, NetCancelResult,
  PaymentProvider, QueryResult, SettlementResult,
} from "./provider.ts";
import { approvalAnswer, cancelAnswer, duplicateAnswer, netCancelAnswer, orderAnswer, receiptAnswer, refusalAnswer, settlementAnswer, toApproval } from "./van-answers.ts";

export interface CardProviderOptions {
  /** The VAN/PG's base URL, e.g. the simulator's `url`. */
  readonly baseUrl: string;
  /** Recorded as `Approval.provider`. Default "van". */
  readonly name?: string;
  /** Deadline for one request: connect, send and the whole answer. Default 30 s (NICEPAY's read timeout). */
  readonly requestTimeoutMs?: number;
  /** Tries for query / netCancel / settlement (approve, cancel and cash receipts are sent once). Default 3. */
  readonly attempts?: number;
  /** Pause before the second try; doubles each time, capped at 2 s. Default 100 ms. */
  readonly backoffMsFirst?: number;
}

/**
 * R-EVT-3: card, easy pay and points over one VAN channel (easy pay is a card-like subtype there,
 * PAYMENTS-KR.md 2). Never throws for a network or business outcome. Codes in results are the
 * provider's (`REJECT_CARD_COMPANY`…) or this adapter's own, in the same style:
 * - `PROVIDER_UNREACHABLE`: connection refused or host unknown, nothing was sent (no charge);
 * - `METHOD_NOT_SUPPORTED`: cash was handed to the card channel (never sent);
 * - `DUPLICATED_ORDER_ID`: the order id was used before and holds no live charge now.
 */
export class CardProvider implements PaymentProvider, CashReceiptIssuer {
  readonly name: string;
  readonly external = true;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;

  constructor(options: CardProviderOptions) {
    this.name = options.name ?? "van";
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.requestTimeoutMs ?? adapterLimits.requestTimeoutMsDefault;
    this.#retry = { attempts: options.attempts ?? adapterLimits.attemptsMax, backoffMsFirst: options.backoffMsFirst ?? adapterLimits.backoffMsFirst };
    assert(/^https?:\/\//.test(this.#base), "baseUrl: http(s)://…");
    assert(Number.isInteger(this.#timeoutMs) && this.#timeoutMs > 0 && this.#timeoutMs <= adapterLimits.requestTimeoutMsMax, "requestTimeoutMs: 1..120000");
    assert(Number.isInteger(this.#retry.attempts) && this.#retry.attempts >= 1 && this.#retry.attempts <= adapterLimits.attemptsMax, "attempts: 1..3");
  }

  /** Sent once: an approval is never retried here (unknown → the caller queries, then net-cancels). */
  async approve(request: ApproveRequest): Promise<ApproveResult> {
    if (request.method === "cash") return { kind: "declined", code: "METHOD_NOT_SUPPORTED", message: "cash does not go through the VAN" };
    const { orderId, storeId, method, amount, installmentMonths, vat, cardToken } = request;
    const result = await this.#send("POST", "/v1/approvals", { orderId, storeId, method, amount, installmentMonths, vat, ...(cardToken === undefined ? {} : { cardToken }) });
    if (result.kind === "no_answer") return result.sent ? unknown(result.reason) : { kind: "declined", code: providerUnreachable, message: result.reason };
    if (result.status === 200) {
      const approval = approvalAnswer.safeParse(result.body);
      // An approval for another order, or above the request, is not an answer to this request.
      if (!approval.success || approval.data.orderId !== orderId || approval.data.amount > amount) return unknown("unreadable_answer");
      return { kind: "approved", approval: toApproval(approval.data, this.name, result.body) };
    }
    if (result.status === 409) return this.#duplicate(request, result.body);
    return asRefusal(result, (code, message) => ({ kind: "declined", code, message }));
  }

  /**
   * `DUPLICATED_ORDER_ID`: nothing new was charged; `original` says what the id holds. The same
   * request untouched since → that approval; no live charge → declined; anything else → unknown,
   * so the caller queries and decides (R-CON-4: a live charge is never reported as declined).
   */
  #duplicate(request: ApproveRequest, body: unknown): ApproveResult {
    const duplicate = duplicateAnswer.safeParse(body);
    const original = orderAnswer.safeParse(duplicate.success ? duplicate.data.original : undefined);
    if (!original.success || original.data.orderId !== request.orderId) return unknown("duplicated_order_id_unreadable");
    const o = original.data;
    if (o.status === "declined" || o.status === "net_cancelled") return { kind: "declined", code: "DUPLICATED_ORDER_ID", message: `order id already used (${o.status})` };
    const sameRequest = o.approval.requestedAmount === request.amount && o.cancelledAmount === 0;
    return sameRequest ? { kind: "approved", approval: toApproval(o.approval, this.name, body) } : unknown("duplicated_order_id_differs");
  }

  /** Sent once; repeating it with the same cancelId is safe (the provider answers the first cancel again). */
  async cancel(request: CancelRequest): Promise<CancelResult> {
    const { orderId, cancelId, approvalNo, amount, reason } = request;
    const result = await this.#send("POST", `/v1/payments/${encodeURIComponent(request.transactionId)}/cancel`, { orderId, cancelId, approvalNo, amount, reason });
    if (result.kind === "no_answer") return result.sent ? unknown(result.reason) : { kind: "refused", code: providerUnreachable, message: result.reason };
    if (result.status === 200) {
      const c = cancelAnswer.safeParse(result.body);
      if (!c.success || c.data.cancelId !== cancelId) return unknown("unreadable_answer");
      return { kind: "cancelled", cancelTransactionId: c.data.cancelTid, amount: c.data.amount, remaining: c.data.balanceAmount, raw: result.body as Record<string, unknown> };
    }
    return asRefusal(result, (code, message) => ({ kind: "refused", code, message }));
  }

  async query(orderId: string): Promise<QueryResult> {
    const result = await withRetries(this.#retry, () => this.#send("GET", `/v1/payments/orders/${encodeURIComponent(orderId)}`));
    if (result.kind === "no_answer") return unknown(result.reason);
    // Only the provider's own "no such payment" means none: a 404 from a wrong URL must not read as "no charge".
    if (result.status === 404) return refusalAnswer.safeParse(result.body).data?.code === "NOT_FOUND_PAYMENT" ? { kind: "not_found" } : unknown("http_404");
    const order = orderAnswer.safeParse(result.body);
    if (result.status !== 200 || !order.success || order.data.orderId !== orderId) return unknown(result.status === 200 ? "unreadable_answer" : `http_${result.status}`);
    const o = order.data;
    switch (o.status) {
      case "approved":
        return { kind: "approved", approval: toApproval(o.approval, this.name, result.body), cancelledAmount: o.cancelledAmount, cancelIds: o.cancels.map((c) => c.cancelId) };
      case "declined":
        return { kind: "declined", code: o.decline.code };
      case "net_cancelled":
        return { kind: "net_cancelled" };
    }
  }

  /** 망취소 by order id: safe to repeat, so retried. */
  async netCancel(orderId: string): Promise<NetCancelResult> {
    const result = await withRetries(this.#retry, () => this.#send("POST", "/v1/payments/net-cancel", { orderId }));
    if (result.kind === "no_answer") return unknown(result.reason);
    const ack = netCancelAnswer.safeParse(result.body);
    return result.status === 200 && ack.success && ack.data.orderId === orderId ? { kind: "done" } : unknown(`http_${result.status}`);
  }

  async settlement(date: string): Promise<SettlementResult> {
    const result = await withRetries(this.#retry, () => this.#send("GET", `/v1/settlements?date=${encodeURIComponent(date)}`));
    if (result.kind === "no_answer") return unknown(result.reason);
    const file = settlementAnswer.safeParse(result.body);
    if (result.status !== 200 || !file.success || file.data.date !== date) return unknown(result.status === 200 ? "unreadable_answer" : `http_${result.status}`);
    return { kind: "ok", date, lines: file.data.lines.map(({ orderId, kind, amount, approvalNo, transactionId, at }) => ({ orderId, kind, amount, approvalNo, transactionId, at })) };
  }

  /** 현금영수증 through the VAN. Sent once; a repeat for the same order id returns the first receipt when it matches. */
  async issueCashReceipt(request: CashReceiptRequest): Promise<CashReceiptResult> {
    const result = await this.#send("POST", "/v1/cash-receipts", { ...request });
    if (result.kind === "no_answer") return result.sent ? unknown(result.reason) : { kind: "refused", code: providerUnreachable, message: result.reason };
    const receipt = receiptAnswer.safeParse(result.status === 409 ? duplicateAnswer.safeParse(result.body).data?.original : result.body);
    if ((result.status === 200 || result.status === 409) && receipt.success && receipt.data.orderId === request.orderId && receipt.data.amount === request.amount) {
      return { kind: "issued", approvalNo: receipt.data.approvalNo, issuedAt: receipt.data.issuedAt, raw: result.body as Record<string, unknown> };
    }
    if (result.status === 200) return unknown("unreadable_answer");
    return asRefusal(result, (code, message) => ({ kind: "refused", code, message }));
  }

  #send(method: "GET" | "POST", path: string, body?: unknown): Promise<Exchange> {
    return exchange(`${this.#base}${path}`, { method, body }, this.#timeoutMs);
  }
}

const unknown = (reason: string) => ({ kind: "unknown", reason }) as const;

/** A 4xx with a readable code is the provider saying no (nothing happened); anything else is unknown. */
function asRefusal<T>(result: Extract<Exchange, { kind: "answer" }>, refused: (code: string, message: string) => T): T | { kind: "unknown"; reason: string } {
  const refusal = refusalAnswer.safeParse(result.body);
  if (result.status >= 400 && result.status < 500 && refusal.success) return refused(refusal.data.code, refusal.data.message);
  return unknown(`http_${result.status}`);
}

export function createCardProvider(options: CardProviderOptions): CardProvider {
  return new CardProvider(options);
}
