import { createHash } from "node:crypto";
import type { SessionEvent } from "../domain/index.ts";
import type { Storage } from "./database.ts";
import { chainHash, lastAuditHash, toAuditRow, type AuditEntry } from "./audit.ts";

/** A session as the report scan finds it; its money comes from folding its journal. */
export interface ReportSessionRow {
  readonly session_id: string;
  readonly table_id: string;
  readonly status: string;
  readonly closed_at: string | null;
}

/** A prepaid QR charge that is not settled (cart_payments, migration 0010). */
export interface CartChargeRow {
  readonly payment_id: string;
  readonly session_id: string;
  readonly table_id: string;
  readonly method: string;
  readonly amount_won: number;
  readonly status: "pending" | "refund_pending" | "refund_failed";
  readonly outcome_code: string | null;
  readonly created_at: string;
}

/** A frozen daily close (마감), as stored. */
export interface DailyCloseRow {
  readonly storeId: string;
  readonly businessDate: string;
  readonly report: unknown;
  readonly reportSha256: string;
  readonly closedAt: string;
  readonly closedBy: string;
}

export type CloseDayResult = { readonly kind: "closed"; readonly close: DailyCloseRow } | { readonly kind: "already_closed"; readonly close: DailyCloseRow };

export interface CloseDayRequest {
  readonly storeId: string;
  readonly businessDate: string;
  readonly closedAt: string;
  readonly actorId: string;
  readonly actorRole: string;
  /** The report to freeze (computed by the caller from one read snapshot, outside the write lock). */
  readonly report: unknown;
  /** What the audit row says about the report (figures a reader checks at a glance). */
  readonly auditSummary: (report: unknown) => Record<string, unknown>;
}

/**
 * Read side of the reports (daily sales, close, settlement): which sessions to fold, their
 * journals, and the frozen daily closes. The journal (session_events) is the truth; the query
 * tables only say which sessions to look at.
 */
