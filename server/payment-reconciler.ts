import type { CommandMeta } from "../rooms/command-pipeline.ts";
import type { RoomContext } from "../rooms/context.ts";
import { resolveUnknownPayment, settleCancel } from "../rooms/table/payment-flow.ts";
import type { PaymentMethod } from "../domain/index.ts";
import type { PaymentReader, PendingPaymentRow, PendingRefundRow } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import { reconcileCartPayment } from "./cart-reconcile.ts";

export interface ReconcileReport {
  readonly payments: { readonly approved: number; readonly voided: number; readonly declined: number; readonly stillPending: number };
  readonly refunds: { readonly completed: number; readonly failed: number; readonly stillPending: number };
  /** Prepaid QR carts (cart_payments) left between the charge and the order. */
  readonly carts: { readonly confirmed: number; readonly failed: number; readonly refunded: number; readonly stillPending: number };
}

export const reconcileDefaults = {
  /** A pending intent younger than this may still be answered by its own request: left alone. */
  minAgeMs: 90_000,
  intervalMs: 60_000,
  pageSize: 500,
  /** Provider calls at once (each intent is one query, maybe one net cancel). */
  concurrency: 8,
} as const;

/**
 * R-CON-4 after a crash or a lost answer: every payment intent still pending (and not being
 * answered in this process) is settled by asking the provider by our own order id: approved →
 * recorded as approved; nothing definite → net-cancelled (망취소) and recorded void. Refunds the same
 * way, by their cancel id. Runs at start (a restarted process has nothing in flight) and then
 * every interval; each result is one session command, so totals and auto-close follow as usual.
 */
export class PaymentReconciler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReconcileReport> | undefined;
  #stopped = false;

  constructor(
    private readonly ctx: RoomContext,
    private readonly reader: PaymentReader,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: { minAgeMs?: number; intervalMs?: number } = {},
  ) {}

  start(): void {
    void this.runOnce({ minAgeMs: 0 });
    const interval = this.options.intervalMs ?? reconcileDefaults.intervalMs;
    this.#timer = setInterval(() => void this.runOnce(), interval);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** One pass over everything pending (one pass at a time; a second call waits for the first). */
  runOnce(options: { minAgeMs?: number } = {}): Promise<ReconcileReport> {
    this.#running ??= this.#pass(options.minAgeMs ?? this.options.minAgeMs ?? reconcileDefaults.minAgeMs).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(minAgeMs: number): Promise<ReconcileReport> {
    const cutoff = new Date(this.clock.nowMs() - minAgeMs).toISOString();
    const payments = { approved: 0, voided: 0, declined: 0, stillPending: 0 };
    const refunds = { completed: 0, failed: 0, stillPending: 0 };
    let visited = 0;
    // Keyset pages: an intent that stays pending is passed over, never read again in this pass.
    for (let after = { at: "", id: "" }; !this.#stopped;) {
      const rows = this.reader.pendingPayments(cutoff, reconcileDefaults.pageSize, after);
      if (rows.length === 0) break;
      after = { at: rows.at(-1)!.requested_at, id: rows.at(-1)!.payment_id };
      visited += rows.length;
      await inParallel(rows.filter((row) => !this.ctx.payments.inFlight.has(row.payment_id)), reconcileDefaults.concurrency, async (row) => {
        const outcome = await this.#payment(row);
        payments[outcome] += 1;
      });
    }
    for (let after = { at: "", id: "" }; !this.#stopped;) {
      const rows = this.reader.pendingRefunds(cutoff, reconcileDefaults.pageSize, after);
      if (rows.length === 0) break;
      after = { at: rows.at(-1)!.requested_at, id: rows.at(-1)!.refund_id };
      visited += rows.length;
      await inParallel(rows.filter((row) => !this.ctx.payments.inFlight.has(row.refund_id)), reconcileDefaults.concurrency, async (row) => {
        const outcome = await this.#refund(row);
        refunds[outcome] += 1;
      });
    }
    const carts = { confirmed: 0, failed: 0, refunded: 0, stillPending: 0 };
    for (let after = { at: "", id: "" }; !this.#stopped;) {
      const rows = this.ctx.cartPayments.unsettled(cutoff, reconcileDefaults.pageSize, after);
      if (rows.length === 0) break;
      after = { at: rows.at(-1)!.createdAt, id: rows.at(-1)!.paymentId };
      visited += rows.length;
      await inParallel(rows.filter((row) => !this.ctx.payments.inFlight.has(row.paymentId)), reconcileDefaults.concurrency, async (row) => {
        carts[await reconcileCartPayment(this.ctx, row, systemMeta(row.storeId, `reconcile#${row.paymentId}`))] += 1;
      });
    }
    const report = { payments, refunds, carts };
    if (visited > 0) this.log.info("payment reconciliation", { ...payments, refundsCompleted: refunds.completed, refundsFailed: refunds.failed, refundsPending: refunds.stillPending, ...prefixed("cart", carts) });
    return report;
  }

  async #payment(row: PendingPaymentRow): Promise<"approved" | "voided" | "declined" | "stillPending"> {
    const session = this.ctx.sessions.get(row.store_id, row.table_id);
    if (!session || session.state.sessionId !== row.session_id) {
      this.log.error(`reconciliation: pending payment ${row.payment_id} belongs to session ${row.session_id}, not the live one of ${row.store_id}/${row.table_id}`);
      return "stillPending";
    }
    const provider = this.ctx.payments.providerFor(row.store_id, row.method as PaymentMethod);
    const result = await resolveUnknownPayment(provider, row.payment_id);
    if (!result) return "stillPending";
    const outcome = await session.submit(systemMeta(row.store_id, `reconcile#${row.payment_id}`), () => ({
      command: { type: "RecordPaymentResult", paymentId: row.payment_id, result },
      reply: () => null,
    }));
    if (!outcome.ok) {
      // Already settled by its own request meanwhile (payment_not_pending) is fine; anything else is logged.
      if (outcome.error.code !== "INVALID_TRANSITION") this.log.error(`reconciliation: recording ${row.payment_id} failed: ${outcome.error.code} ${outcome.error.message}`);
      return "stillPending";
    }
    return result.kind === "approved" ? "approved" : result.kind === "declined" ? "declined" : "voided";
  }

  async #refund(row: PendingRefundRow): Promise<"completed" | "failed" | "stillPending"> {
    const session = this.ctx.sessions.get(row.store_id, row.table_id);
    if (!session || session.state.sessionId !== row.session_id || !row.transaction_id || !row.approval_no) return "stillPending";
    const provider = this.ctx.payments.providerFor(row.store_id, row.method as PaymentMethod);
    const result = await settleCancel(provider, {
      orderId: row.payment_id, cancelId: row.refund_id, transactionId: row.transaction_id, approvalNo: row.approval_no, amount: row.amount_won, reason: row.reason,
    });
    if (!result) return "stillPending";
    const outcome = await session.submit(systemMeta(row.store_id, `reconcile#${row.refund_id}`), () => ({
      command: { type: "RecordRefundResult", refundId: row.refund_id, result },
      reply: () => null,
    }));
    if (!outcome.ok) return "stillPending";
    return result.kind;
  }
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
}

function systemMeta(storeId: string, cmdId: string): CommandMeta {
  return { cmdId, bodyHash: "", principal: { staffId: "system", storeId, role: "system", name: "결제 대사 (reconciler)" } };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

