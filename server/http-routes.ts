import express, { type Application, type Request, type Response, type NextFunction } from "express";
import { installWebRoutes } from "./web-routes.ts";
import helmet from "helmet";
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { matchMaker } from "@colyseus/core";
import type { RoomContext, Principal, StoreView } from "../rooms/context.ts";
import { authorize } from "../rooms/access.ts";
import type { AppConfig } from "./config/index.ts";
import { loginHandler, type LoginOptions } from "./login.ts";
import type { TokenService } from "./auth.ts";
import type { OutboxRelay } from "./outbox-relay.ts";
import type { PrinterEmulator } from "../printers/index.ts";
import type { Readiness } from "./readiness.ts";
import { metricsRefusal, type Metrics } from "./metrics.ts";
import { installReportRoutes } from "./reports/routes.ts";
import { installQrRoutes, qrSettingsFrom } from "./qr/index.ts";
import { installExternalOrderRoutes } from "./external-orders/routes.ts";
import { installAdminAuditRoutes } from "./admin-audit-routes.ts";

export const httpLimits = {
  jsonBodyBytesMax: 16 * 1024,
  /** Bodies express does not parse (Colyseus's POST /matchmake/...): refused above this, before parsing. */
  matchmakeBodyBytesMax: 8 * 1024,
  /**
   * After a 413 the rest of the body is read and dropped for at most this long / this much, so the
   * client, still sending, reads the answer instead of meeting a reset; past either bound the
   * connection is closed.
   */
  refusedBodyLingerMs: 5_000,
  refusedBodyDropBytesMax: 16 * 1024 * 1024,
} as const;

export interface RouteDeps {
  readonly config: AppConfig;
  readonly ctx: RoomContext;
  readonly tokens: TokenService;
  readonly relay: OutboxRelay;
  readonly startedAtMs: number;
  /** The built-in printer emulator of each store that configures no printer. */
  readonly emulators: ReadonlyMap<string, PrinterEmulator>;
  readonly login?: LoginOptions;
  /** Express's "trust proxy" setting (TRUST_PROXY): which proxies may tell the client address. */
  readonly trustProxy?: boolean | number | string | undefined;
  /** What GET /api/ready reports (database writable, draining, lease, printers). */
  readonly readiness: Readiness;
  /** Prometheus metrics for GET /metrics (absent: no such route). */
  readonly metrics?: Metrics;
  /** METRICS_TOKEN: who may scrape /metrics (unset: loopback only; metrics.ts). */
  readonly metricsToken?: string | undefined;
}

