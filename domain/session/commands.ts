import type { LineRequest } from "../pricing.ts";
import type { ActorRef, OrderSource } from "./state.ts";

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
  | RecallTicket;
