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

export interface CancelItem extends CommandBase {
  readonly type: "CancelItem";
  readonly itemId: string;
  readonly reason: string;
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

export type SessionCommand = OpenSession | ConfirmDraft | CancelItem | ChangeItemQuantity | CloseSession;
