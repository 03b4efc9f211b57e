import type { Application, Response } from "express";
import type { RouteDeps } from "../http-routes.ts";
import type { IntegrationConfig } from "../config/integrations.ts";
import { IntegrationAuth } from "./auth.ts";
import { ExternalOrderDesk } from "./order-desk.ts";
import { externalOrderSchema, issuesOf, linesOf, type ExternalOrderBody, type ResolvedOrder } from "./request.ts";
import { httpStatusOf } from "./status.ts";

/**
 * POST /api/orders/external: an ordering app's order, by API key (R-TLL-1, R-TLL-3).
 *
 *   Authorization: Bearer <api key>
 *   { orderId, storeId?, tableId | tableKey, items: [{ menuId, quantity, optionIds?, note? }],
 *     prepaid?: { method: "card" | "easy_pay", amount, provider: { name, approvalNo, transactionId, approvedAt, ... } } }
 *
 * 201 { ok, data: { orderId, batchId, batchNo, totalWon, itemIds, sessionId, tableId, prepaid, paymentId? } };
 * the same orderId and body again: 200 with the same data. Errors: status.ts.
 */
export function installExternalOrderRoutes(app: Application, deps: RouteDeps): void {
  const auth = new IntegrationAuth(deps.config.integrations);
  const desk = new ExternalOrderDesk(deps.ctx);
  app.post("/api/orders/external", async (req, res) => {
    res.setHeader("cache-control", "no-store");
    const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
    const who = await auth.authenticate(req.headers.authorization, address, () => deps.ctx.clock.nowMs());
    if (!who.ok) return refuse(res, who.code, who.message, undefined, who.retryAfterMs);
    const parsed = externalOrderSchema.safeParse(req.body);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return refuse(res, "BAD_REQUEST", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues });
    }
    const resolved = resolve(deps, who.integration, parsed.data);
    if (!resolved.ok) return refuse(res, resolved.code, resolved.message);
    const placed = await desk.place(who.integration, resolved.order);
    if (!placed.ok) {
      const retryAfterMs = httpStatusOf(placed.error.code) === 503 ? 1_000 : undefined;
      return refuse(res, placed.error.code, placed.error.message, placed.error.details, retryAfterMs);
    }
    if (!placed.replay) deps.ctx.log.info("app order placed", { integration: who.integration.id, store: resolved.order.storeId, table: resolved.order.tableId, orderId: placed.data.orderId, batchId: placed.data.batchId, prepaid: placed.data.prepaid });
    res.status(placed.replay ? 200 : 201).json({ ok: true, data: placed.data });
  });
}

type Resolution = { ok: true; order: ResolvedOrder } | { ok: false; code: "FORBIDDEN" | "NOT_FOUND"; message: string };

/** The store is the integration's own (403 otherwise); the table is one of that store's, by id or by the app's key. */
function resolve(deps: RouteDeps, integration: IntegrationConfig, body: ExternalOrderBody): Resolution {
  const storeId = body.storeId ?? integration.storeId;
  const store = deps.ctx.stores.get(storeId);
  if (!store) return { ok: false, code: "NOT_FOUND", message: "unknown store" };
  if (storeId !== integration.storeId) return { ok: false, code: "FORBIDDEN", message: "this integration may only order for its own store" };
  const tableId = body.tableKey !== undefined ? integration.tableMap.get(body.tableKey) : body.tableId;
  if (tableId === undefined) return { ok: false, code: "NOT_FOUND", message: "unknown tableKey for this integration" };
  if (!store.tables.has(tableId)) return { ok: false, code: "NOT_FOUND", message: "unknown table" };
  return { ok: true, order: { orderId: body.orderId, storeId, tableId, lines: linesOf(body), prepaid: body.prepaid } };
}

function refuse(res: Response, code: string, message: string, details?: unknown, retryAfterMs?: number): void {
  if (retryAfterMs !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  res.status(httpStatusOf(code)).json({ ok: false, error: details === undefined ? { code, message } : { code, message, details } });
}
