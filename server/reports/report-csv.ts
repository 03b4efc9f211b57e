import type { SalesReport } from "./sales-report.ts";
import type { Tally } from "./sales-figures.ts";

/** One figure: section, key, value (a whole number or a text). */
export type CsvRow = readonly [section: string, key: string, value: string | number];

/** UTF-8 byte order mark: Excel (Korean Windows) otherwise opens UTF-8 as CP949 and garbles 한글. */
export const utf8Bom = "\uFEFF";

/**
 * The report as `section,key,value` rows, one figure a row, in a fixed order. Breakdowns use
 * `<code>.count` / `<code>.won` keys; per-table and per-intent rows use the id before the dot.
 */
export function reportRows(r: SalesReport): CsvRow[] {
  const rows: CsvRow[] = [
    ["report", "store_id", r.storeId], ["report", "business_date", r.businessDate], ["report", "time_zone", r.timeZone],
    ["report", "day_starts_at", r.dayStartsAt], ["report", "window_from", r.window.from], ["report", "window_to", r.window.to],
    ["report", "generated_at", r.generatedAt],
    ["sessions", "closed", r.sessions.closed], ["sessions", "cancelled", r.sessions.cancelled],
    ["sales", "guests", r.guests], ["sales", "gross_won", r.grossWon], ["sales", "adjustments_won", r.adjustments.totalWon],
    ["sales", "discounts_won", r.adjustments.discountsWon], ["sales", "charges_won", r.adjustments.chargesWon], ["sales", "net_won", r.netSalesWon],
    ["sales", "supply_won", r.vat.supplyWon], ["sales", "vat_won", r.vat.vatWon], ["sales", "approved_won", r.payments.approvedWon],
    ["sales", "refunded_won", r.refunds.refundedWon], ["sales", "paid_net_won", r.paidNetWon],
    ["sales", "unpaid_at_close_count", r.unpaidAtClose.count], ["sales", "unpaid_at_close_won", r.unpaidAtClose.won],
  ];
  rows.push(...tallies("adjustments_by_kind", r.adjustments.byKind));
  for (const [code, t] of Object.entries(r.adjustments.byReason)) rows.push(["adjustments_by_reason", `${code}.label`, t.label], ...tallies("adjustments_by_reason", { [code]: t }));
  rows.push(...tallies("payments_by_method", r.payments.byMethod), ...tallies("payments_by_card_issuer", r.payments.byCardIssuer), ...tallies("refunds_by_method", r.refunds.byMethod));
  rows.push(...tallies("voids", { items: r.voids.items, quantity_reductions: r.voids.quantityReductions, payments: r.voids.payments }));
  rows.push(["drawer", "cash_sales_won", r.drawer.cashSalesWon], ["drawer", "cash_refunds_won", r.drawer.cashRefundsWon], ["drawer", "expected_cash_won", r.drawer.expectedCashWon]);
  rows.push(["open_tables", "count", r.openTables.length], ["open_tables", "outstanding_won", r.openTables.reduce((s, t) => s + t.outstandingWon, 0)]);
  for (const t of r.openTables) {
    rows.push(["open_table", `${t.tableId}.session_id`, t.sessionId], ["open_table", `${t.tableId}.status`, t.status], ["open_table", `${t.tableId}.guests`, t.guests],
      ["open_table", `${t.tableId}.session_total_won`, t.sessionTotalWon], ["open_table", `${t.tableId}.paid_won`, t.paidWon],
      ["open_table", `${t.tableId}.pending_won`, t.pendingWon], ["open_table", `${t.tableId}.outstanding_won`, t.outstandingWon]);
  }
  const { payments, refunds } = r.unsettled;
  rows.push(["unsettled", "payments.count", payments.length], ["unsettled", "payments.won", payments.reduce((s, p) => s + p.requestedWon, 0)],
    ["unsettled", "refunds.count", refunds.length], ["unsettled", "refunds.won", refunds.reduce((s, p) => s + p.amountWon, 0)]);
  for (const p of payments) rows.push(["unsettled_payment", `${p.paymentId}.table_id`, p.tableId], ["unsettled_payment", `${p.paymentId}.method`, p.method], ["unsettled_payment", `${p.paymentId}.requested_won`, p.requestedWon]);
  for (const f of refunds) rows.push(["unsettled_refund", `${f.refundId}.payment_id`, f.paymentId], ["unsettled_refund", `${f.refundId}.table_id`, f.tableId], ["unsettled_refund", `${f.refundId}.amount_won`, f.amountWon]);
  const charges = r.unsettled.cartCharges;
  rows.push(["unsettled", "cart_charges.count", charges.length], ["unsettled", "cart_charges.won", charges.reduce((s, c) => s + c.amountWon, 0)]);
  for (const c of charges) {
    rows.push(["unsettled_cart_charge", `${c.paymentId}.table_id`, c.tableId], ["unsettled_cart_charge", `${c.paymentId}.method`, c.method],
      ["unsettled_cart_charge", `${c.paymentId}.status`, c.status], ["unsettled_cart_charge", `${c.paymentId}.amount_won`, c.amountWon]);
  }
  return rows;
}

function tallies(section: string, record: Readonly<Record<string, Tally>>): CsvRow[] {
  return Object.entries(record).flatMap(([key, t]): CsvRow[] => [[section, `${key}.count`, t.count], [section, `${key}.won`, t.won]]);
}

/** RFC 4180 text (CRLF, fields quoted when needed) with a BOM, for Excel in Korea. */
export function toCsv(rows: readonly CsvRow[]): string {
  const lines = [["section", "key", "value"], ...rows].map((row) => row.map(cell).join(","));
  return `${utf8Bom}${lines.join("\r\n")}\r\n`;
}

/**
 * One field. Numbers are written as integers. A text that a spreadsheet would run as a formula
 * (leading = + - @ or a control character) gets a leading apostrophe, so a crafted label or id
 * can never execute in Excel; a quote, comma or line break makes the field quoted.
 */
function cell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
