import { createHash, randomUUID } from "node:crypto";
import type { CommandMeta } from "../../rooms/command-pipeline.ts";
import type { Principal, RoomContext } from "../../rooms/context.ts";
import type { QrStore } from "../../storage/index.ts";
import type { TokenService } from "../auth.ts";
import { liveSessionOf } from "./customer-token.ts";
import type { QrSettings } from "./settings.ts";
import { readTableToken, tableTokenMacMatches } from "./table-token.ts";

/** What the phone gets for a valid table token (POST /api/qr/session). */
export interface CustomerSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly tableName: string;
  readonly sessionId: string;
  readonly customerId: string;
}

export type ExchangeRefusal =
  | { readonly status: 401; readonly code: "UNAUTHORIZED"; readonly message: string }
  | { readonly status: 409; readonly code: "NO_SESSION"; readonly message: string }
  | { readonly status: 503; readonly code: string; readonly message: string };

export type ExchangeResult = { readonly ok: true; readonly session: CustomerSession } | { readonly ok: false; readonly error: ExchangeRefusal };

export interface ExchangeDeps {
  readonly ctx: RoomContext;
  readonly tokens: TokenService;
  readonly qr: QrStore;
  readonly settings: QrSettings;
}

// One answer for every bad token: a forger learns nothing about which part was wrong.
const invalidToken: ExchangeRefusal = { status: 401, code: "UNAUTHORIZED", message: "this QR code is not valid (damaged, or replaced by a newer code): ask the staff" };
const noSession: ExchangeRefusal = { status: 409, code: "NO_SESSION", message: "this table has no open session: ask the staff to seat the table" };

/**
 * A table token for a customer token. The token must be signed with the store's CURRENT secret
 * and name its current version (a rotation kills every older link at once); the store and the
 * table must exist in the config. The customer token is bound to the table's live session.
 */
export async function exchangeTableToken(deps: ExchangeDeps, tableToken: string): Promise<ExchangeResult> {
  const claim = readTableToken(tableToken);
  if (!claim) return { ok: false, error: invalidToken };
  const store = deps.ctx.stores.get(claim.storeId);
  const table = store?.tables.get(claim.tableId);
  const secret = store ? deps.qr.current(claim.storeId) : undefined;
  if (!store || !table || !secret || secret.version !== claim.version || !tableTokenMacMatches(claim, claim.mac, secret.secret)) {
    return { ok: false, error: invalidToken };
  }
  const session = await liveOrOpened(deps, store.id, table.id);
  if (!session.ok) return session;
  const customerId = `cust-${randomUUID()}`;
  const principal: Principal = { staffId: customerId, storeId: store.id, role: "customer", name: "손님", tableId: table.id, sessionId: session.sessionId };
  const issued = await deps.tokens.issue(principal, deps.ctx.clock.nowMs(), deps.settings.customerTokenTtlSeconds);
  return {
    ok: true,
    session: { token: issued.token, expiresAt: issued.expiresAt, storeId: store.id, tableId: table.id, tableName: table.name, sessionId: session.sessionId, customerId },
  };
}

/**
 * The table's live session, or (store policy `orders.qrOpensSession`, or QR_OPENS_SESSION) one opened now. Two phones scanning an empty
 * table at once both queue an open on the table's mailbox; the second is refused (already
 * open), and both then read the one live session.
 */
async function liveOrOpened(deps: ExchangeDeps, storeId: string, tableId: string): Promise<{ ok: true; sessionId: string } | { ok: false; error: ExchangeRefusal }> {
  const live = liveSessionOf(deps.ctx, storeId, tableId);
  if (live) return { ok: true, sessionId: live.sessionId };
  // The store's policy (orders.qrOpensSession); QR_OPENS_SESSION turns it on for every store.
  if (!deps.settings.opensSession && !deps.ctx.stores.get(storeId)?.qrOpensSession) return { ok: false, error: noSession };
  const actor = deps.ctx.sessions.get(storeId, tableId);
  if (!actor) return { ok: false, error: noSession };
  const outcome = await actor.open(0, systemMeta(storeId, tableId));
  const opened = liveSessionOf(deps.ctx, storeId, tableId);
  if (opened) return { ok: true, sessionId: opened.sessionId };
  const reason = outcome.ok ? "the session closed again at once" : `${outcome.error.code}: ${outcome.error.message}`;
  deps.ctx.log.warn(`qr: could not open a session at ${storeId}/${tableId} (${reason})`);
  return { ok: false, error: { status: 503, code: outcome.ok ? "NO_SESSION" : outcome.error.code, message: "could not open the table's session: try again, or ask the staff" } };
}

/** '#' in the cmdId keeps it apart from client cmdIds (UUIDs); the random part makes each open its own command. */
function systemMeta(storeId: string, tableId: string): CommandMeta {
  const cmdId = `qr-open#${tableId}#${randomUUID()}`;
  const bodyHash = createHash("sha256").update(`qr-open\u0000${storeId}\u0000${tableId}`).digest("hex");
  return { cmdId, bodyHash, principal: { staffId: "system:qr", storeId, role: "system", name: "QR" } };
}
