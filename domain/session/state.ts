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
  /** Confirmed, not cancelled (R-INV-1 before adjustments, which come with payments). */
  readonly total: Won;
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
  };
}

/** A session that still takes orders. */
export function isActive(status: SessionStatus): boolean {
  return status === "open" || status === "in_kitchen" || status === "paying";
}

/** A session that will never change again: the room may drop it (house style `isTerminal`). */
export function isTerminal(status: SessionStatus): boolean {
  return status === "closed" || status === "timed_out" || status === "cancelled";
}

export function liveItems(state: SessionState): OrderItem[] {
  return [...state.items.values()].filter((i) => i.state !== "cancelled");
}
