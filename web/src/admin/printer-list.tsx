import type { AdminClient } from "../../../clients/room-client.ts";
import { inFlight, sendAdmin } from "./admin-commands.ts";
import { timeOf } from "./format.ts";
import { t } from "./texts.ts";

/** Printer health in words and colour (never colour alone): reachable, cover, paper, failover. */
export function PrinterList({ client, printers }: { client: AdminClient; printers: any[] }) {
  return (
    <section class="panel" aria-labelledby="printers-title">
      <div class="panel-head">
        <h2 id="printers-title">{t("printers")}</h2>
        <button type="button" data-action="check-printers" disabled={inFlight.value.has("check")} onClick={() => void sendAdmin(client, "check", "printers.check")}>{t("checkPrinters")}</button>
      </div>
      {printers.length === 0 ? <p class="muted">{t("noPrinters")}</p> : (
        <ul class="printer-list">
          {printers.map((p) => <PrinterCard key={p.printerId} printer={p} />)}
        </ul>
      )}
    </section>
  );
}

function PrinterCard({ printer: p }: { printer: any }) {
  const problems: string[] = [];
  if (p.coverOpen) problems.push(t("coverOpen"));
  if (p.paperOut) problems.push(t("paperOut"));
  else if (p.paperNearEnd) problems.push(t("paperNearEnd"));
  const healthy = p.reachable && problems.length === 0;
  return (
    <li class={`printer ${healthy ? "ok" : "bad"}`} data-printer-id={p.printerId} data-reachable={String(p.reachable)}>
      <div class="printer-name"><strong>{p.name}</strong> <small>{p.address}</small></div>
      <div class="printer-flags">
        <span class={`flag ${p.reachable ? "ok" : "bad"}`}>{p.reachable ? t("reachable") : t("unreachable")}</span>
        {problems.map((text) => <span key={text} class="flag bad">{text}</span>)}
        {p.failedOverTo && <span class="flag warn">{t("failedOverTo", { to: p.failedOverTo })}</span>}
        {p.pending > 0 && <span class="flag">{t("pending", { n: p.pending })}</span>}
      </div>
      {p.lastError && <p class="error-text">{t("lastError", { error: p.lastError })}</p>}
      {p.checkedAt && <p class="muted small">{t("checkedAt", { time: timeOf(p.checkedAt) })}</p>}
    </li>
  );
}