/** REST beside the rooms, on the same port: login, health, menu, metrics. */
export function installRoutes(app: Application, deps: RouteDeps): void {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.disable("x-powered-by");
  if (deps.trustProxy !== undefined) app.set("trust proxy", deps.trustProxy);
  // Security headers (CSP, nosniff, frame and referrer policies, ...); harmless for JSON answers.
  // No `upgrade-insecure-requests`: a restaurant LAN often serves the screens over plain HTTP
  // (http://192.168.x.x:2567/pos), where that directive would send every asset to a dead https URL.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(express.json({ limit: httpLimits.jsonBodyBytesMax }));
  app.post("/api/auth/login", loginHandler(deps.config, deps.tokens, deps.ctx.clock, deps.login));

  // Liveness: the process is up and answering (also while it drains).
  app.get("/api/health", (_req, res) => {
    res.json({ ok: true, data: { uptimeMs: deps.ctx.clock.nowMs() - deps.startedAtMs, outbox: deps.relay.status() } });
  });

  // Readiness: 200 while this process should get traffic; 503 NOT_READY while it drains or its
  // database takes no write. No token: the details are aggregates only (readiness.ts).
  app.get("/api/ready", async (_req, res) => {
    const { ready, details } = await deps.readiness.check();
    res.setHeader("cache-control", "no-store");
    if (ready) return void res.json({ ok: true, data: details });
    const message = details.draining ? "shutting down" : "database not writable";
    res.status(503).json({ ok: false, error: { code: "NOT_READY", message, details } });
  });

  app.get("/api/stores/:storeId/menu", requireAccess(deps, ["staff", "admin", "kitchen"], (req) => String(req.params.storeId)), (req, res) => {
    const store = deps.config.stores.find((s) => s.id === req.params.storeId);
    if (!store) return void res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "unknown store" } });
    // The POS's discount panel needs the store's reason codes and approval threshold (PAYMENTS.md §2).
    const { adjustmentReasons, approvalAboveWon } = store.money;
    res.json({ ok: true, data: { storeId: store.id, name: store.name, tables: store.tables, stations: store.stations, menu: store.menuItems, adjustmentReasons, approvalAboveWon } });
  });

  // R-EVT-2: the kitchen's view over HTTP, for follow-up queries after the live stream.
  app.get("/api/kitchen/tickets", requireAccess(deps, ["kitchen", "staff", "admin"]), (req, res) => {
    const storeId = principalOf(res).storeId;
    const station = typeof req.query.station === "string" ? req.query.station : "";
    const includeBumped = req.query.bumped === "1";
    const board = deps.ctx.board;
    const tickets = board
      .ticketsOf(storeId)
      .filter((t) => (station === "" || t.stationId === station) && (includeBumped || t.bumpedAt === null))
      .map((t) => ({ ...t, items: t.itemIds.map((id) => board.items.get(id)).filter(Boolean) }));
    res.json({ ok: true, data: { storeId, station: station || "all", tickets } });
  });

  app.get("/api/admin/printers", requireAccess(deps, ["admin"]), (_req, res) => {
    res.json({ ok: true, data: { printers: deps.ctx.printing.health(principalOf(res).storeId) } });
  });

  // R-KRP-1: every attempt, newest first; failed slips with what went wrong.
  app.get("/api/admin/print-jobs", requireAccess(deps, ["admin"]), (req, res) => {
    const storeId = principalOf(res).storeId;
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    const ticketId = typeof req.query.ticket === "string" ? req.query.ticket : undefined;
    const slips = ticketId ? deps.ctx.prints.slipsOfTicket(ticketId).filter((s) => s.storeId === storeId) : undefined;
    res.json({
      ok: true,
      data: {
        jobs: slips ? slips.flatMap((s) => deps.ctx.prints.jobsOfSlip(s.slipKey)) : deps.ctx.prints.recentJobs(storeId, limit),
        slips: slips ?? deps.ctx.prints.failedSlips(storeId, limit),
      },
    });
  });

  // What the built-in emulator of the caller's store printed, as text (the default `npm start` prints here).
  app.get("/api/admin/printers/emulator/slips", requireAccess(deps, ["admin"]), (_req, res) => {
    const emulator = deps.emulators.get(principalOf(res).storeId);
    if (!emulator) return void res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "no emulator for this store: its printers are configured" } });
    res.type("text/plain; charset=utf-8").send(emulator.textDump());
  });

  // Benchmarks read the server's own view of itself; `reset=1` starts a new measuring window.
  app.get("/api/admin/metrics", requireAccess(deps, ["admin"]), async (req, res) => {
    const rooms = await matchMaker.query({});
    const data = {
      rssBytes: process.memoryUsage().rss,
      heapUsedBytes: process.memoryUsage().heapUsed,
      rooms: rooms.length,
      eventLoopDelayP50Ms: loopDelay.percentile(50) / 1e6,
      eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      eventLoopDelayMaxMs: loopDelay.max / 1e6,
      writer: { ...deps.ctx.writer.stats },
    };
    if (req.query.reset === "1") loopDelay.reset();
    res.json({ ok: true, data });
  });
  installReportRoutes(app, deps);
  installQrRoutes(app, deps, qrSettingsFrom(process.env)); // QR access: QR_OPENS_SESSION, CUSTOMER_TOKEN_TTL_SECONDS, PUBLIC_URL
  installExternalOrderRoutes(app, deps);
  installAdminAuditRoutes(app, deps); // audit log, chain check, staff list (admin console)
  installWebRoutes(app);

  // Prometheus text format. Guarded (metrics.ts): Bearer METRICS_TOKEN, or loopback only when none is set.
  const metrics = deps.metrics;
  if (metrics) app.get("/metrics", async (req, res) => {
    const refused = metricsRefusal(req, deps.metricsToken);
    res.setHeader("cache-control", "no-store");
    if (refused) return void res.status(refused.status).json({ ok: false, error: { code: refused.code, message: refused.message } });
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use("/api", (_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "no such route" } });
  });

  // Malformed JSON, an oversized body or an unsupported charset/encoding gets the same typed error
  // shape as everything else (on every path: express's default handler would print a stack trace).
  app.use((error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const bodyError = bodyParserError(error);
    if (bodyError) return void res.status(bodyError.status).json({ ok: false, error: { code: bodyError.code, message: bodyError.message } });
    deps.ctx.log.error("http route failed", error);
    res.status(500).json({ ok: false, error: { code: "INTERNAL", message: "request failed" } });
  });
}

