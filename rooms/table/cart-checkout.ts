import { decide, isActive, priceLine, splitVat, totalOf, type LineRequest, type PaymentResult, type ProviderRecord } from "../../domain/index.ts";
import type { CartPayment } from "../../storage/index.ts";
import type { PaymentProvider } from "../../payments/provider.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import { fromDomainError, wireError, type WireError } from "../../protocol/codes.ts";
import { crashPoints } from "../../server/crash-points.ts";
import { isoAt } from "../../server/clock.ts";
import { settleApproval, settleCancel } from "./payment-flow.ts";
import type { TableSession } from "./table-session.ts";

/** `sentNow`: this request sent the order (a replay of an earlier one did not: the phone's current cart stays). */
export interface CartPayOutcome {
  readonly outcome: Outcome;
  readonly sentNow: boolean;
}

export interface CartPayInput {
  readonly method: "card" | "easy_pay";
  readonly expectedTotalWon: number;
  readonly cardToken?: string | undefined;
}

/**
 * A phone pays its own cart before it is sent (prepaid QR, R-TLL-3). The order and its payment
 * enter the session together, in one commit, only once the card company approved; before that
 * the intent lives in `cart_payments` (written before the call), so a crash at any point ends in
 * one of two states: the order sent with its approved payment, or no charge (net cancel or
 * cancel). Nothing that can be refused is left to after the charge if it can be checked before:
 * the cart is decided as a dry run first (86, limits, a closed table).
 */
export class CartCheckout {
  constructor(
    private readonly ctx: RoomContext,
    private readonly store: StoreView,
    private readonly session: TableSession,
  ) {}

  /** The key a phone's cmdId is remembered under: its table and itself (never another phone's). */
  static scopeOf(storeId: string, tableId: string, customerId: string): string {
    return `cart:${storeId}:${tableId}:${customerId}`;
  }

