import express, { type Application, type Request, type Response, type NextFunction } from "express";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { matchMaker } from "@colyseus/core";
import type { RoomContext, Principal } from "../rooms/context.ts";
import type { AppConfig } from "./config/index.ts";
import { loginHandler } from "./login.ts";
import type { TokenService } from "./auth.ts";
import type { OutboxRelay } from "./outbox-relay.ts";
import type { PrinterEmulator } from "../printers/index.ts";

export const httpLimits = { jsonBodyBytesMax: 16 * 1024 } as const;

export interface RouteDeps {
  readonly config: AppConfig;
  readonly ctx: RoomContext;
  readonly tokens: TokenService;
  readonly relay: OutboxRelay;
  readonly startedAtMs: number;
  readonly emulator: PrinterEmulator | undefined;
}

/** REST beside the rooms, on the same port: login, health, menu, metrics. */
export function installRoutes(app: Application, deps: RouteDeps): void {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.use(express.json({ limit: httpLimits.jsonBodyBytesMax }));
  app.post("/api/auth/login", loginHandler(deps.config, deps.tokens, deps.ctx.clock));

  app.get("/api/health", (_req, res) => {
    res.json({ ok: true, data: { uptimeMs: deps.ctx.clock.nowMs() - deps.startedAtMs, outbox: deps.relay.status() } });
  });

  app.get("/api/stores/:storeId/menu", requireRole(deps, ["staff", "admin", "kitchen"]), (req, res) => {
    const store = deps.config.stores.find((s) => s.id === req.params.storeId);
    if (!store || store.id !== principalOf(res).storeId) return void res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "unknown store" } });
    res.json({ ok: true, data: { storeId: store.id, name: store.name, tables: store.tables, stations: store.stations, menu: store.menuItems } });
  });

  // R-EVT-2: the kitchen's view over HTTP, for follow-up queries after the live stream.
  app.get("/api/kitchen/tickets", requireRole(deps, ["kitchen", "staff", "admin"]), (req, res) => {
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

  app.get("/api/admin/printers", requireRole(deps, ["admin"]), (_req, res) => {
    res.json({ ok: true, data: { printers: deps.ctx.printing.health(principalOf(res).storeId) } });
  });

  // R-KRP-1: every attempt, newest first; failed slips with what went wrong.
  app.get("/api/admin/print-jobs", requireRole(deps, ["admin"]), (req, res) => {
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

  // What the built-in emulator printed, as text (the default `npm start` prints here).
  app.get("/api/admin/printers/emulator/slips", requireRole(deps, ["admin"]), (_req, res) => {
    if (!deps.emulator) return void res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "no emulator running: printers are configured" } });
    res.type("text/plain; charset=utf-8").send(deps.emulator.textDump());
  });

  // Benchmarks read the server's own view of itself; `reset=1` starts a new measuring window.
  app.get("/api/admin/metrics", requireRole(deps, ["admin"]), async (req, res) => {
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

  app.use("/api", (_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: { code: "NOT_FOUND", message: "no such route" } });
  });

  // Malformed JSON or an oversized body gets the same typed error shape as everything else.
  app.use("/api", (error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    if (error.type === "entity.too.large") return void res.status(413).json({ ok: false, error: { code: "PAYLOAD_TOO_LARGE", message: "body too large" } });
    if (error.type === "entity.parse.failed") return void res.status(400).json({ ok: false, error: { code: "BAD_REQUEST", message: "malformed JSON" } });
    deps.ctx.log.error("http route failed", error);
    res.status(500).json({ ok: false, error: { code: "INTERNAL", message: "request failed" } });
  });
}

function requireRole(deps: RouteDeps, roles: readonly Principal["role"][]) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? "";
    const verified = await deps.ctx.verifyToken(header.startsWith("Bearer ") ? header.slice(7) : "");
    if (!verified.ok) return void res.status(401).json({ ok: false, error: { code: "UNAUTHORIZED", message: verified.message } });
    if (!roles.includes(verified.principal.role)) return void res.status(403).json({ ok: false, error: { code: "FORBIDDEN", message: `role ${verified.principal.role} may not` } });
    res.locals.principal = verified.principal;
    next();
  };
}

function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