/** body-parser's errors (by `type`) → status and typed code; undefined when it is not one of them. */
function bodyParserError(error: { type?: string; status?: number; message?: string }): { status: number; code: string; message: string } | undefined {
  switch (error.type) {
    case "entity.too.large":
    case "parameters.too.many":
      return { status: 413, code: "PAYLOAD_TOO_LARGE", message: "body too large" };
    case "charset.unsupported":
    case "encoding.unsupported":
      return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: error.message ?? "unsupported charset or content encoding" };
    case "entity.parse.failed":
      return { status: 400, code: "BAD_REQUEST", message: "malformed JSON" };
    case "request.aborted":
    case "request.size.invalid":
    case "entity.verify.failed":
      return { status: 400, code: "BAD_REQUEST", message: error.message ?? "bad request body" };
  }
  // Any other client error from the parser (status 4xx with a type) is still the client's fault.
  if (error.type && error.status !== undefined && error.status >= 400 && error.status < 500) return { status: 400, code: "BAD_REQUEST", message: "bad request body" };
  return undefined;
}

/**
 * CORS for every HTTP answer, from an allow-list of exact origins (CORS_ORIGINS; empty = no
 * cross-origin access). Colyseus sets the CORS headers itself, before express runs, on every
 * response (matchmake, /api and its own OPTIONS answers), by default echoing any Origin with
 * credentials: replace its hook so a listed origin is echoed and any other gets no
 * Access-Control-Allow-Origin at all. Process-wide (the controller is a module singleton).
 */
export function applyCorsPolicy(origins: readonly string[]): void {
  const allowed = new Set(origins);
  const controller = matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string>; getCorsHeaders(headers: Headers): Record<string, string> };
  controller.DEFAULT_CORS_HEADERS = { Vary: "Origin" };
  controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get("origin");
    if (origin === null || !allowed.has(origin)) return {};
    return {
      "Access-Control-Allow-Origin": origin,
      // The SDK sends its requests with credentials: "include".
      "Access-Control-Allow-Credentials": "true",
      "Access-Control-Allow-Headers": "Origin, X-Requested-With, Content-Type, Accept, Authorization",
      "Access-Control-Allow-Methods": "GET,HEAD,POST,OPTIONS",
      "Access-Control-Max-Age": "600",
    };
  };
}

/**
 * The HTTP server under Colyseus and express. Colyseus answers POST /matchmake/... itself, before
 * express, reading the whole unauthenticated body with no size limit. Every request with a body
 * that express does not parse (anything outside /api/) is read here first, up to
 * `httpLimits.matchmakeBodyBytesMax`: a bigger one (by Content-Length, or once the streamed bytes
 * pass the limit) is answered 413 and its connection closed, without buffering it; a smaller one
 * is handed on as `req.body` (Colyseus uses a pre-read body as is).
 */
