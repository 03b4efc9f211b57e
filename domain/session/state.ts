import type { OptionChoice } from "../menu.ts";
import { zeroWon, type Won } from "../money.ts";

/** SPEC session states; `none` = no session has been opened on this stream yet. */
export type SessionStatus = "none" | "open" | "in_kitchen" | "paying" | "closed" | "timed_out" | "cancelled";

/** SPEC order item states (R-KDS-3 keeps cooked and served apart). */
export type ItemState = "waiting" | "cooking" | "cooked" | "served" | "cancelled";

export type OrderSource = "pos" | "qr" | "app";

export interface ActorRef {
  readonly id: string;
  readonly role: "staff" | "admin" | "kitchen" | "customer" | "system";
  readonly name: string;
}

export interface OrderItem {
  readonly itemId: string;
  readonly batchId: string;
  readonly batchNo: number;
  readonly menuId: string;
  readonly name: string;
  readonly stationId: string;
  readonly quantity: number;
  readonly unitPrice: Won;
  readonly options: readonly OptionChoice[];
  readonly note: string;
  readonly lineTotal: Won;
  readonly source: OrderSource;
  readonly state: ItemState;
  /** R-ITEM-1: a quantity change links the cancelled line and its replacement both ways. */
  readonly replacesItemId: string | null;
  readonly replacedByItemId: string | null;
  /** R-KDS-4: per-item cook-start and cook-done times; served kept apart (R-KDS-3). */
  readonly cookStartedAt: string | null;
  readonly cookedAt: string | null;
  readonly servedAt: string | null;
  /** Set when the kitchen reports the item missing (not sent / lost), so the front sees it. */
  readonly missingAt: string | null;
  readonly missingNote: string;
}

export type TicketKind = "new" | "change" | "partial_cancel" | "cancel";

/** A kitchen ticket: one station's share of a batch, or a delta after confirm. */
export interface KitchenTicket {
  readonly ticketId: string;
  readonly batchId: string;
  readonly batchNo: number;
  readonly stationId: string;
  readonly kind: TicketKind;
  readonly itemIds: readonly string[];
  readonly createdAt: string;
  /** Bumped off the kitchen screen (done); a recall clears it. */
  readonly bumpedAt: string | null;
}

export interface OrderBatch {
  readonly batchId: string;
  readonly batchNo: number;
  readonly source: OrderSource;
  readonly confirmedAt: string;
  readonly confirmedBy: string;
  readonly total: Won;
}

export type PaymentMethod = "cash" | "card" | "easy_pay" | "points";

/** SPEC payment states; refunds are tracked as amounts beside them. */
export type PaymentStatus = "pending" | "approved" | "partially_approved" | "refunded" | "void";

