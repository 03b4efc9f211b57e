import { randomBytes } from "node:crypto";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { Application, NextFunction, Request, Response } from "express";
import { authorize } from "../../rooms/access.ts";
import type { Principal, StoreView } from "../../rooms/context.ts";
import { createQrStore, type QrStore } from "../../storage/index.ts";
import { AttemptGate, type Outcome } from "../attempt-gate.ts";
import { adminStoreScope, requireAccess, scopedStore, type RouteDeps } from "../http-routes.ts";
import { customerTokenLive, sessionOver } from "./customer-token.ts";
import { exchangeTableToken } from "./exchange.ts";
import { guestMenu } from "./guest-menu.ts";
import { qrExchangeLimits, qrLimits } from "./limits.ts";
import { qrPng, qrSheetHtml, qrSvg } from "./qr-image.ts";
import { qrSettingsFrom, type QrSettings } from "./settings.ts";
import { signTableToken } from "./table-token.ts";

/**
 * QR access (issue 12, item 1), beside the rooms:
 * - GET  /api/tables/:tableId/qr[?format=svg|png][&storeId=]  admin: the table's link and code
 * - GET  /api/tables/qr-sheet[?storeId=]                      admin: printable page of every table's code
 * - POST /api/admin/qr/rotate { storeId?, reason? }            admin: new secret, every old link dead
 * - POST /api/qr/session { tableToken }                        no auth, limited per address: customer token
 * - GET  /api/qr/session                                       customer: the token's binding while its session lives
 * - GET  /api/qr/menu                                          customer: its store's menu and QR payment policy (guest-menu.ts)
 * `storeId`, when sent, must be the admin's own store (403 otherwise), as for the reports.
 */
export function installQrRoutes(app: Application, deps: RouteDeps, settings: QrSettings = qrSettingsFrom(process.env)): void {
  const qr = createQrStore(deps.ctx.storage);
  const admin = [requireAccess(deps, ["admin"]), adminStoreScope(deps)] as const;
  const nowIso = () => new Date(deps.ctx.clock.nowMs()).toISOString();
  const links = (req: Request, res: Response, store: StoreView) => tableLinks(qr, settings, req, store, principalOf(res), nowIso());

  app.get("/api/tables/qr-sheet", ...admin, async (req, res) => {
    const store = storeOf(res);
    const link = links(req, res, store);
    if (!link) return badHost(res);
    const cards = [];
    for (const table of store.tables.values()) {
      const url = link(table.id);
      cards.push({ tableName: table.name, url, svg: await qrSvg(url) });
      // ~1 ms of CPU per code (the encoder is synchronous): let the rooms' messages in between, so
      // a 500-table sheet never stalls the floor for half a second.
      if (cards.length % qrLimits.sheetCodesPerTurn === 0) await yieldToLoop();
    }
    res.setHeader("cache-control", "no-store");
    res.type("text/html; charset=utf-8").send(qrSheetHtml(store.name, cards));
  });

  app.get("/api/tables/:tableId/qr", ...admin, async (req, res) => {
    const store = storeOf(res);
    const format = req.query.format ?? "json";
    if (format !== "json" && format !== "svg" && format !== "png") return refuse(res, 400, "BAD_REQUEST", "format: json, svg or png");
    const table = store.tables.get(String(req.params.tableId));
    if (!table) return refuse(res, 404, "NOT_FOUND", `no table ${String(req.params.tableId)} in store ${store.id}`);
    const link = links(req, res, store);
    if (!link) return badHost(res);
    const url = link(table.id);
    // The link is a credential for as long as the secret stands: never cached on the way.
    res.setHeader("cache-control", "no-store");
    if (format === "svg") return void res.type("image/svg+xml; charset=utf-8").send(await qrSvg(url));
    if (format === "png") return void res.type("image/png").send(await qrPng(url));
    res.json({ ok: true, data: { tableId: table.id, tableName: table.name, url, svg: await qrSvg(url) } });
  });

  app.post("/api/admin/qr/rotate", ...admin, (req, res) => {
    const body: unknown = req.body ?? {};
    const reason = (body as { reason?: unknown }).reason;
    if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== "storeId" && k !== "reason")) {
      return refuse(res, 400, "BAD_REQUEST", "send {} or { storeId, reason }");
    }
    if (reason !== undefined && (typeof reason !== "string" || reason.length > qrLimits.reasonCharsMax)) return refuse(res, 400, "BAD_REQUEST", `reason: text of at most ${qrLimits.reasonCharsMax} characters`);
    const store = storeOf(res);
    const principal = principalOf(res);
    const rotated = qr.rotate({ storeId: store.id, secretHex: newSecretHex(), at: nowIso(), actorId: principal.staffId, actorRole: principal.role, reason: reason ?? null });
    deps.ctx.log.info(`qr secret of ${store.id} rotated to version ${rotated.after.version} by ${principal.staffId}: every older QR link is dead`);
    res.json({ ok: true, data: { storeId: store.id, version: rotated.after.version, previousVersion: rotated.before, rotatedAt: rotated.after.rotatedAt } });
  });

  app.post("/api/qr/session", exchangeHandler(deps, qr, settings));

  app.get("/api/qr/session", customerAccess(deps), (_req, res) => {
    const principal = principalOf(res);
    const tableId = principal.tableId!;
    const tableName = deps.ctx.stores.get(principal.storeId)?.tables.get(tableId)?.name ?? tableId;
    res.setHeader("cache-control", "no-store");
    res.json({ ok: true, data: { storeId: principal.storeId, tableId, tableName, sessionId: principal.sessionId, customerId: principal.staffId } });
  });

  // The order page's menu: only what a guest orders from (the staff route also lists tables and stations).
  app.get("/api/qr/menu", customerAccess(deps), (_req, res) => {
    const store = deps.ctx.stores.get(principalOf(res).storeId);
    if (!store) return refuse(res, 404, "NOT_FOUND", "unknown store");
    res.setHeader("cache-control", "no-store");
    res.json({ ok: true, data: guestMenu(store) });
  });
}