export class GuardedHttpServer extends HttpServer {
  constructor(readonly bodyBytesMax: number = httpLimits.matchmakeBodyBytesMax) {
    super();
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "request") return emitOf(this, event, ...args);
    const [req, res] = args as [IncomingMessage, ServerResponse];
    const pass = () => void emitOf(this, "request", req, res);
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0]!.toLowerCase();
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    if (!hasBody || method === "GET" || method === "HEAD" || method === "OPTIONS" || path.startsWith("/api/")) {
      pass();
      return true;
    }
    if (Number(req.headers["content-length"] ?? 0) > this.bodyBytesMax) {
      tooLarge(req, res, this.bodyBytesMax);
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > this.bodyBytesMax) {
        refused = true;
        chunks.length = 0;
        tooLarge(req, res, this.bodyBytesMax);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      // Colyseus (better-call) parses a pre-read string body by its Content-Type, as it would the stream.
      if (req.headers["content-type"] !== undefined) (req as IncomingMessage & { body?: string }).body = Buffer.concat(chunks).toString("utf8");
      pass();
    });
    req.on("error", () => {
      refused = true;
      req.destroy();
    });
    return true;
  }
}

function emitOf(server: HttpServer, event: string | symbol, ...args: unknown[]): boolean {
  return (HttpServer.prototype.emit as (this: HttpServer, event: string | symbol, ...args: unknown[]) => boolean).call(server, event, ...args);
}

function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const body = JSON.stringify({ ok: false, error: { code: "PAYLOAD_TOO_LARGE", message: `body larger than ${limit} bytes` } });
  // Same CORS answer as Colyseus would give (so a listed browser origin can read the 413).
  const origin = req.headers.origin;
  const cors = matchMaker.controller.getCorsHeaders(new Headers(typeof origin === "string" ? { origin } : {}));
  res.writeHead(413, { ...matchMaker.controller.DEFAULT_CORS_HEADERS, ...cors, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
  // Closing at once would reset a client still sending (it may never read the 413): drop the rest
  // of the body for a bounded while. A body read to its end leaves the connection in step, so it
  // stays open for the client's next request (closing it then raced a pooled client that had
  // already reused it: its next request failed). Only a body past the bounds closes it.
  let dropped = 0;
  const close = () => {
    clearTimeout(timer);
    req.socket.destroySoon();
  };
  const timer = setTimeout(close, httpLimits.refusedBodyLingerMs);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > httpLimits.refusedBodyDropBytesMax) close();
  });
  req.once("error", close);
  req.once("close", () => clearTimeout(timer));
}

/**
 * The rooms' authorization rule (rooms/access.ts) for HTTP: a valid token, a role the route
 * allows, and the store of the resource. `storeOf` reads the resource's store from the request
 * (a path parameter); without it the route serves only the caller's own store's data.
 */
export function requireAccess(deps: RouteDeps, roles: readonly Principal["role"][], storeOf?: (req: Request) => string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? "";
    const verified = await deps.ctx.verifyToken(header.startsWith("Bearer ") ? header.slice(7) : "");
    if (!verified.ok) return void res.status(401).json({ ok: false, error: { code: "UNAUTHORIZED", message: verified.message } });
    const denied = authorize(verified.principal, roles, { storeId: storeOf ? storeOf(req) : verified.principal.storeId });
    if (denied) return void res.status(denied.status).json({ ok: false, error: { code: denied.code, message: denied.message } });
    res.locals.principal = verified.principal;
    next();
  };
}

/**
 * After requireAccess, for admin routes about one store: `storeId` from the query (GET) or body
 * (POST), else the token's. The one authorization rule (rooms/access.ts) decides: another store's
 * admin gets 403; a malformed id 400, an unknown one 404. The store is read with scopedStore(res).
 */
export function adminStoreScope(deps: RouteDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const principal = principalOf(res);
    const asked: unknown = req.method === "POST" ? (req.body as { storeId?: unknown } | undefined)?.storeId : req.query.storeId;
    const answer = (status: number, code: string, message: string) => void res.status(status).json({ ok: false, error: { code, message } });
    if (asked !== undefined && (typeof asked !== "string" || asked === "")) return answer(400, "BAD_REQUEST", "storeId: a store id");
    const storeId = (asked as string | undefined) ?? principal.storeId;
    const denied = authorize(principal, ["admin"], { storeId });
    if (denied) return answer(denied.status, denied.code, denied.message);
    const store = deps.ctx.stores.get(storeId);
    if (!store) return answer(404, "NOT_FOUND", `unknown store ${storeId}`);
    res.locals.scopedStore = store;
    next();
  };
}

export function scopedStore(res: Response): StoreView {
  return res.locals.scopedStore as StoreView;
}

function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
