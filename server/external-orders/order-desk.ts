import { isActive, type ProviderRecord, type SessionState } from "../../domain/index.ts";
import type { CommandMeta, Outcome } from "../../rooms/command-pipeline.ts";
import type { Principal, RoomContext } from "../../rooms/context.ts";
import type { TableSession } from "../../rooms/table/table-session.ts";
import { wireError, type WireError } from "../../protocol/codes.ts";
import type { IntegrationConfig } from "../config/integrations.ts";
import { externalOrderLimits, orderHash, type PrepaidBody, type ResolvedOrder } from "./request.ts";

/** What the app is told about a placed order (201 the first time, 200 on every replay). */
export interface PlacedOrder {
  readonly orderId: string;
  readonly batchId: string;
  readonly batchNo: number;
  readonly totalWon: number;
  readonly itemIds: readonly string[];
  readonly sessionId: string;
  readonly tableId: string;
  readonly prepaid: boolean;
  readonly paymentId?: string;
}

export type Placement =
  | { readonly ok: true; readonly replay: boolean; readonly data: PlacedOrder }
  | { readonly ok: false; readonly error: WireError };

/**
 * Places app orders on their table's live session (R-TLL-1), source `app`, through the same
 * decider as the POS. The app's order id is the idempotency key, stored with the batch in one
 * commit; one order id is handled one request at a time in this process, so two identical
 * requests racing make one batch and the second replays the first.
 */
export class ExternalOrderDesk {
  readonly #inFlight = new Map<string, Promise<Placement>>();

  constructor(private readonly ctx: RoomContext) {}

  place(integration: IntegrationConfig, order: ResolvedOrder): Promise<Placement> {
    const principal: Principal = { staffId: `app:${integration.id}`, storeId: order.storeId, role: "system", name: integration.name };
    const key = `${principal.storeId}\u0000${principal.staffId}\u0000${order.orderId}`;
    const previous = this.#inFlight.get(key);
    if (previous === undefined && this.#inFlight.size >= externalOrderLimits.inFlightMax) {
      return Promise.resolve({ ok: false, error: wireError("BUSY", "too many app orders under way; retry with the same orderId") });
    }
    // After the previous request of this key has settled, however it ended.
    const run = (previous ?? Promise.resolve()).catch(() => undefined).then(() => this.#placeNow(principal, order));
    this.#inFlight.set(key, run);
    run.finally(() => {
      if (this.#inFlight.get(key) === run) this.#inFlight.delete(key);
    }).catch(() => undefined); // the caller gets the rejection; this copy must not be unhandled
    return run;
  }

  async #placeNow(principal: Principal, order: ResolvedOrder): Promise<Placement> {
    const meta: CommandMeta = { cmdId: order.orderId, bodyHash: orderHash(order), principal };
    const stored = this.#replay(meta);
    if (stored) return stored;
    const session = this.ctx.sessions.get(order.storeId, order.tableId);
    if (!session) return { ok: false, error: wireError("NOT_FOUND", "unknown table") };
    // R-TLL-1: an app order joins the session staff opened; it never opens one.
    if (!isActive(session.state.status)) return noSession();
    // A throw here is a bug (TableSession classifies every storage failure): it reaches express's error handler (500, logged).
    const outcome = await this.#submit(session, meta, order);
    if (outcome.ok) return { ok: true, replay: false, data: outcome.data as PlacedOrder };
    // Stored by a commit this lookup did not see (another process): its reply is the answer.
    if (outcome.error.code === "CMD_ID_REUSED") return this.#replay(meta) ?? { ok: false, error: outcome.error };
    // Closed between the look and the decision: for the app it is the same as none.
    if (outcome.error.code === "SESSION_CLOSED" || outcome.error.code === "NO_SESSION") return noSession();
    return { ok: false, error: outcome.error };
  }

  #submit(session: TableSession, meta: CommandMeta, order: ResolvedOrder): Promise<Outcome> {
    const batchId = this.ctx.newId();
    const paymentId = order.prepaid ? this.ctx.newId() : undefined;
    const prepaid = order.prepaid && paymentId ? prepaidOf(paymentId, order.prepaid, meta.cmdId) : undefined;
    // submit (not confirm): same ConfirmDraft, but the stored reply carries everything a replay answers.
    return session.submit(meta, () => ({
      command: { type: "ConfirmDraft", batchId, source: "app", lines: order.lines, prepaid },
      reply: (s: SessionState): PlacedOrder => {
        const batch = s.batches.find((b) => b.batchId === batchId);
        const paid = paymentId !== undefined && s.payments.has(paymentId);
        return {
          orderId: order.orderId,
          batchId,
          batchNo: batch?.batchNo ?? 0,
          totalWon: batch?.total ?? 0,
          itemIds: [...s.items.values()].filter((i) => i.batchId === batchId).map((i) => i.itemId),
          sessionId: s.sessionId,
          tableId: order.tableId,
          prepaid: paid,
          ...(paid ? { paymentId } : {}),
        };
      },
    }));
  }

  /** Same key and body: the first reply (200); same key, another body: CMD_ID_REUSED. */
  #replay(meta: CommandMeta): Placement | undefined {
    const row = this.ctx.reader.processedCommand({ storeId: meta.principal.storeId, actorId: meta.principal.staffId, cmdId: meta.cmdId });
    if (!row) return undefined;
    if (row.bodyHash !== meta.bodyHash) return { ok: false, error: wireError("CMD_ID_REUSED", "this orderId was already used for a different order") };
    const reply = row.reply as { ok?: unknown; data?: PlacedOrder };
    if (reply.ok !== true || reply.data === undefined) return { ok: false, error: wireError("CMD_ID_REUSED", "this orderId was already used") };
    return { ok: true, replay: true, data: reply.data };
  }
}

function noSession(): Placement {
  return { ok: false, error: wireError("NO_SESSION", "the table has no open session; staff must seat the table first") };
}

/** The app's PG approval as the domain keeps it (R-PAY-3): its keys beside ours. */
function prepaidOf(paymentId: string, body: PrepaidBody, appOrderId: string) {
  const provider: ProviderRecord = {
    provider: body.provider.name,
    orderId: body.provider.orderId ?? appOrderId,
    approvalNo: body.provider.approvalNo,
    transactionId: body.provider.transactionId,
    approvedAt: body.provider.approvedAt,
    cardIssuer: body.provider.cardIssuer ?? null,
    cardAcquirer: null,
    maskedCardNo: body.provider.maskedCardNo ?? null,
    installmentMonths: 0,
    raw: body.provider.raw ?? {},
  };
  return { paymentId, method: body.method, amount: body.amount, provider };
}