  /**
   * `lines` are the phone's cart; `takeTurn` spends the confirm rate limits (only once a charge is
   * about to be attempted). The reply of an approved and sent cart is the confirm's, plus the payment.
   */
  async pay(customerId: string, lines: readonly LineRequest[], input: CartPayInput, meta: CommandMeta, takeTurn: () => Outcome | undefined): Promise<CartPayOutcome> {
    const scope = CartCheckout.scopeOf(this.store.id, this.session.tableId, customerId);
    const earlier = this.ctx.cartPayments.byCommand(scope, meta.cmdId);
    if (earlier) {
      if (earlier.bodyHash !== meta.bodyHash) return { outcome: refuse("CMD_ID_REUSED", "this cmdId was already used for another cart payment"), sentNow: false };
      return { outcome: this.#replyFor(earlier), sentNow: false };
    }
    return { outcome: await this.#payNew(scope, customerId, lines, input, meta, takeTurn), sentNow: true };
  }

  async #payNew(scope: string, customerId: string, lines: readonly LineRequest[], input: CartPayInput, meta: CommandMeta, takeTurn: () => Outcome | undefined): Promise<Outcome> {
    if (this.store.qrPayment === "after") return refuse("FORBIDDEN", "this store takes payment at the table after the meal", { rule: "qr_prepay_off" });
    if (lines.length === 0) return refuse("EMPTY_DRAFT", "the cart is empty");
    // One unsettled charge per phone: a second one for the same cart would send it twice once both settle.
    const unsettled = this.ctx.cartPayments.unsettledOf(this.session.state.sessionId, customerId);
    if (unsettled) return pending("PAYMENT_IN_PROGRESS", "this phone's last payment is still being settled; wait for it", { paymentId: unsettled.paymentId, status: unsettled.status });
    const priced = this.#price(lines);
    if (!priced.ok) return priced;
    if (priced.total !== input.expectedTotalWon) {
      return refuse("PRICE_MISMATCH", "the cart's total changed; check it and pay again", { amount: input.expectedTotalWon, total: priced.total });
    }
    if (priced.total === 0) {
      // Nothing to charge (free items): sent as it is, like an unpaid cart.
      const turn = takeTurn();
      return turn ?? this.session.confirm(lines, meta, undefined, "qr");
    }
    const paymentId = this.ctx.newId();
    const dryRun = this.#dryRun(lines, paymentId, input.method, priced.total, meta.principal);
    if (dryRun) return { ok: false, error: dryRun };
    const turn = takeTurn();
    if (turn) return turn;
    const recorded = this.ctx.cartPayments.record({
      paymentId, storeId: this.store.id, tableId: this.session.tableId, sessionId: this.session.state.sessionId, customerId,
      cmdScope: scope, cmdId: meta.cmdId, bodyHash: meta.bodyHash, method: input.method, amount: priced.total, lines, createdAt: isoAt(this.ctx.clock),
    });
    if (recorded.kind === "exists") return this.#replyFor(recorded.existing);
    crashPoints.armed?.hit("cart-pay-after-intent");
    const provider = this.ctx.payments.providerFor(this.store.id, input.method);
    this.ctx.payments.inFlight.add(paymentId);
    try {
      const answer = await provider.approve({
        orderId: paymentId, storeId: this.store.id, method: input.method, amount: priced.total, installmentMonths: 0, vat: splitVat(priced.total).vat, cardToken: input.cardToken,
      });
      const result = await settleApproval(provider, paymentId, answer);
      if (result?.kind === "approved") crashPoints.armed?.hit("cart-pay-before-order");
      return await this.settle(this.ctx.cartPayments.get(paymentId)!, result, provider, meta);
    } finally {
      this.ctx.payments.inFlight.delete(paymentId);
    }
  }

  /**
   * The end of one intent, by its own request or by reconciliation: approved → the order goes to
   * the kitchen with its payment (or, refused now, the charge is cancelled); declined or voided →
   * failed; unknown → stays pending.
   */
  async settle(intent: CartPayment, result: PaymentResult | undefined, provider: PaymentProvider, meta: CommandMeta): Promise<Outcome> {
    const at = () => isoAt(this.ctx.clock);
    const actor = { actorId: meta.principal.staffId, actorRole: meta.principal.role };
    if (!result) {
      return pending("PROVIDER_UNAVAILABLE", "no answer from the card company; nothing is sent yet and the payment will be settled (ask again with the same cmdId)", { paymentId: intent.paymentId, status: "pending" });
    }
    if (result.kind !== "approved") {
      const message = result.kind === "declined" ? result.message : result.reason;
      const code = result.kind === "declined" ? result.code : "VOIDED";
      this.ctx.cartPayments.finish(intent.paymentId, { status: "failed", code, message, at: at(), ...actor });
      return refuse("PAYMENT_DECLINED", message, { paymentId: intent.paymentId, status: "failed", providerCode: code });
    }
    if (result.amount !== intent.amount) {
      // A partial approval (a gift card short of the total) cannot pay for a whole cart: give it back.
      return this.#giveBack(intent, result.provider, wireError("PAYMENT_DECLINED", "the card covered only part of the cart", { approved: result.amount, amount: intent.amount }), meta);
    }
    if (this.session.state.sessionId !== intent.sessionId || !isActive(this.session.state.status)) {
      // The table's session ended while the charge was made: the order has nowhere to go.
      return this.#giveBack(intent, result.provider, wireError("SESSION_CLOSED", "this table's session has ended"), meta);
    }
    const batchId = this.ctx.newId();
    const sent = await this.session.submit(meta, () => ({
      command: {
        type: "ConfirmDraft", batchId, source: "qr", lines: intent.lines,
        prepaid: { paymentId: intent.paymentId, method: intent.method as CartPayInput["method"], amount: intent.amount, provider: result.provider },
      },
      reply: (s) => {
        const batch = s.batches.find((b) => b.batchId === batchId);
        const payment = s.payments.get(intent.paymentId);
        return {
          batchId, batchNo: batch?.batchNo, totalWon: batch?.total, itemIds: [...s.items.values()].filter((i) => i.batchId === batchId).map((i) => i.itemId),
          version: s.version, sessionTotalWon: s.total,
          payment: { paymentId: intent.paymentId, status: payment?.status, method: intent.method, approvedWon: payment?.approved, approvalNo: result.provider.approvalNo, cardIssuer: result.provider.cardIssuer, maskedCardNo: result.provider.maskedCardNo },
        };
      },
    }));
    if (sent.ok) {
      this.ctx.cartPayments.finish(intent.paymentId, { status: "confirmed", batchId, provider: result.provider, at: at(), ...actor });
      return sent;
    }
    // Already sent by the other settler (its request and reconciliation raced): the payment is in the session.
    if (this.session.state.payments.has(intent.paymentId)) return this.#replyFor(this.ctx.cartPayments.get(intent.paymentId)!);
    if (sent.transient && sent.error.code !== "SOLD_OUT") return sent; // nothing decided: a retry (or the reconciler) finishes it
    return this.#giveBack(intent, result.provider, sent.error, meta);
  }

  /** A cancel that got no definite answer is tried again (reconciliation): the cancel id makes it safe. */
  async retryGiveBack(intent: CartPayment, meta: CommandMeta): Promise<boolean> {
    const record = intent.provider as ProviderRecord | null;
    if (!record) return false;
    // The cancel may have reached the provider before a crash: its ledger says so by our cancel id.
    const provider = this.ctx.payments.providerFor(intent.storeId, intent.method as CartPayInput["method"]);
    const found = await provider.query(intent.paymentId);
    if (found.kind === "approved" && found.cancelIds.includes(cartCancelId(intent.paymentId))) {
      this.ctx.cartPayments.finish(intent.paymentId, { status: "refunded", provider: record, code: intent.outcomeCode, message: intent.outcomeMessage, at: isoAt(this.ctx.clock), actorId: meta.principal.staffId, actorRole: meta.principal.role });
      return true;
    }
    const outcome = await this.#giveBack(intent, record, wireError((intent.outcomeCode ?? "PAYMENT_DECLINED") as WireError["code"], intent.outcomeMessage ?? "order refused"), meta);
    return !outcome.ok && (outcome.error.details as { refunded?: boolean }).refunded === true;
  }

  /** The order was refused after the charge: cancel the charge in full, then say why. */
  async #giveBack(intent: CartPayment, record: ProviderRecord, why: WireError, meta: CommandMeta): Promise<Outcome> {
    const provider = this.ctx.payments.providerFor(intent.storeId, intent.method as CartPayInput["method"]);
    const actor = { code: why.code, message: why.message, actorId: meta.principal.staffId, actorRole: meta.principal.role };
    // Durable before the cancel: a crash after it must never leave the intent "pending", which
    // reconciliation would read as approved and send the order against a cancelled charge.
    if (intent.status !== "refund_pending") this.ctx.cartPayments.finish(intent.paymentId, { status: "refund_pending", provider: record, at: isoAt(this.ctx.clock), ...actor });
    const cancelId = cartCancelId(intent.paymentId);
    const cancelled = await settleCancel(provider, {
      orderId: intent.paymentId, cancelId, transactionId: record.transactionId, approvalNo: record.approvalNo, amount: intent.amount, reason: `order refused: ${why.code}`,
    });
    // A definite refusal (say, the cancel window passed) ends the retries: a person must give the money back.
    const status = cancelled?.kind === "completed" ? "refunded" : cancelled?.kind === "failed" ? "refund_failed" : "refund_pending";
    if (status !== "refund_pending") this.ctx.cartPayments.finish(intent.paymentId, { status, provider: record, at: isoAt(this.ctx.clock), ...actor });
    const details = { ...(typeof why.details === "object" && why.details !== null ? why.details : {}), paymentId: intent.paymentId, refunded: status === "refunded" };
    return { ok: false, error: { ...why, message: `${why.message}; ${status === "refunded" ? "the payment was cancelled" : "the payment will be cancelled"}`, details } };
  }

