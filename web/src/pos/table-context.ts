import type { StaffSession } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import type { CommandTypeOf } from "../../../clients/commands.ts";
import type { TableClient } from "../../../clients/room-client.ts";
import type { Refusal } from "./refusals.ts";
import type { StoreMenu } from "./store-menu.ts";
import type { OfflineQueueView } from "./use-offline-queue.ts";

export type TableCommandType = CommandTypeOf<"table">;

/** What every part of the table screen needs: the room, the menu, the link, one way to send. */
export interface TableCtx {
  readonly session: StaffSession;
  readonly menu: StoreMenu;
  readonly client: TableClient;
  /** The decoded table state (docs/PROTOCOL.md §3), mutated in place on every patch. */
  readonly state: any;
  /** False while the link is down: orders and cash payments go to the offline queue then. */
  readonly online: boolean;
  readonly tableName: string;
  readonly queue: OfflineQueueView;
  /**
   * Sends one command; resolves with its data, or null after the refusal was shown in words
   * (VERSION_CONFLICT as the conflict panel with what changed).
   */
  run<D = Record<string, any>>(type: TableCommandType, fields?: Record<string, unknown>): Promise<D | null>;
  /** Shows a refusal the way `run` does (a dialog that handled some refusals itself hands on the rest). */
  refuse(refusal: Refusal): void;
}

export type Sent<D> = { readonly ok: true; readonly data: D } | { readonly ok: false; readonly refusal: Refusal };

/** Sends one command (a fresh cmdId each call) and gives back its data or its refusal, never throws. */
export async function sendCommand<D = Record<string, any>>(client: TableClient, type: TableCommandType, fields: Record<string, unknown> = {}): Promise<Sent<D>> {
  try {
    const reply = await client.command(type as never, fields as never);
    if (reply.ok) return { ok: true, data: reply.data as D };
    return { ok: false, refusal: { code: reply.error.code, details: reply.error.details } };
  } catch (error) {
    return { ok: false, refusal: { code: error instanceof ClientError ? error.code : "REQUEST_FAILED" } };
  }
}

/** The runner behind ctx.run: one reply per command, a refusal handed to `onRefusal`. */
export function commandRunner(client: TableClient, onRefusal: (refusal: Refusal) => void) {
  return async <D>(type: TableCommandType, fields: Record<string, unknown> = {}): Promise<D | null> => {
    const sent = await sendCommand<D>(client, type, fields);
    if (sent.ok) return sent.data;
    onRefusal(sent.refusal);
    return null;
  };
}

/**
 * The version and session a decision was made on (R-CON-2), sent back with the command: a change
 * since is VERSION_CONFLICT, another party's session at the table is SESSION_CLOSED.
 */
export interface DecidedOn { readonly expectedVersion: number; readonly expectedSessionId?: string }

export function decidedOn(state: any): DecidedOn {
  const sessionId = String(state?.sessionId ?? "");
  return { expectedVersion: Number(state?.version ?? 0), ...(sessionId !== "" ? { expectedSessionId: sessionId } : {}) };
}

/** The item's menu name, for messages. */
export function itemNameOf(state: any, id: string): string | undefined {
  return state?.items?.get(id)?.name ?? state?.draft?.get(id)?.name;
}

/** The edit lock if it is live (an expired one blocks nobody, docs/PROTOCOL.md §5). */
export function liveLock(state: any, nowMs: number): { holderName: string; holderTerminal: string; expiresAt: string } | null {
  const lock = state?.lock?.get("table");
  if (!lock || !(Date.parse(lock.expiresAt) > nowMs)) return null;
  return lock;
}
