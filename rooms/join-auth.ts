import { ServerError } from "@colyseus/core";
import type { Principal, Role, RoomContext, StoreView } from "./context.ts";

/**
 * Join errors reach the client as MatchMakeError(code, message); the message starts with our
 * stable wire code so clients can switch on it (docs/PROTOCOL.md, "Joining").
 */
export function joinError(status: 400 | 401 | 403 | 404 | 409, code: string, message: string): ServerError {
  return new ServerError(status, `${code}: ${message}`);
}

/** Checks the token, the role and that the store in the join options is the token's store. */
export async function authenticateJoin(ctx: RoomContext, token: unknown, options: unknown, roles: readonly Role[]): Promise<Principal> {
  const verified = await ctx.verifyToken(token);
  if (!verified.ok) throw joinError(401, "UNAUTHORIZED", verified.message);
  const { principal } = verified;
  if (!roles.includes(principal.role)) throw joinError(403, "FORBIDDEN", `role ${principal.role} may not join this room`);
  const storeId = (options as { storeId?: unknown } | undefined)?.storeId;
  if (typeof storeId !== "string") throw joinError(400, "BAD_REQUEST", "join options need storeId");
  if (storeId !== principal.storeId) throw joinError(403, "FORBIDDEN", "token belongs to another store");
  if (!ctx.stores.has(storeId)) throw joinError(404, "NOT_FOUND", `unknown store ${storeId}`);
  return principal;
}

export function tableOf(ctx: RoomContext, options: unknown): { store: StoreView; tableId: string } {
  const { storeId, tableId } = (options ?? {}) as { storeId?: unknown; tableId?: unknown };
  const store = typeof storeId === "string" ? ctx.stores.get(storeId) : undefined;
  if (!store) throw joinError(404, "NOT_FOUND", `unknown store ${String(storeId)}`);
  if (typeof tableId !== "string" || !store.tables.has(tableId)) throw joinError(404, "NOT_FOUND", `unknown table ${String(tableId)}`);
  return { store, tableId };
}
