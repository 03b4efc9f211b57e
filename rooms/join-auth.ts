import { ServerError, type AuthContext, type Client, type Room } from "@colyseus/core";
import type { Principal, Role, RoomContext, StoreView } from "./context.ts";
import { authorize, type ResourceScope } from "./access.ts";

/**
 * Join errors reach the client as MatchMakeError(code, message); the message starts with our
 * stable wire code so clients can switch on it (docs/PROTOCOL.md, "Joining").
 */
export function joinError(status: 400 | 401 | 403 | 404 | 409, code: string, message: string): ServerError {
  return new ServerError(status, `${code}: ${message}`);
}

/**
 * First gate, at matchmaking (HTTP): a valid token of an allowed role whose store is the one the
 * join options name. It keeps strangers from creating rooms, but it cannot see which room a
 * join-by-id or a filtered join lands in: `guardJoins` checks that on the room itself.
 */
export async function authenticateJoin(ctx: RoomContext, token: unknown, options: unknown, roles: readonly Role[]): Promise<Principal> {
  const principal = await verified(ctx, token);
  const storeId = (options as { storeId?: unknown } | undefined)?.storeId;
  if (typeof storeId !== "string") throw joinError(400, "BAD_REQUEST", "join options need storeId");
  if (!ctx.stores.has(storeId)) throw joinError(404, "NOT_FOUND", `unknown store ${storeId}`);
  const tableId = (options as { tableId?: unknown }).tableId;
  deny(authorize(principal, roles, typeof tableId === "string" ? { storeId, tableId } : { storeId }));
  return principal;
}

/**
 * Second gate, in the room (every join path: create, join, join by id; a reconnection carries the
 * principal that passed this gate): the token is checked again against the room's *own* store
 * and table, whatever the client put in its options.
 *
 * Colyseus calls a room's instance `onAuth` only when the static one returned no auth data, and
 * logs a misleading warning when a class defines both as methods; so this is installed as an own
 * property, and the static gate returns `true`.
 */
export function guardJoins(
  room: Room,
  ctx: RoomContext,
  roles: readonly Role[],
  scope: () => ResourceScope,
  admit?: (principal: Principal) => void,
): void {
  (room as unknown as { onAuth: (client: Client, options: unknown, context: AuthContext) => Promise<Principal> }).onAuth =
    async (_client, _options, context) => {
      const principal = await verified(ctx, context.token);
      deny(authorize(principal, roles, scope()));
      admit?.(principal);
      return principal;
    };
}

async function verified(ctx: RoomContext, token: unknown): Promise<Principal> {
  const result = await ctx.verifyToken(token);
  if (!result.ok) throw joinError(401, "UNAUTHORIZED", result.message);
  return result.principal;
}

function deny(denied: ReturnType<typeof authorize>): void {
  if (denied) throw joinError(denied.status, denied.code, denied.message);
}

export function tableOf(ctx: RoomContext, options: unknown): { store: StoreView; tableId: string } {
  const { storeId, tableId } = (options ?? {}) as { storeId?: unknown; tableId?: unknown };
  const store = typeof storeId === "string" ? ctx.stores.get(storeId) : undefined;
  if (!store) throw joinError(404, "NOT_FOUND", `unknown store ${String(storeId)}`);
  if (typeof tableId !== "string" || !store.tables.has(tableId)) throw joinError(404, "NOT_FOUND", `unknown table ${String(tableId)}`);
  return { store, tableId };
}
