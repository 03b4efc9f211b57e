import type { Principal } from "../../rooms/context.ts";
import type { DailyCloseRow, ReportReader } from "../../storage/index.ts";
import type { SalesReport, SalesReports } from "./sales-report.ts";

/** A table's balance as a warning names it. */
interface TableBalance { readonly tableId: string; readonly sessionId: string; readonly outstandingWon: number; readonly pendingWon: number }

/** A prepaid QR charge as a warning names it. */
interface CartCharge { readonly paymentId: string; readonly tableId: string; readonly method: string; readonly amountWon: number }

/** What the person closing the day should look at (the close is not refused for them). */
export type CloseWarning =
  | ({ readonly code: "open_table_balance" } & TableBalance)
  /** R-OFF-1: a session that timed out with money on it: still due, never written off by the timeout. */
  | ({ readonly code: "timed_out_balance" } & TableBalance)
  | { readonly code: "unsettled_payment"; readonly paymentId: string; readonly tableId: string; readonly method: string; readonly requestedWon: number }
  | { readonly code: "unsettled_refund"; readonly refundId: string; readonly paymentId: string; readonly tableId: string; readonly amountWon: number }
  /** A prepaid QR charge still awaiting the card company, or being cancelled (its order was refused). */
  | ({ readonly code: "unsettled_cart_charge"; readonly status: string } & CartCharge)
  /** The card company refused to cancel a refused order's charge: a person must give the money back. */
  | ({ readonly code: "cart_refund_failed"; readonly reason: string | null } & CartCharge)
  | { readonly code: "closed_with_balance"; readonly sessions: number; readonly outstandingWon: number };

export interface DailyClose {
  readonly report: SalesReport;
  readonly warnings: readonly CloseWarning[];
  readonly closedAt: string;
  readonly closedBy: string;
  readonly reportSha256: string;
}

export type CloseError = { readonly status: number; readonly code: string; readonly message: string; readonly details?: unknown };
export type CloseOutcome = { readonly ok: true; readonly close: DailyClose } | { readonly ok: false; readonly error: CloseError };

/**
 * Tables still open with money on them, intents waiting for a provider, QR charges to give back,
 * sessions closed unpaid, as the report saw them.
 */
export function warningsOf(report: SalesReport): CloseWarning[] {
  const warnings: CloseWarning[] = [];
  for (const t of report.openTables) {
    const code = t.status === "timed_out" ? "timed_out_balance" : "open_table_balance";
    const { tableId, sessionId, outstandingWon, pendingWon } = t;
    if (outstandingWon !== 0 || pendingWon !== 0) warnings.push({ code, tableId, sessionId, outstandingWon, pendingWon });
  }
  for (const { paymentId, tableId, method, requestedWon } of report.unsettled.payments) {
    warnings.push({ code: "unsettled_payment", paymentId, tableId, method, requestedWon });
  }
  for (const { refundId, paymentId, tableId, amountWon } of report.unsettled.refunds) {
    warnings.push({ code: "unsettled_refund", refundId, paymentId, tableId, amountWon });
  }
  // A report frozen before migration 0013 has no cartCharges.
  for (const c of report.unsettled.cartCharges ?? []) {
    const charge = { paymentId: c.paymentId, tableId: c.tableId, method: c.method, amountWon: c.amountWon };
    warnings.push(c.status === "refund_failed" ? { code: "cart_refund_failed", ...charge, reason: c.reason } : { code: "unsettled_cart_charge", ...charge, status: c.status });
  }
  if (report.unpaidAtClose.count > 0) warnings.push({ code: "closed_with_balance", sessions: report.unpaidAtClose.count, outstandingWon: report.unpaidAtClose.won });
  return warnings;
}

export function dailyCloseOf(row: DailyCloseRow): DailyClose {
  const report = row.report as SalesReport;
  return { report, warnings: warningsOf(report), closedAt: row.closedAt, closedBy: row.closedBy, reportSha256: row.reportSha256 };
}

/**
 * 마감 (Z report): computes the report and freezes it with its audit row, once per store and
 * business date. A day that has not started yet cannot be closed; the current one can (a bar
 * closes its till before 05:00), and sales after that still count in the live report, not in the
 * frozen one. The report is read from one snapshot first; only the inserts take the write lock.
 */
export function closeDay(reports: SalesReports, reader: ReportReader, storeId: string, date: string, principal: Principal, closedAt: string): CloseOutcome {
  const today = reports.today(storeId);
  if (today === undefined) return { ok: false, error: { status: 404, code: "NOT_FOUND", message: `unknown store ${storeId}` } };
  if (date > today) return { ok: false, error: { status: 409, code: "DAY_NOT_STARTED", message: `business day ${date} has not started (today is ${today})`, details: { today } } };
  const earlier = reader.dailyClose(storeId, date);
  if (earlier) return alreadyClosed(earlier);
  const outcome = reports.salesReport(storeId, date);
  if (!outcome.ok) return { ok: false, error: { status: outcome.error.code === "NOT_FOUND" ? 404 : 422, code: outcome.error.code, message: outcome.error.message } };
  const report = outcome.report;
  const result = reader.closeDay({
    storeId, businessDate: date, closedAt, actorId: principal.staffId, actorRole: principal.role, report,
    auditSummary: () => ({
      businessDate: date, sessions: report.sessions, netSalesWon: report.netSalesWon, paidNetWon: report.paidNetWon,
      openTables: report.openTables.length, unsettled: report.unsettled.payments.length + report.unsettled.refunds.length,
      unsettledCartCharges: report.unsettled.cartCharges.length,
    }),
  });
  return result.kind === "already_closed" ? alreadyClosed(result.close) : { ok: true, close: dailyCloseOf(result.close) };
}

function alreadyClosed(close: DailyCloseRow): CloseOutcome {
  return {
    ok: false,
    error: { status: 409, code: "DAY_ALREADY_CLOSED", message: `${close.storeId} ${close.businessDate} was closed at ${close.closedAt} by ${close.closedBy}`, details: { closedAt: close.closedAt, closedBy: close.closedBy } },
  };
}
