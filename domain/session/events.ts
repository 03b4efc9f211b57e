import type { OptionChoice } from "../menu.ts";
import type { Won } from "../money.ts";
import type { ActorRef, OrderSource } from "./state.ts";

/**
 * R-EVT-1: the standard domain events. Names are stable wire/storage identifiers and every
 * payload carries its schema version `v`; a new shape gets a new `v`, old ones stay readable.
 */
interface EventBase {
  readonly v: 1;
  readonly at: string;
  readonly actor: ActorRef;
}

export interface SessionOpened extends EventBase {
  readonly type: "SessionOpened";
  readonly sessionId: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly guests: number;
}

export interface ConfirmedItem {
  readonly itemId: string;
  readonly menuId: string;
  readonly name: string;
  readonly stationId: string;
  readonly quantity: number;
  readonly unitPrice: Won;
  readonly options: readonly OptionChoice[];
  readonly note: string;
  readonly lineTotal: Won;
}

export interface BatchConfirmed extends EventBase {
  readonly type: "BatchConfirmed";
  readonly batchId: string;
  readonly batchNo: number;
  readonly source: OrderSource;
  readonly items: readonly ConfirmedItem[];
  readonly total: Won;
}

/** One cooking unit per station per batch (SPEC "kitchen ticket"). */
export interface KitchenTicketCreated extends EventBase {
  readonly type: "KitchenTicketCreated";
  readonly ticketId: string;
  readonly batchId: string;
  readonly batchNo: number;
  readonly stationId: string;
  readonly kind: "new" | "change" | "cancel";
  readonly itemIds: readonly string[];
}

/** Asks the printer of a station for a slip; `slipKey` is its idempotency key (R-KRP-3). */
export interface TicketPrintRequested extends EventBase {
  readonly type: "TicketPrintRequested";
  readonly ticketId: string;
  readonly stationId: string;
  readonly slipKey: string;
}

export interface ItemCancelled extends EventBase {
  readonly type: "ItemCancelled";
  readonly itemId: string;
  readonly batchId: string;
  readonly reason: string;
  /** Set when the cancel is half of a quantity change (R-ITEM-1). */
  readonly replacedByItemId: string | null;
  readonly lineTotal: Won;
}

export interface ItemAdded extends EventBase {
  readonly type: "ItemAdded";
  readonly batchId: string;
  readonly replacesItemId: string;
  readonly item: ConfirmedItem;
}

export interface SessionClosed extends EventBase {
  readonly type: "SessionClosed";
  readonly reason: string;
  readonly total: Won;
}

export type SessionEvent =
  | SessionOpened
  | BatchConfirmed
  | KitchenTicketCreated
  | TicketPrintRequested
  | ItemCancelled
  | ItemAdded
  | SessionClosed;

export type SessionEventType = SessionEvent["type"];