/** The provider's keys for an approval, stored raw beside our ids (R-PAY-3). */
export interface ProviderRecord {
  readonly provider: string;
  /** The order id the provider knows this approval by, when it is not our payment id (an app's prepaid order). */
  readonly orderId?: string | undefined;
  readonly approvalNo: string;
  readonly transactionId: string;
  readonly approvedAt: string;
  readonly cardIssuer: string | null;
  readonly cardAcquirer: string | null;
  readonly maskedCardNo: string | null;
  readonly installmentMonths: number;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface Payment {
  readonly paymentId: string;
  readonly method: PaymentMethod;
  /** What was asked for. */
  readonly requested: Won;
  /** What the provider approved (0 until approved; less than requested on a partial approval). */
  readonly approved: Won;
  /** Cash handed over and change given back (cash only; 0 otherwise). */
  readonly tendered: Won;
  readonly change: Won;
  readonly installmentMonths: number;
  readonly label: string;
  readonly status: PaymentStatus;
  /** Refunds completed, and refunds asked of the provider but not answered yet. */
  readonly refunded: Won;
  readonly refundPending: Won;
  readonly provider: ProviderRecord | null;
  readonly requestedAt: string;
  readonly requestedBy: string;
  /** Why a payment ended void (declined, net-cancelled, never reached the provider). */
  readonly voidReason: string | null;
  /** A prepaid order's payment: the batch it paid for. */
  readonly forBatchId: string | null;
}

export type RefundStatus = "pending" | "completed" | "failed";

export interface Refund {
  readonly refundId: string;
  readonly paymentId: string;
  readonly amount: Won;
  readonly reason: string;
  readonly reasonCode: string;
  readonly status: RefundStatus;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly cancelTransactionId: string | null;
}

export type AdjustmentKind = "percent_discount" | "fixed_discount" | "coupon" | "comp" | "service_charge" | "correction";
export type AdjustmentScope = "session" | "batch" | "item";

export interface Adjustment {
  readonly adjustmentId: string;
  readonly kind: AdjustmentKind;
  readonly scope: AdjustmentScope;
  /** Batch or item id; null for the whole session. */
  readonly targetId: string | null;
  /** Whole percent for percent kinds, else null. */
  readonly percent: number | null;
  /** Signed: a discount lowers the total (negative), a service charge raises it. */
  readonly amount: Won;
  readonly reasonCode: string;
  readonly note: string;
  readonly appliedAt: string;
  readonly appliedBy: string;
  readonly approvedBy: string | null;
}

export interface SessionState {
  readonly sessionId: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly status: SessionStatus;
  /** Number of events folded so far: the optimistic version (R-CON-2). */
  readonly version: number;
  readonly guests: number;
  readonly openedAt: string;
  readonly batches: readonly OrderBatch[];
  readonly items: ReadonlyMap<string, OrderItem>;
  readonly tickets: ReadonlyMap<string, KitchenTicket>;
  /** Confirmed, not cancelled items: the "confirmed order total" of R-INV-1 (adjustments apart). */
  readonly total: Won;
  /** Live adjustments by id (removed ones leave). */
  readonly adjustments: ReadonlyMap<string, Adjustment>;
  readonly payments: ReadonlyMap<string, Payment>;
  readonly refunds: ReadonlyMap<string, Refund>;
  /** Why and by whom the session was closed (or reopened), for the screens. */
  readonly closedReason: string | null;
  /** R-OFF-1: time of the last event folded (the session's last durable activity); "" before any. */
  readonly lastActivityAt: string;
}

export function initialSessionState(): SessionState {
  return {
    sessionId: "",
    storeId: "",
    tableId: "",
    status: "none",
    version: 0,
    guests: 0,
    openedAt: "",
    batches: [],
    items: new Map(),
    tickets: new Map(),
    total: zeroWon,
    adjustments: new Map(),
    payments: new Map(),
    refunds: new Map(),
    closedReason: null,
    lastActivityAt: "",
  };
}

/** A session that still takes orders and payments. */
export function isActive(status: SessionStatus): boolean {
  return status === "open" || status === "in_kitchen" || status === "paying";
}

/**
 * A session that still holds its table: active, or timed out (R-OFF-1: idle, but not over; its
 * balance is still due and staff resume or close it). Nobody opens a new session beside it.
 */
export function isLive(status: SessionStatus): boolean {
  return isActive(status) || status === "timed_out";
}

/** A session that is over: the room may drop it (house style `isTerminal`). A timed-out one is not. */
export function isTerminal(status: SessionStatus): boolean {
  return status === "closed" || status === "cancelled";
}

/** SPEC batch states, derived from its items: every item cancelled → void; every live one cooked or served → ready. */
export type BatchStatus = "confirmed" | "in_kitchen" | "ready" | "void";

export function batchStatus(state: SessionState, batchId: string): BatchStatus {
  let live = 0;
  let started = 0;
  let done = 0;
  for (const item of state.items.values()) {
    if (item.batchId !== batchId || item.state === "cancelled") continue;
    live += 1;
    if (item.state !== "waiting") started += 1;
    if (item.state === "cooked" || item.state === "served") done += 1;
  }
  if (live === 0) return "void";
  if (done === live) return "ready";
  return started > 0 ? "in_kitchen" : "confirmed";
}

/** Every batch's status in one pass over the items (batchStatus per batch would walk them per batch). */
export function batchStatuses(state: SessionState): Map<string, BatchStatus> {
  const counts = new Map<string, { live: number; started: number; done: number }>();
  for (const item of state.items.values()) {
    if (item.state === "cancelled") continue;
    let c = counts.get(item.batchId);
    if (!c) counts.set(item.batchId, (c = { live: 0, started: 0, done: 0 }));
    c.live += 1;
    if (item.state !== "waiting") c.started += 1;
    if (item.state === "cooked" || item.state === "served") c.done += 1;
  }
  const statuses = new Map<string, BatchStatus>();
  for (const batch of state.batches) {
    const c = counts.get(batch.batchId);
    statuses.set(batch.batchId, !c ? "void" : c.done === c.live ? "ready" : c.started > 0 ? "in_kitchen" : "confirmed");
  }
  return statuses;
}

export function liveItems(state: SessionState): OrderItem[] {
  return [...state.items.values()].filter((i) => i.state !== "cancelled");
}