/** POST /api/qr/session: admission per client address (AttemptGate), then the exchange. */
function exchangeHandler(deps: RouteDeps, qr: QrStore, settings: QrSettings) {
  const gate = new AttemptGate(qrExchangeLimits);
  return async (req: Request, res: Response): Promise<void> => {
    const turn = await gate.enter(req.ip ?? req.socket.remoteAddress ?? "unknown", deps.ctx.clock.nowMs());
    if (!turn.ok) {
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil(turn.retryAfterMs / 1000))));
      if (turn.code === "LOCKED") return refuse(res, 429, "RATE_LIMITED", "too many invalid QR codes from this address: try again later");
      return refuse(res, 429, "BUSY", "too many QR scans in progress from this address: try again shortly");
    }
    // Only a refused token or a malformed body counts against the address; a success does not
    // wipe earlier failures either (`unchecked`), so a real code cannot launder guesses.
    let outcome: Outcome = "unchecked";
    try {
      const body: unknown = req.body;
      const tableToken = (body as { tableToken?: unknown } | undefined)?.tableToken;
      if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).length !== 1 || typeof tableToken !== "string" || tableToken === "" || tableToken.length > qrLimits.tableTokenCharsMax) {
        outcome = "failure";
        return refuse(res, 400, "BAD_REQUEST", "send { tableToken }: the token of the table's QR link");
      }
      const result = await exchangeTableToken({ ctx: deps.ctx, tokens: deps.tokens, qr, settings }, tableToken);
      if (!result.ok) {
        if (result.error.status === 401) outcome = "failure";
        return refuse(res, result.error.status, result.error.code, result.error.message);
      }
      res.setHeader("cache-control", "no-store");
      res.json({ ok: true, data: result.session });
    } finally {
      turn.finish(outcome, deps.ctx.clock.nowMs());
    }
  };
}

/** Signs links for one request: the store's current secret (made on first use) and the link base. */
function tableLinks(qr: QrStore, settings: QrSettings, req: Request, store: StoreView, principal: Principal, at: string): ((tableId: string) => string) | undefined {
  const base = settings.publicUrl ?? requestOrigin(req);
  if (base === undefined) return undefined;
  const secret = qr.ensure(store.id, newSecretHex(), at, principal.staffId);
  return (tableId) => `${base}/q/${signTableToken({ storeId: store.id, tableId, version: secret.version }, secret.secret)}`;
}

/** The origin the admin's request came in on (X-Forwarded-Proto honoured only under TRUST_PROXY). */
function requestOrigin(req: Request): string | undefined {
  const host = req.get("host") ?? "";
  const plain = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/.test(host) || /^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$/.test(host);
  return plain ? `${req.protocol}://${host}` : undefined;
}

function newSecretHex(): string {
  return randomBytes(32).toString("hex");
}

/** A customer token of this table whose session still lives (customerTokenLive), else 401 SESSION_OVER. */
function customerAccess(deps: RouteDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? "";
    const verified = await deps.ctx.verifyToken(header.startsWith("Bearer ") ? header.slice(7) : "");
    if (!verified.ok) return refuse(res, 401, "UNAUTHORIZED", verified.message);
    const principal = verified.principal;
    const denied = authorize(principal, ["customer"], { storeId: principal.storeId, ...(principal.tableId === undefined ? {} : { tableId: principal.tableId }) });
    if (denied) return refuse(res, denied.status, denied.code, denied.message);
    if (!customerTokenLive(deps.ctx, principal)) return refuse(res, sessionOver.status, sessionOver.code, sessionOver.message);
    res.locals.principal = principal;
    next();
  };
}

function storeOf(res: Response): StoreView {
  return scopedStore(res);
}

function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

function badHost(res: Response): void {
  refuse(res, 400, "BAD_REQUEST", "the request's Host cannot start a link: set PUBLIC_URL");
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ ok: false, error: { code, message } });
}