  /** A replay of a cart payment (same phone, same cmdId), after a restart too: what became of it. */
  #replyFor(intent: CartPayment): Outcome {
    switch (intent.status) {
      case "pending":
        return pending("PROVIDER_UNAVAILABLE", "the payment is still being settled; nothing is sent yet", { paymentId: intent.paymentId, status: "pending" });
      case "confirmed": {
        const batch = this.session.state.batches.find((b) => b.batchId === intent.batchId);
        return { ok: true, data: { batchId: intent.batchId, batchNo: batch?.batchNo, totalWon: intent.amount, payment: { paymentId: intent.paymentId, status: "approved", method: intent.method, approvedWon: intent.amount } } };
      }
      case "failed":
        return refuse("PAYMENT_DECLINED", intent.outcomeMessage ?? "declined", { paymentId: intent.paymentId, status: "failed", providerCode: intent.outcomeCode });
      case "refunded":
      case "refund_pending":
      case "refund_failed":
        return refuse((intent.outcomeCode ?? "PAYMENT_DECLINED") as WireError["code"], intent.outcomeMessage ?? "the order was refused", { paymentId: intent.paymentId, refunded: intent.status === "refunded" });
    }
  }

  #price(lines: readonly LineRequest[]): { ok: true; total: number } | { ok: false; error: WireError } {
    let total = 0;
    for (const line of lines) {
      const priced = priceLine(this.store.menu, line);
      if (!priced.ok) return { ok: false, error: fromDomainError(priced.error) };
      const sum = totalOf("draft", [total, priced.line.lineTotal]);
      if (!sum.ok) return { ok: false, error: fromDomainError(sum.error) };
      total = sum.total;
    }
    return { ok: true, total };
  }

  /** The refusals the order would meet now (sold out, closed table, limits), before any money moves. */
  #dryRun(lines: readonly LineRequest[], paymentId: string, method: CartPayInput["method"], amount: number, principal: Principal): WireError | undefined {
    const provider: ProviderRecord = { provider: "dry-run", approvalNo: "", transactionId: "", approvedAt: "", cardIssuer: null, cardAcquirer: null, maskedCardNo: null, installmentMonths: 0, raw: {} };
    const decision = decide(
      { type: "ConfirmDraft", batchId: `dry-run-${paymentId}`, source: "qr", lines, prepaid: { paymentId, method, amount, provider }, actor: { id: principal.staffId, role: principal.role, name: principal.name }, at: isoAt(this.ctx.clock) },
      this.session.state,
      { menu: this.store.menu, stock: this.ctx.stock.levels(this.store.id), money: this.store.money, staffMayEditRemoteOrders: this.store.staffMayEditRemoteOrders },
    );
    return decision.ok ? undefined : fromDomainError(decision.error);
  }
}

/** Not remembered by the pipeline: a retry asks `cart_payments` again and sees how it ended. */
function pending(code: WireError["code"], message: string, details?: unknown): Outcome {
  return { ok: false, transient: true, error: wireError(code, message, details) };
}

/** The cancel id of a prepaid cart's charge: one per intent, so a retried cancel is applied once. */
export function cartCancelId(paymentId: string): string {
  return `${paymentId}:cancel`;
}

function refuse(code: WireError["code"], message: string, details?: unknown): Outcome {
  return { ok: false, error: wireError(code, message, details) };
}
