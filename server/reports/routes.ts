import type { Application, Request, Response } from "express";
import type { Principal } from "../../rooms/context.ts";
import { createReportReader } from "../../storage/index.ts";
import { adminStoreScope, requireAccess, scopedStore, type RouteDeps } from "../http-routes.ts";
import { isBusinessDate } from "./business-day.ts";
import { closeDay, dailyCloseOf } from "./daily-close.ts";
import { reportRows, toCsv } from "./report-csv.ts";
import { createSalesReports } from "./sales-report.ts";
import { checkSettlement } from "./settlement-check.ts";

/**
 * Reports beside the rooms (PAYMENTS-KR.md §5), admin of the store only:
 * - GET  /api/reports/sales?date=YYYY-MM-DD[&format=csv]  the day's sales report (live)
 * - POST /api/reports/close { date }                      마감: freeze the report (once per day)
 * - GET  /api/reports/close?date=                         the frozen report
 * - GET  /api/payments/settlement?date=                   provider settlement file vs our records
 * Each takes an optional `storeId` (query, or body for POST); it must be the token's store.
 * `date` defaults to the store's current business date, except for the settlement.
 */
export function installReportRoutes(app: Application, deps: RouteDeps): void {
  const reader = createReportReader(deps.ctx.storage);
  const reports = createSalesReports({ reader, config: deps.config, clock: deps.ctx.clock });
  const admin = [requireAccess(deps, ["admin"]), adminStoreScope(deps)] as const;

  app.get("/api/reports/sales", ...admin, (req, res) => {
    const storeId = storeOf(res);
    const date = dateParam(req.query.date, reports.today(storeId));
    const format = req.query.format ?? "json";
    if (date === undefined) return badRequest(res, "date: YYYY-MM-DD (a real calendar date)");
    if (format !== "json" && format !== "csv") return badRequest(res, "format: json or csv");
    const outcome = reports.salesReport(storeId, date);
    if (!outcome.ok) return refuse(res, outcome.error.code === "NOT_FOUND" ? 404 : 422, outcome.error.code, outcome.error.message);
    res.setHeader("cache-control", "no-store");
    if (format === "csv") {
      res.setHeader("content-disposition", `attachment; filename="sales-${storeId}-${date}.csv"`);
      return void res.type("text/csv; charset=utf-8").send(toCsv(reportRows(outcome.report)));
    }
    const closed = reader.dailyClose(storeId, date);
    res.json({ ok: true, data: { report: outcome.report, dayClose: closed ? { closedAt: closed.closedAt, closedBy: closed.closedBy } : null } });
  });

  app.post("/api/reports/close", ...admin, (req, res) => {
    const body: unknown = req.body ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== "date" && k !== "storeId")) return badRequest(res, "send { date } (and optionally storeId)");
    const storeId = storeOf(res);
    const date = dateParam((body as { date?: unknown }).date, reports.today(storeId));
    if (date === undefined) return badRequest(res, "date: YYYY-MM-DD (a real calendar date)");
    const outcome = closeDay(reports, reader, storeId, date, res.locals.principal as Principal, new Date(deps.ctx.clock.nowMs()).toISOString());
    if (!outcome.ok) return refuse(res, outcome.error.status, outcome.error.code, outcome.error.message, outcome.error.details);
    deps.ctx.log.info(`day closed: ${storeId} ${date} by ${outcome.close.closedBy}`);
    res.status(201).json({ ok: true, data: outcome.close });
  });

  app.get("/api/reports/close", ...admin, (req, res) => {
    const storeId = storeOf(res);
    const date = dateParam(req.query.date, reports.today(storeId));
    if (date === undefined) return badRequest(res, "date: YYYY-MM-DD (a real calendar date)");
    const closed = reader.dailyClose(storeId, date);
    if (!closed) return refuse(res, 404, "DAY_NOT_CLOSED", `${storeId} ${date} has not been closed`);
    res.setHeader("cache-control", "no-store");
    res.json({ ok: true, data: dailyCloseOf(closed) });
  });

  app.get("/api/payments/settlement", ...admin, async (req, res) => {
    const storeId = storeOf(res);
    const date = dateParam(req.query.date, undefined);
    if (date === undefined) return badRequest(res, "date: YYYY-MM-DD (a real calendar date, KST)");
    const outcome = await checkSettlement(deps.ctx.payments, reader, storeId, date);
    if (!outcome.ok) return refuse(res, outcome.error.code === "PROVIDER_UNAVAILABLE" ? 502 : 422, outcome.error.code, outcome.error.message);
    res.setHeader("cache-control", "no-store");
    res.json({ ok: true, data: outcome.check });
  });
}

function storeOf(res: Response): string {
  return scopedStore(res).id;
}

/** A valid date, the fallback when none was sent, or undefined (bad request). */
function dateParam(value: unknown, fallback: string | undefined): string | undefined {
  if (value === undefined) return fallback;
  return typeof value === "string" && isBusinessDate(value) ? value : undefined;
}

function badRequest(res: Response, message: string): void {
  refuse(res, 400, "BAD_REQUEST", message);
}

function refuse(res: Response, status: number, code: string, message: string, details?: unknown): void {
  res.status(status).json({ ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } });
}
