import { assert } from "../domain/assert.ts";
import { cashLimits } from "./limits.ts";
import type {
  Approval, ApproveRequest, ApproveResult, CancelRequest, CancelResult, NetCancelResult, PaymentProvider, QueryResult, SettlementLine, SettlementResult,
} from "./provider.ts";
import { assertTimeZone, localDate, localTimestamp } from "./time-zone.ts";

export interface CashProviderOptions {
  /** Default "cash". */
  readonly name?: string;
  /** Zone of timestamps and settlement dates. Default Asia/Seoul. */
  readonly timeZone?: string;
  readonly now?: () => Date;
}

interface CashCancel { readonly cancelId: string; readonly amount: number; readonly remaining: number; readonly at: string }
interface CashOrder {
  /** null: a net cancel for an id never approved here (a tombstone). */
  readonly approval: Approval | null;
  status: "approved" | "net_cancelled";
  readonly cancels: CashCancel[];
  voidedAt: string | null;
}

/**
 * Cash is taken at the counter, so every call answers at once from this in-process ledger; `external`
 * is false and nothing can be "unknown" about a cash approval. The session journal is the record:
 * this ledger only mirrors what went through this provider since the process started.
 * - approve: approved at once, `approvalNo` `CASH-<last 8 of orderId>`, `transactionId` = orderId;
 *   a repeat of the same order and amount returns the same approval, anything else `DUPLICATED_ORDER_ID`.
 * - cancel: same rules as a VAN (remaining-balance guard, repeated cancelId answers the first cancel).
 * - query: approved (with cancels) or net_cancelled for an id it holds. For an id it does not hold it
 *   answers `unknown`, never `not_found`: cash changes hands outside any provider, so "this ledger has
 *   no record" cannot vouch that no money moved; the journal decides.
 * - netCancel: voids what remains and blocks the id; done even for an id it never saw.
 */
export class CashProvider implements PaymentProvider {
  readonly name: string;
  readonly external = false;
  readonly #timeZone: string;
  readonly #now: () => Date;
  readonly #orders = new Map<string, CashOrder>();
  readonly #orderIdByCancelId = new Map<string, string>();

