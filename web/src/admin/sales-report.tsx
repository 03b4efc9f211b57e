import { useState } from "preact/hooks";
import { ApiError, type StaffSession } from "../../../clients/api.ts";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { CloseWarnings, type CloseWarning } from "./close-warnings.tsx";
import { timeOf } from "./format.ts";
import { getBlob, getJson, post } from "./http.ts";
import { refusalText } from "./refusals.ts";
import { storeMenu, tableName } from "./store-menu.ts";
import { t } from "./texts.ts";
import { useLoad } from "./use-load.ts";

interface Tally { count: number; won: number }
interface Report {
  businessDate: string; sessions: { closed: number; cancelled: number }; guests: number; grossWon: number;
  adjustments: { totalWon: number }; netSalesWon: number; vat: { supplyWon: number; vatWon: number };
  payments: { approvedWon: number; byMethod: Record<string, Tally> }; refunds: { refundedWon: number }; paidNetWon: number;
  drawer: { expectedCashWon: number }; voids: { items: Tally };
  openTables: { tableId: string; status: string; outstandingWon: number; pendingWon: number }[];
}
interface SalesAnswer { report: Report; dayClose: { closedAt: string; closedBy: string } | null }
interface CloseAnswer { warnings: CloseWarning[]; closedAt: string; closedBy: string }

/** The day's sales report (Z report), its CSV, and the daily close (마감) with its warnings in words. */
export function SalesReport({ session }: { session: StaffSession }) {
  const [date, setDate] = useState("");
  const query = date ? `?date=${date}` : "";
  const sales = useLoad(() => getJson<SalesAnswer>(session, `/api/reports/sales${query}`), query);
  const menu = useLoad(() => storeMenu(session), session.token);
  const report = sales.data?.report;
  const closed = sales.data?.dayClose ?? null;
  const frozen = useLoad(() => (closed ? getJson<CloseAnswer>(session, `/api/reports/close?date=${report?.businessDate}`) : Promise.resolve(null)), `${report?.businessDate}:${closed?.closedAt}`);
  const [closing, setClosing] = useState<"idle" | "confirm" | "busy">("idle");
  const [result, setResult] = useState<CloseAnswer | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const downloadCsv = async () => {
    if (!report) return;
    try {
      const blob = await getBlob(session, `/api/reports/sales?date=${report.businessDate}&format=csv`);
      const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `sales-${session.storeId}-${report.businessDate}.csv` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch (error) {
      toast(refusalText(error instanceof ApiError ? error.code : undefined), "error");
    }
  };
  const closeDay = async () => {
    if (!report) return;
    setClosing("busy");
    setRefusal(null);
    try {
      const answer = await post<CloseAnswer>(session, "/api/reports/close", { date: report.businessDate });
      setResult(answer);
      toast(t("closedOk", { date: report.businessDate }));
      sales.reload();
    } catch (error) {
      setRefusal(refusalText(error instanceof ApiError ? error.code : undefined));
    } finally {
      setClosing("idle");
    }
  };

  const warnings = result?.warnings ?? frozen.data?.warnings ?? null;
  return (
    <section class="panel" aria-labelledby="sales-title">
      <div class="panel-head">
        <h2 id="sales-title">{t("salesReport")}</h2>
        <label class="inline">{t("businessDate")}
          <input type="date" name="business-date" value={date || report?.businessDate || ""} onChange={(e) => setDate(e.currentTarget.value)} />
        </label>
        <button type="button" data-action="csv" disabled={!report} onClick={downloadCsv}>{t("csv")}</button>
      </div>
      {sales.failure && <p role="alert" class="error">{sales.failure}</p>}
      {!report ? (!sales.failure && <p>{t("loading")}</p>) : (
        <>
          <Figures report={report} />
          <h3>{t("openTables")}</h3>
          {report.openTables.length === 0 ? <p class="muted">{t("noOpenTables")}</p> : (
            <ul class="open-tables">{report.openTables.map((o) => <li key={o.tableId}>{tableName(menu.data, o.tableId)} · {t("outstanding", { won: won(o.outstandingWon) })}</li>)}</ul>
          )}
          <div class="close-box" data-closed={closed ? "yes" : "no"}>
            {closed ? <p class="done" role="status">{t("dayClosed", { time: timeOf(closed.closedAt), by: closed.closedBy })}</p>
              : closing === "confirm" ? (
                <div role="alertdialog" aria-labelledby="close-confirm" class="confirm">
                  <p id="close-confirm">{t("closeConfirm", { date: report.businessDate })}</p>
                  <button type="button" class="primary" data-action="close-yes" onClick={closeDay}>{t("closeYes")}</button>
                  <button type="button" onClick={() => setClosing("idle")}>{t("cancel")}</button>
                </div>
              ) : <button type="button" class="primary" data-action="close-day" disabled={closing === "busy"} onClick={() => setClosing("confirm")}>{t("closeDay")}</button>}
            {refusal && <p role="alert" class="error">{refusal}</p>}
            {warnings && <CloseWarnings warnings={warnings} menu={menu.data} />}
          </div>
        </>
      )}
    </section>
  );
}

function Figures({ report: r }: { report: Report }) {
  const methods = Object.entries(r.payments.byMethod);
  const row = (label: string, value: string, key: string) => <div key={key} data-figure={key}><dt>{label}</dt><dd>{value}</dd></div>;
  return (
    <dl class="figures">
      {row(t("sessions"), String(r.sessions.closed), "sessions")}
      {row(t("guests"), String(r.guests), "guests")}
      {row(t("gross"), won(r.grossWon), "gross")}
      {row(t("adjustments"), won(r.adjustments.totalWon), "adjustments")}
      {row(t("netSales"), won(r.netSalesWon), "net")}
      {row(`${t("supply")} / ${t("vat")}`, `${won(r.vat.supplyWon)} / ${won(r.vat.vatWon)}`, "vat")}
      {row(t("approved"), won(r.payments.approvedWon), "approved")}
      {methods.map(([method, tally]) => row(`· ${method === "cash" || method === "card" || method === "easy_pay" ? t(`method_${method}`) : method}`, `${won(tally.won)} (${tally.count})`, `method-${method}`))}
      {row(t("refunded"), won(r.refunds.refundedWon), "refunded")}
      {row(t("paidNet"), won(r.paidNetWon), "paid-net")}
      {row(t("expectedCash"), won(r.drawer.expectedCashWon), "cash")}
      {row(t("voidItems"), `${r.voids.items.count} · ${won(r.voids.items.won)}`, "voids")}
    </dl>
  );
}