export function createReportReader(storage: Storage) {
  const db = storage.sqlite;
  const closedIn = db.prepare(
    `select session_id, table_id, status, closed_at from sessions
     where store_id = ? and closed_at >= ? and closed_at < ? and status in ('closed', 'cancelled')
     order by closed_at, session_id limit ?`,
  );
  const live = db.prepare(
    `select session_id, table_id, status, closed_at from sessions
     where store_id = ? and status in ('open', 'in_kitchen', 'paying', 'timed_out') order by table_id, session_id limit ?`,
  );
  const pendingSessions = db.prepare(
    `select session_id from payments where store_id = ? and status = 'pending'
     union select session_id from refunds where store_id = ? and status = 'pending' limit ?`,
  ).pluck();
  // The same status list as the partial index cart_payments_unsettled (migration 0013), so it is used.
  const cartCharges = db.prepare(
    `select payment_id, session_id, table_id, method, amount_won, status, outcome_code, created_at from cart_payments
     where store_id = ? and status in ('pending', 'refund_pending', 'refund_failed')
       and (status != 'refund_failed' or (created_at >= ? and created_at < ?))
     order by created_at, payment_id limit ?`,
  );
  const paymentSessions = db.prepare(
    `select session_id from payments where store_id = ? and requested_at >= ? and requested_at < ?
     union select session_id from refunds where store_id = ? and requested_at >= ? and requested_at < ? limit ?`,
  ).pluck();
  const paymentOwner = db.prepare("select session_id, store_id from payments where payment_id = ?");
  const events = db.prepare("select payload from session_events where session_id = ? order by seq").pluck();
  const sessionRow = db.prepare("select session_id, table_id, status, closed_at from sessions where session_id = ?");
  const closeRow = db.prepare("select store_id, business_date, report, report_sha256, closed_at, closed_by from daily_closes where store_id = ? and business_date = ?");
  const insertClose = db.prepare(
    "insert into daily_closes (store_id, business_date, report, report_sha256, closed_at, closed_by) values (?, ?, ?, ?, ?, ?)",
  );
  const insertAudit = db.prepare(
    `insert into audit_log (at, store_id, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id, prev_hash, hash)
     values (@at, @store_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @session_id, @before, @after, @reason, @cmd_id, @prev_hash, @hash)`,
  );

  function readClose(storeId: string, businessDate: string): DailyCloseRow | undefined {
    const row = closeRow.get(storeId, businessDate) as { store_id: string; business_date: string; report: string; report_sha256: string; closed_at: string; closed_by: string } | undefined;
    if (!row) return undefined;
    return { storeId: row.store_id, businessDate: row.business_date, report: JSON.parse(row.report), reportSha256: row.report_sha256, closedAt: row.closed_at, closedBy: row.closed_by };
  }

  /**
   * The close and its audit row in one IMMEDIATE transaction on this connection: the write lock is
   * taken first, so a second close cannot slip in after our check, and the audit chain head read
   * here cannot move before our row is chained to it (the group-commit writer takes the same lock
   * for each of its transactions, on its own connection or this one). Only inserts run under the
   * lock: the report was computed before, so the floor's commits never wait for a report.
   */
  const closeDay = db.transaction((request: CloseDayRequest): CloseDayResult => {
    const earlier = readClose(request.storeId, request.businessDate);
    if (earlier) return { kind: "already_closed", close: earlier };
    const report = request.report;
    const json = JSON.stringify(report);
    const sha256 = createHash("sha256").update(json).digest("hex");
    insertClose.run(request.storeId, request.businessDate, json, sha256, request.closedAt, request.actorId);
    const entry: AuditEntry = {
      at: request.closedAt, storeId: request.storeId, actorId: request.actorId, actorRole: request.actorRole, action: "day.close",
      entityType: "business_day", entityId: request.businessDate, sessionId: null, before: null,
      after: { ...request.auditSummary(report), reportSha256: sha256 }, reason: null, cmdId: null,
    };
    const row = toAuditRow(entry);
    const prevHash = lastAuditHash(db);
    insertAudit.run({ ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) });
    return { kind: "closed", close: { storeId: request.storeId, businessDate: request.businessDate, report, reportSha256: sha256, closedAt: request.closedAt, closedBy: request.actorId } };
  });

  return {
    /** Sessions of the store closed or called off within [fromIso, toIso), at most `limit`. */
    closedSessions(storeId: string, fromIso: string, toIso: string, limit: number): ReportSessionRow[] {
      return closedIn.all(storeId, fromIso, toIso, limit) as ReportSessionRow[];
    },
    /** Tables with a live session right now (timed-out ones included: their balance is still due, R-OFF-1). */
    liveSessions(storeId: string, limit: number): ReportSessionRow[] {
      return live.all(storeId, limit) as ReportSessionRow[];
    },
    session(sessionId: string): ReportSessionRow | undefined {
      return sessionRow.get(sessionId) as ReportSessionRow | undefined;
    },
    /** Sessions holding a payment or refund still waiting for its provider's answer. */
    sessionsWithPendingIntents(storeId: string, limit: number): string[] {
      return pendingSessions.all(storeId, storeId, limit) as string[];
    },
    /**
     * Prepaid QR charges not settled: every one still pending or being given back, and those of
     * [fromIso, toIso) whose give-back the provider refused (a person must return the money; the
     * report of their day says so, not every later one).
     */
    cartChargesToSettle(storeId: string, fromIso: string, toIso: string, limit: number): CartChargeRow[] {
      return cartCharges.all(storeId, fromIso, toIso, limit) as CartChargeRow[];
    },
    /** Sessions with a payment or refund asked for within [fromIso, toIso) (settlement candidates). */
    sessionsWithPaymentsBetween(storeId: string, fromIso: string, toIso: string, limit: number): string[] {
      return paymentSessions.all(storeId, fromIso, toIso, storeId, fromIso, toIso, limit) as string[];
    },
    /** Which session and store a payment id (a provider order id) belongs to. */
    paymentOwner(paymentId: string): { sessionId: string; storeId: string } | undefined {
      const row = paymentOwner.get(paymentId) as { session_id: string; store_id: string } | undefined;
      return row ? { sessionId: row.session_id, storeId: row.store_id } : undefined;
    },
    events(sessionId: string): SessionEvent[] {
      return (events.all(sessionId) as string[]).map((payload) => JSON.parse(payload) as SessionEvent);
    },
    /** Runs `read` in one read transaction: every query in it sees the same committed state. */
    snapshot<T>(read: () => T): T {
      return db.transaction(read).deferred();
    },
    dailyClose: readClose,
    closeDay(request: CloseDayRequest): CloseDayResult {
      return closeDay.immediate(request);
    },
  };
}

export type ReportReader = ReturnType<typeof createReportReader>;
