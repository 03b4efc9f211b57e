import { amountsOf, fold, initialSessionState, type SessionState } from "../../domain/index.ts";
import type { ReportReader } from "../../storage/index.ts";
import type { AppConfig } from "../config/index.ts";
import type { Clock } from "../clock.ts";
import { businessDateOf, businessDayWindow, type BusinessDayRule } from "./business-day.ts";
import { reportLimits } from "./limits.ts";
import { addFigures, sessionFigures, zeroFigures, type SalesFigures } from "./sales-figures.ts";

/** A table with a live session at the time of the report (a timed-out one too: its balance is still due, R-OFF-1). */
export interface OpenTable {
  readonly tableId: string;
  readonly sessionId: string;
  readonly status: string;
  readonly openedAt: string;
  readonly guests: number;
  readonly sessionTotalWon: number;
  readonly paidWon: number;
  readonly pendingWon: number;
  readonly outstandingWon: number;
}

export interface UnsettledPayment {
  readonly paymentId: string;
  readonly sessionId: string;
  readonly tableId: string;
  readonly method: string;
  readonly requestedWon: number;
  readonly requestedAt: string;
}

export interface UnsettledRefund {
  readonly refundId: string;
  readonly paymentId: string;
  readonly sessionId: string;
  readonly tableId: string;
  readonly amountWon: number;
  readonly requestedAt: string;
}

/**
 * A prepaid QR charge (a phone paid its own cart) that is not settled: `pending` (the card
 * company's answer is awaited), `refund_pending` (the order was refused and the charge is being
 * cancelled, retried by the reconciler), both as they are now; `refund_failed` (the card company
 * refused the cancel: a person must give the money back), in the report of the day it was made.
 */
export interface UnsettledCartCharge {
  readonly paymentId: string;
  readonly sessionId: string;
  readonly tableId: string;
  readonly method: string;
  readonly amountWon: number;
  readonly status: "pending" | "refund_pending" | "refund_failed";
  /** Why the order was refused (a wire code such as SOLD_OUT), once it was. */
  readonly reason: string | null;
  readonly requestedAt: string;
}

/**
 * The daily sales report (Z report) of one store and business date: the figures of the sessions
 * closed within the day's window, plus what is still open right now (tables with their
 * balance, payment and refund intents waiting for a provider). JSON as is; CSV in report-csv.ts.
 */
export interface SalesReport extends SalesFigures {
  readonly storeId: string;
  readonly businessDate: string;
  readonly timeZone: string;
  readonly dayStartsAt: string;
  /** [from, to), ISO UTC. */
  readonly window: { readonly from: string; readonly to: string };
  readonly generatedAt: string;
  /** 시재: cash taken − cash given back in the day's sessions (opening float and pay-ins not included). */
  readonly drawer: { readonly cashSalesWon: number; readonly cashRefundsWon: number; readonly expectedCashWon: number };
  readonly openTables: readonly OpenTable[];
  readonly unsettled: { readonly payments: readonly UnsettledPayment[]; readonly refunds: readonly UnsettledRefund[]; readonly cartCharges: readonly UnsettledCartCharge[] };
}

export type ReportOutcome =
  | { readonly ok: true; readonly report: SalesReport }
  | { readonly ok: false; readonly error: { readonly code: "NOT_FOUND" | "LIMIT_EXCEEDED"; readonly message: string } };

export interface SalesReportDeps {
  readonly reader: ReportReader;
  readonly config: AppConfig;
  readonly clock: Clock;
}

