import type { Application, Response } from "express";
import type { Principal } from "../rooms/context.ts";
import { createAuditVerifier } from "../storage/index.ts";
import { createAuditPageReader } from "../storage/audit-page.ts";
import { requireAccess, type RouteDeps } from "./http-routes.ts";

export const adminAuditLimits = { pageRowsMax: 200, pageRowsDefault: 50 } as const;

/**
 * The admin console's reads (docs/PROTOCOL.md §1.3), the caller's store only:
 * - GET /api/admin/audit?limit=&before=  audit rows newest first, keyset paging by `seq`
 * - GET /api/admin/audit/verify          the hash-chain verdict (the chain spans every store of the
 *                                        database, so only ok / rows / problem: no other store's data),
 *                                        walked on a worker thread, one walk at a time
 * - GET /api/admin/staff                 the store's staff: id, name, role (never a PIN or its hash)
 */
export function installAdminAuditRoutes(app: Application, deps: RouteDeps): void {
  const audit = createAuditPageReader(deps.ctx.storage);
  const verifier = createAuditVerifier(deps.ctx.storage);
  const admin = requireAccess(deps, ["admin"]);

  app.get("/api/admin/audit", admin, (req, res) => {
    const limit = integerParam(req.query.limit, adminAuditLimits.pageRowsDefault);
    const before = integerParam(req.query.before, null);
    if (limit === undefined || limit < 1 || limit > adminAuditLimits.pageRowsMax) return badRequest(res, `limit: 1-${adminAuditLimits.pageRowsMax}`);
    if (before === undefined || (before !== null && before < 1)) return badRequest(res, "before: the seq of the oldest row already shown");
    const rows = audit.page(principalOf(res).storeId, before, limit);
    res.setHeader("cache-control", "no-store");
    res.json({ ok: true, data: { rows, nextBefore: rows.length === limit ? rows[rows.length - 1]!.seq : null } });
  });

  app.get("/api/admin/audit/verify", admin, (_req, res) => {
    res.setHeader("cache-control", "no-store");
    verifier.verify().then(
      (verdict) => res.json({ ok: true, data: { ok: verdict.ok, rows: verdict.rows, problem: verdict.problem ?? null, checkedAt: new Date(deps.ctx.clock.nowMs()).toISOString() } }),
      (error: unknown) => {
        deps.ctx.log.error("audit verification failed", error);
        res.status(500).json({ ok: false, error: { code: "INTERNAL", message: "the audit chain could not be read; try again" } });
      },
    );
  });

  app.get("/api/admin/staff", admin, (_req, res) => {
    const store = deps.config.stores.find((s) => s.id === principalOf(res).storeId);
    const staff = (store?.staff ?? []).map((s) => ({ id: s.id, name: s.name, role: s.role }));
    res.json({ ok: true, data: { storeId: principalOf(res).storeId, staff } });
  });
}

/** A whole number from the query, the fallback when absent, undefined when malformed. */
function integerParam<F extends number | null>(value: unknown, fallback: F): number | F | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ ok: false, error: { code: "BAD_REQUEST", message } });
}

function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
