import type { LineRequest } from "../pricing.ts";
import type { ActorRef, AdjustmentKind, AdjustmentScope, OrderSource, PaymentMethod, ProviderRecord } from "./state.ts";

/** Fields every command carries: time and identity come from outside so the domain stays pure. */
interface CommandBase {
  readonly actor: ActorRef;
  readonly at: string;
  /** R-CON-2: when given, the command is refused unless the session is at this version. */
  readonly expectedVersion?: number | undefined;
}

export interface OpenSession extends CommandBase {
  readonly type: "OpenSession";
  readonly sessionId: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly guests: number;
}

export interface ConfirmDraft extends CommandBase {
  readonly type: "ConfirmDraft";
  /** Item and ticket ids are derived from it, so a batch is reproducible from its event. */
  readonly batchId: string;
  readonly source: OrderSource;
  readonly lines: readonly LineRequest[];
  /**
   * R-TLL-3: an order paid before it was sent (an app's PG, a prepaid QR cart). The batch and its
   * approved payment land in one decision; the amount must equal the batch total as priced here.
   */
  readonly prepaid?: { readonly paymentId: string; readonly method: PaymentMethod; readonly amount: number; readonly provider: ProviderRecord } | undefined;
}

/** Reason codes a staff member may give to cancel an item the kitchen already started. */
export type CancelReasonCode = "customer_request" | "wrong_order" | "kitchen_error" | "quality" | "other";

export interface CancelItem extends CommandBase {
  readonly type: "CancelItem";
  readonly itemId: string;
  readonly reason: string;
  readonly reasonCode?: CancelReasonCode | undefined;
}

export interface CancelBatch extends CommandBase {
  readonly type: "CancelBatch";
  readonly batchId: string;
  readonly reason: string;
  readonly reasonCode?: CancelReasonCode | undefined;
}

/** Kitchen progress: moves each listed item forward; items already there are skipped. */
export interface AdvanceItems extends CommandBase {
  readonly type: "AdvanceItems";
  readonly itemIds: readonly string[];
  readonly to: "cooking" | "cooked" | "served";
}

export interface MarkMissing extends CommandBase {
  readonly type: "MarkMissing";
  readonly itemId: string;
  readonly note: string;
}

export interface BumpTicket extends CommandBase {
  readonly type: "BumpTicket";
  readonly ticketId: string;
}

export interface RecallTicket extends CommandBase {
  readonly type: "RecallTicket";
  readonly ticketId: string;
}

export interface ChangeItemQuantity extends CommandBase {
  readonly type: "ChangeItemQuantity";
  readonly itemId: string;
  readonly quantity: number;
  readonly newItemId: string;
  readonly reason: string;
}

export interface CloseSession extends CommandBase {
  readonly type: "CloseSession";
  readonly reason: string;
}

/**
 * A discount, comp (서비스), service charge or correction. `percent` (whole percent) for the percent
 * kinds, else `amount` as a positive number of won (a correction may be signed). The room checks an
 * approver's PIN and passes who it was; the domain decides whether one was needed.
 */
export interface ApplyAdjustment extends CommandBase {
  readonly type: "ApplyAdjustment";
  readonly adjustmentId: string;
  readonly kind: AdjustmentKind;
  readonly scope: AdjustmentScope;
  readonly targetId: string | null;
  readonly percent?: number | undefined;
  readonly amount?: number | undefined;
  readonly reasonCode: string;
  readonly note: string;
  readonly approvedBy?: ActorRef | undefined;
}

export interface RemoveAdjustment extends CommandBase {
  readonly type: "RemoveAdjustment";
  readonly adjustmentId: string;
  readonly reason: string;
}

/**
 * Starts a payment. Cash is settled in the same decision (nothing external to wait for);
 * anything else stays pending until RecordPaymentResult. `amount` is what goes on the bill; for
 * cash `tendered` (default: amount) is what the guest handed over, and an amount above what is due
 * is taken as tendered (change given).
 */
export interface RequestPayment extends CommandBase {
  readonly type: "RequestPayment";
  readonly paymentId: string;
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly tendered?: number | undefined;
  readonly installmentMonths?: number | undefined;
  readonly label?: string | undefined;
}

export type PaymentResult =
  | { readonly kind: "approved"; readonly amount: number; readonly provider: ProviderRecord }
  | { readonly kind: "declined"; readonly code: string; readonly message: string }
  | { readonly kind: "voided"; readonly reason: string };

/** What the provider (or reconciliation) said about a pending payment. */
export interface RecordPaymentResult extends CommandBase {
  readonly type: "RecordPaymentResult";
  readonly paymentId: string;
  readonly result: PaymentResult;
}

export interface RequestRefund extends CommandBase {
  readonly type: "RequestRefund";
  readonly refundId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly reason: string;
  readonly reasonCode: string;
}

export type RefundResult =
  | { readonly kind: "completed"; readonly cancelTransactionId: string | null; readonly raw: Readonly<Record<string, unknown>> | null }
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

export interface RecordRefundResult extends CommandBase {
  readonly type: "RecordRefundResult";
  readonly refundId: string;
  readonly result: RefundResult;
}

export interface ReopenSession extends CommandBase {
  readonly type: "ReopenSession";
  readonly reason: string;
}

/**
 * R-OFF-1: the idle sweeper (system actor only) moves a session that saw no activity for the store's
 * idle timeout to `timed_out`. `lastActivityAt` is the last activity the sweeper saw; the session is
 * left alone when it moved since, or when it has not been idle that long at `at`.
 */
export interface TimeOutSession extends CommandBase {
  readonly type: "TimeOutSession";
  readonly lastActivityAt: string;
  readonly idleTimeoutSeconds: number;
}

/** R-OFF-1: staff take a timed-out session back into service (it takes orders again). */
export interface ResumeSession extends CommandBase {
  readonly type: "ResumeSession";
  readonly reason?: string | undefined;
}

export type SessionCommand =
  | OpenSession
  | ConfirmDraft
  | CancelItem
  | CancelBatch
  | ChangeItemQuantity
  | CloseSession
  | AdvanceItems
  | MarkMissing
  | BumpTicket
  | RecallTicket
  | ApplyAdjustment
  | RemoveAdjustment
  | RequestPayment
  | RecordPaymentResult
  | RequestRefund
  | RecordRefundResult
  | ReopenSession
  | TimeOutSession
  | ResumeSession;
