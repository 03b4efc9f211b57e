import { won } from "../shared/i18n.ts";
import { t } from "./texts.ts";

const stateWords = { waiting: "stateWaiting", cooking: "stateCooking", cooked: "stateCooked", served: "stateServed", cancelled: "stateCancelled" } as const;
const sourceWords = { qr: "sourceQr", pos: "sourcePos", app: "sourceApp" } as const;
// Icon and words, never colour alone (WCAG 1.4.1).
const sourceIcons = { qr: "📱", pos: "🧑‍🍳", app: "🛵" } as const;

function SourceBadge({ source }: { source: string }) {
  const key = source === "qr" || source === "app" ? source : "pos";
  return <span class={`badge ${key}`} data-source={key}><span aria-hidden="true">{sourceIcons[key]} </span>{t(sourceWords[key])}</span>;
}

/**
 * The table's bill as the room shows a guest (docs/PROTOCOL.md §5.0): every confirmed item with
 * its kitchen state and source badge, the total, what is paid and the balance. No payment details.
 */
export function BillView({ state }: { state: any }) {
  const items = [...(state.items?.values() ?? [])] as any[];
  const batches = ([...(state.batches?.values() ?? [])] as any[]).sort((a, b) => a.batchNo - b.batchNo);
  if (items.length === 0) return <p class="empty">{t("billEmpty")}</p>;
  return (
    <div class="bill">
      {batches.map((batch) => (
        <section key={batch.batchId} class="batch" aria-label={t("batch", { no: batch.batchNo })} data-testid="bill-batch" data-source={batch.source}>
          <h2>{t("batch", { no: batch.batchNo })} <SourceBadge source={batch.source} /></h2>
          <ul>
            {items.filter((item) => item.batchNo === batch.batchNo && !item.replacedByItemId).map((item) => (
              <li key={item.itemId} class={`bill-item ${item.state}`} data-state={item.state}>
                <div>
                  <span class="name">{item.name}</span> <span class="qty">× {item.quantity}</span>
                  {item.optionNames?.length > 0 && <div class="options">{[...item.optionNames].join(", ")}</div>}
                </div>
                <span class={`kitchen-state ${item.state}`}>{t(stateWords[item.state as keyof typeof stateWords] ?? "stateWaiting")}</span>
                <span class="price">{won(item.state === "cancelled" ? 0 : item.lineTotalWon)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <dl class="totals">
        <div><dt>{t("billTotal")}</dt><dd data-testid="bill-total">{won(state.sessionTotalWon)}</dd></div>
        <div><dt>{t("billPaid")}</dt><dd data-testid="bill-paid">{won(state.paidWon)}</dd></div>
        <div class="balance"><dt>{t("billBalance")}</dt><dd data-testid="bill-balance">{won(state.outstandingWon)}</dd></div>
      </dl>
    </div>
  );
}