  constructor(options: CashProviderOptions = {}) {
    this.name = options.name ?? "cash";
    this.#timeZone = options.timeZone ?? "Asia/Seoul";
    this.#now = options.now ?? (() => new Date());
    assertTimeZone(this.#timeZone);
  }

  async approve(request: ApproveRequest): Promise<ApproveResult> {
    if (request.method !== "cash") return { kind: "declined", code: "METHOD_NOT_SUPPORTED", message: `${request.method} does not go in the cash drawer` };
    if (!isWon(request.amount)) return { kind: "declined", code: "INVALID_AMOUNT", message: "amount: a positive whole number of won" };
    const known = this.#orders.get(request.orderId);
    if (known) {
      const replay = known.status === "approved" && known.approval?.amount === request.amount && known.cancels.length === 0;
      return replay && known.approval ? { kind: "approved", approval: known.approval } : { kind: "declined", code: "DUPLICATED_ORDER_ID", message: "order id already used" };
    }
    const approvedAt = this.#stamp();
    const approvalNo = `CASH-${request.orderId.slice(-8)}`;
    const approval: Approval = {
      orderId: request.orderId, amount: request.amount, partial: false, provider: this.name, approvalNo, transactionId: request.orderId, approvedAt,
      raw: { orderId: request.orderId, amount: request.amount, vat: request.vat, approvalNo, approvedAt, method: "cash" },
    };
    this.#remember(request.orderId, { approval, status: "approved", cancels: [], voidedAt: null });
    return { kind: "approved", approval };
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    const earlierOrderId = this.#orderIdByCancelId.get(request.cancelId);
    const earlier = earlierOrderId === undefined ? undefined : this.#orders.get(earlierOrderId)?.cancels.find((c) => c.cancelId === request.cancelId);
    if (earlier) return cancelled(earlier);
    const order = this.#orders.get(request.orderId);
    if (!order || request.transactionId !== request.orderId) return { kind: "refused", code: "NOT_FOUND_PAYMENT", message: "no cash payment with this order id here" };
    if (order.status !== "approved") return { kind: "refused", code: "NOT_CANCELABLE_PAYMENT", message: "payment was voided" };
    if (!isWon(request.amount)) return { kind: "refused", code: "INVALID_AMOUNT", message: "amount: a positive whole number of won" };
    const before = remainingOf(order);
    if (request.amount > before) return { kind: "refused", code: "NOT_CANCELABLE_AMOUNT", message: `only ${before} won remain` };
    const entry: CashCancel = { cancelId: request.cancelId, amount: request.amount, remaining: before - request.amount, at: this.#stamp() };
    order.cancels.push(entry);
    this.#orderIdByCancelId.set(request.cancelId, request.orderId);
    assert(remainingOf(order) === entry.remaining && entry.remaining >= 0, "cash cancel took exactly its amount");
    return cancelled(entry);
  }

  async query(orderId: string): Promise<QueryResult> {
    const order = this.#orders.get(orderId);
    if (!order) return { kind: "unknown", reason: "not_in_cash_ledger" };
    if (order.status === "net_cancelled" || !order.approval) return { kind: "net_cancelled" };
    return { kind: "approved", approval: order.approval, cancelledAmount: order.approval.amount - remainingOf(order), cancelIds: order.cancels.map((c) => c.cancelId) };
  }

  async netCancel(orderId: string): Promise<NetCancelResult> {
    const order = this.#orders.get(orderId);
    if (order) {
      if (order.status === "approved") order.voidedAt = this.#stamp();
      order.status = "net_cancelled";
      return { kind: "done" };
    }
    // A tombstone, as at a VAN: the id cannot be approved later.
    this.#remember(orderId, { approval: null, status: "net_cancelled", cancels: [], voidedAt: this.#stamp() });
    return { kind: "done" };
  }

  /** Approvals and cancels of `date` in the store zone; a void shows as a cancel of what it voided. */
  async settlement(date: string): Promise<SettlementResult> {
    const lines: SettlementLine[] = [];
    const on = (at: string) => localDate(new Date(at), this.#timeZone) === date;
    for (const { approval: a, cancels, voidedAt, status } of this.#orders.values()) {
      if (!a) continue; // tombstone
      const line = { orderId: a.orderId, approvalNo: a.approvalNo };
      if (on(a.approvedAt)) lines.push({ ...line, kind: "approval", amount: a.amount, transactionId: a.transactionId, at: a.approvedAt });
      for (const c of cancels) if (on(c.at)) lines.push({ ...line, kind: "cancel", amount: c.amount, transactionId: c.cancelId, at: c.at });
      const voided = a.amount - cancels.reduce((sum, c) => sum + c.amount, 0);
      if (status === "net_cancelled" && voidedAt && voided > 0 && on(voidedAt)) lines.push({ ...line, kind: "cancel", amount: voided, transactionId: `VOID-${a.orderId}`, at: voidedAt });
    }
    return { kind: "ok", date, lines: lines.sort((x, y) => x.at.localeCompare(y.at)) };
  }

  #stamp(): string {
    return localTimestamp(this.#now(), this.#timeZone);
  }

  /** Keeps the newest `ordersKeptMax` orders (the journal holds them all). */
  #remember(orderId: string, order: CashOrder): void {
    this.#orders.set(orderId, order);
    if (this.#orders.size <= cashLimits.ordersKeptMax) return;
    const [oldestId, oldest] = this.#orders.entries().next().value!;
    for (const c of oldest.cancels) this.#orderIdByCancelId.delete(c.cancelId);
    this.#orders.delete(oldestId);
  }
}

function remainingOf(order: CashOrder): number {
  if (order.status !== "approved" || !order.approval) return 0;
  return order.approval.amount - order.cancels.reduce((sum, c) => sum + c.amount, 0);
}

const isWon = (amount: number) => Number.isSafeInteger(amount) && amount > 0;

const cancelled = (c: CashCancel): CancelResult => ({ kind: "cancelled", cancelTransactionId: c.cancelId, amount: c.amount, remaining: c.remaining, raw: { ...c } });

export function createCashProvider(options: CashProviderOptions = {}): CashProvider {
  return new CashProvider(options);
}
