import { won } from "../shared/i18n.ts";
import type { StoreMenu } from "./store-menu.ts";
import { tableName } from "./store-menu.ts";
import { t } from "./texts.ts";

/** server/reports/daily-close.ts CloseWarning, as the wire carries it. */
export type CloseWarning =
  | { code: "open_table_balance" | "timed_out_balance"; tableId: string; outstandingWon: number; pendingWon: number }
  | { code: "unsettled_payment"; tableId: string; requestedWon: number }
  | { code: "unsettled_refund"; tableId: string; amountWon: number }
  | { code: "unsettled_cart_charge"; tableId: string; amountWon: number; status: string }
  | { code: "cart_refund_failed"; tableId: string; amountWon: number }
  | { code: "closed_with_balance"; sessions: number; outstandingWon: number };

/** What the person closing the day should look at, in words (the close is not refused for them). */
export function CloseWarnings({ warnings, menu }: { warnings: readonly CloseWarning[]; menu: StoreMenu | null }) {
  return (
    <section class="warnings" aria-labelledby="warnings-title">
      <h3 id="warnings-title">{t("closeWarnings")}</h3>
      {warnings.length === 0 ? <p class="muted" data-warnings="none">{t("noWarnings")}</p> : (
        <ul>{warnings.map((w, i) => <li key={i} class="warning" data-warning={w.code}>{words(w, menu)}</li>)}</ul>
      )}
    </section>
  );
}

function words(w: CloseWarning, menu: StoreMenu | null): string {
  switch (w.code) {
    case "open_table_balance":
    case "timed_out_balance":
      return t(`warn_${w.code}`, { table: tableName(menu, w.tableId), won: won(w.outstandingWon) });
    case "unsettled_payment": return t("warn_unsettled_payment", { table: tableName(menu, w.tableId), won: won(w.requestedWon) });
    case "unsettled_refund": return t("warn_unsettled_refund", { table: tableName(menu, w.tableId), won: won(w.amountWon) });
    case "unsettled_cart_charge": return t(w.status === "pending" ? "warn_cart_charge_pending" : "warn_cart_charge_refunding", { table: tableName(menu, w.tableId), won: won(w.amountWon) });
    case "cart_refund_failed": return t("warn_cart_refund_failed", { table: tableName(menu, w.tableId), won: won(w.amountWon) });
    case "closed_with_balance": return t("warn_closed_with_balance", { n: w.sessions, won: won(w.outstandingWon) });
    default: return assertNever(w);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown warning ${JSON.stringify(value)}`);
}
