import { isActive } from "../../domain/index.ts";
import type { Principal, RoomContext } from "../../rooms/context.ts";

/** The refusal for a customer whose session is over (rooms answer it at join and per command). */
export const sessionOver = { status: 401, code: "SESSION_OVER", message: "this table's session has ended: scan the table's QR code again" } as const;

/**
 * Whether a token's principal may still act. Staff, admin, kitchen and system principals: always
 * (their tokens expire on their own). A customer (QR) token is bound to the session that was live
 * at its table when it was made: it dies the moment that session closes or is cancelled, and
 * stays dead when the table's next session opens (another id), whatever its `exp` says.
 *
 * Reads the table actor's state (ctx.sessions), the state every command is decided on. Cheap
 * (a map lookup; the first call for a table loads it from SQLite), so rooms call it at join and
 * before every customer command.
 */
export function customerTokenLive(ctx: Pick<RoomContext, "sessions">, principal: Principal): boolean {
  if (principal.role !== "customer") return true;
  const { tableId, sessionId } = principal;
  if (tableId === undefined || tableId === "" || sessionId === undefined || sessionId === "") return false;
  const state = liveSessionOf(ctx, principal.storeId, tableId);
  return state !== undefined && state.sessionId === sessionId;
}

/** The table's live session (open, in the kitchen or paying), or undefined (none, over, unknown table). */
export function liveSessionOf(ctx: Pick<RoomContext, "sessions">, storeId: string, tableId: string): { readonly sessionId: string } | undefined {
  const state = ctx.sessions.get(storeId, tableId)?.state;
  if (!state || !isActive(state.status) || state.sessionId === "") return undefined;
  return state;
}