export function createSalesReports(deps: SalesReportDeps) {
  const { reader, config, clock } = deps;
  const storeOf = (storeId: string) => config.stores.find((s) => s.id === storeId);

  function ruleOf(storeId: string): BusinessDayRule | undefined {
    const store = storeOf(storeId);
    return store ? { timeZone: store.business.timeZone, dayStartsAt: store.business.dayStartsAt } : undefined;
  }

  /** Folds every session closed in the window, and the live ones; all reads see one committed state. */
  function build(storeId: string, date: string): ReportOutcome {
    const store = storeOf(storeId);
    if (!store) return { ok: false, error: { code: "NOT_FOUND", message: `unknown store ${storeId}` } };
    const rule = { timeZone: store.business.timeZone, dayStartsAt: store.business.dayStartsAt };
    const window = businessDayWindow(date, rule);
    const labels = new Map(store.money.adjustmentReasons.map((r) => [r.code, r.label]));
    const rows = reader.closedSessions(storeId, window.from.toISOString(), window.to.toISOString(), reportLimits.sessionsPerDayMax + 1);
    if (rows.length > reportLimits.sessionsPerDayMax) {
      return { ok: false, error: { code: "LIMIT_EXCEEDED", message: `more than ${reportLimits.sessionsPerDayMax} sessions closed on ${date}` } };
    }
    const figures = rows.reduce<SalesFigures>((sum, row) => addFigures(sum, sessionFigures(stateOf(row.session_id), labels)), zeroFigures());
    const cash = { sales: figures.payments.byMethod.cash?.won ?? 0, refunds: figures.refunds.byMethod.cash?.won ?? 0 };
    return {
      ok: true,
      report: {
        storeId, businessDate: date, timeZone: rule.timeZone, dayStartsAt: rule.dayStartsAt,
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
        generatedAt: new Date(clock.nowMs()).toISOString(),
        ...figures,
        drawer: { cashSalesWon: cash.sales, cashRefundsWon: cash.refunds, expectedCashWon: cash.sales - cash.refunds },
        openTables: openTables(storeId),
        unsettled: unsettled(storeId, window),
      },
    };
  }

  function stateOf(sessionId: string): SessionState {
    return fold(reader.events(sessionId), initialSessionState());
  }

  function openTables(storeId: string): OpenTable[] {
    return reader.liveSessions(storeId, reportLimits.liveSessionsMax).map((row) => {
      const s = stateOf(row.session_id);
      const a = amountsOf(s);
      return {
        tableId: s.tableId, sessionId: s.sessionId, status: s.status, openedAt: s.openedAt, guests: s.guests,
        sessionTotalWon: a.sessionTotal, paidWon: a.paid, pendingWon: a.pending, outstandingWon: a.outstanding,
      };
    });
  }

  /**
   * Intents still waiting for a provider, read from the journal of every session the query tables
   * name, and the prepaid QR charges not settled (not in any journal until their order is sent).
   */
  function unsettled(storeId: string, window: { readonly from: Date; readonly to: Date }): SalesReport["unsettled"] {
    const payments: UnsettledPayment[] = [];
    const refunds: UnsettledRefund[] = [];
    for (const sessionId of reader.sessionsWithPendingIntents(storeId, reportLimits.liveSessionsMax)) {
      const s = stateOf(sessionId);
      for (const p of s.payments.values()) {
        if (p.status === "pending") payments.push({ paymentId: p.paymentId, sessionId, tableId: s.tableId, method: p.method, requestedWon: p.requested, requestedAt: p.requestedAt });
      }
      for (const r of s.refunds.values()) {
        if (r.status === "pending") refunds.push({ refundId: r.refundId, paymentId: r.paymentId, sessionId, tableId: s.tableId, amountWon: r.amount, requestedAt: r.requestedAt });
      }
    }
    const byTime = (a: { requestedAt: string }, b: { requestedAt: string }) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0);
    const cartCharges = reader.cartChargesToSettle(storeId, window.from.toISOString(), window.to.toISOString(), reportLimits.liveSessionsMax).map((c): UnsettledCartCharge => ({
      paymentId: c.payment_id, sessionId: c.session_id, tableId: c.table_id, method: c.method, amountWon: c.amount_won, status: c.status, reason: c.outcome_code, requestedAt: c.created_at,
    }));
    return { payments: payments.sort(byTime), refunds: refunds.sort(byTime), cartCharges };
  }

  return {
    ruleOf,
    /** The business date of the store right now. */
    today(storeId: string): string | undefined {
      const rule = ruleOf(storeId);
      return rule ? businessDateOf(new Date(clock.nowMs()), rule) : undefined;
    },
    /** The report of one store and business date, from one consistent read. */
    salesReport(storeId: string, date: string): ReportOutcome {
      return reader.snapshot(() => build(storeId, date));
    },
  };
}

export type SalesReports = ReturnType<typeof createSalesReports>;
