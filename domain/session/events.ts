import type { OptionChoice } from "../menu.ts";
import type { Won } from "../money.ts";
import type { ActorRef, AdjustmentKind, AdjustmentScope, OrderSource, PaymentMethod, ProviderRecord, TicketKind } from "./state.ts";

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
  readonly kind: TicketKind;
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

/** Kitchen progress on items (R-KDS-3/4); each carries the items it moved. */
export interface ItemsCookingStarted extends EventBase {
  readonly type: "ItemsCookingStarted";
  readonly itemIds: readonly string[];
}

export interface ItemsCooked extends EventBase {
  readonly type: "ItemsCooked";
  readonly itemIds: readonly string[];
}

export interface ItemsServed extends EventBase {
  readonly type: "ItemsServed";
  readonly itemIds: readonly string[];
}

export interface ItemMarkedMissing extends EventBase {
  readonly type: "ItemMarkedMissing";
  readonly itemId: string;
  readonly note: string;
}

export interface TicketBumped extends EventBase {
  readonly type: "TicketBumped";
  readonly ticketId: string;
}

export interface TicketRecalled extends EventBase {
  readonly type: "TicketRecalled";
  readonly ticketId: string;
}

/** R-INV-1: a signed change of the session total, with its reason (R-VAL-3). */
export interface AdjustmentApplied extends EventBase {
  readonly type: "AdjustmentApplied";
  readonly adjustmentId: string;
  readonly kind: AdjustmentKind;
  readonly scope: AdjustmentScope;
  readonly targetId: string | null;
  readonly percent: number | null;
  readonly amount: Won;
  readonly reasonCode: string;
  readonly note: string;
  readonly approvedBy: ActorRef | null;
}

export interface AdjustmentRemoved extends EventBase {
  readonly type: "AdjustmentRemoved";
  readonly adjustmentId: string;
  readonly reason: string;
  /** What it gave or took, for the audit and the report. */
  readonly amount: Won;
}

/** R-CON-4: the intent, durable before any provider is called. `paymentId` is the provider order id. */
export interface PaymentRequested extends EventBase {
  readonly type: "PaymentRequested";
  readonly paymentId: string;
  readonly method: PaymentMethod;
  readonly amount: Won;
  readonly installmentMonths: number;
  readonly label: string;
  /** Set for a prepaid order's payment: the batch it paid for (its cancel refunds through it). */
  readonly forBatchId?: string;
}

export interface PaymentApproved extends EventBase {
  readonly type: "PaymentApproved";
  readonly paymentId: string;
  readonly amount: Won;
  readonly partial: boolean;
  /** Cash only: what was handed over, and the change given back. */
  readonly tendered: Won;
  readonly change: Won;
  readonly provider: ProviderRecord | null;
}

export interface PaymentDeclined extends EventBase {
  readonly type: "PaymentDeclined";
  readonly paymentId: string;
  readonly code: string;
  readonly message: string;
}

/** An intent settled with no charge: net-cancelled (망취소), or the provider never had it. */
export interface PaymentVoided extends EventBase {
  readonly type: "PaymentVoided";
  readonly paymentId: string;
  readonly reason: string;
}

export interface RefundRequested extends EventBase {
  readonly type: "RefundRequested";
  readonly refundId: string;
  readonly paymentId: string;
  readonly amount: Won;
  readonly reason: string;
  readonly reasonCode: string;
}

export interface RefundCompleted extends EventBase {
  readonly type: "RefundCompleted";
  readonly refundId: string;
  readonly paymentId: string;
  readonly amount: Won;
  readonly cancelTransactionId: string | null;
  readonly raw: Readonly<Record<string, unknown>> | null;
}

export interface RefundFailed extends EventBase {
  readonly type: "RefundFailed";
  readonly refundId: string;
  readonly paymentId: string;
  readonly code: string;
  readonly message: string;
}

/** R-VAL-1: an admin reopens a closed session to correct it; always with a reason. */
export interface SessionReopened extends EventBase {
  readonly type: "SessionReopened";
  readonly reason: string;
}

/** R-OFF-1: idle for the store's timeout; what was still due then stays due (never lost). */
export interface SessionTimedOut extends EventBase {
  readonly type: "SessionTimedOut";
  readonly lastActivityAt: string;
  readonly outstanding: Won;
}

/** R-OFF-1: staff took a timed-out session back into service. */
export interface SessionResumed extends EventBase {
  readonly type: "SessionResumed";
  readonly reason: string;
}

export type SessionEvent =
  | SessionOpened
  | BatchConfirmed
  | KitchenTicketCreated
  | TicketPrintRequested
  | ItemCancelled
  | ItemAdded
  | SessionClosed
  | ItemsCookingStarted
  | ItemsCooked
  | ItemsServed
  | ItemMarkedMissing
  | TicketBumped
  | TicketRecalled
  | AdjustmentApplied
  | AdjustmentRemoved
  | PaymentRequested
  | PaymentApproved
  | PaymentDeclined
  | PaymentVoided
  | RefundRequested
  | RefundCompleted
  | RefundFailed
  | SessionReopened
  | SessionTimedOut
  | SessionResumed;

export type SessionEventType = SessionEvent["type"];
