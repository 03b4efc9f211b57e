import { won } from "../shared/i18n.ts";
import { t } from "./texts.ts";

const statuses = new Set(["pending", "approved", "partially_approved", "void", "refunded"]);
const methods = new Set(["cash", "card", "easy_pay", "points"]);

/** Every payment of the session with its state, so a split or multi-tender bill reads at a glance. */
export function PaymentList({ payments }: { payments: readonly any[] }) {
  if (payments.length === 0) return null;
  return (
    <section class="payment-list" aria-labelledby="payments-heading">
      <h3 id="payments-heading">{t("payments")}</h3>
      <ul>
        {payments.map((p) => (
          <li key={p.paymentId} data-payment-status={p.status}>
            <span>{methods.has(p.method) ? t(`method_${p.method}` as "method_cash") : p.method}{p.label ? ` (${p.label})` : ""}</span>
            <span>{won(Number(p.approvedWon || p.requestedWon))}</span>
            <span class={`pay-status ${p.status}`}>{statuses.has(p.status) ? t(`payStatus_${p.status}` as "payStatus_approved") : p.status}</span>
            {p.maskedCardNo && <small>{p.cardIssuer} {p.maskedCardNo} · {p.approvalNo}</small>}
            {Number(p.changeWon) > 0 && <small>{t("change", { amount: won(Number(p.changeWon)) })}</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}
