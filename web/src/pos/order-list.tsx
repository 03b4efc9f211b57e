import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { ItemEditDialog } from "./item-edit-dialog.tsx";
import { clockTime } from "./refusals.ts";
import { SourceBadge, sourceOf } from "./source-badge.tsx";
import { decidedOn, type DecidedOn, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

const states = new Set(["waiting", "cooking", "cooked", "served", "cancelled"]);

/**
 * Confirmed items by batch (1차, 2차 …) with the source badge (R-UI-2) and each item's kitchen
 * state in words; serve a cooked item, cancel or change a quantity with a reason (R-VAL-1).
 */
export function OrderList({ ctx }: { ctx: TableCtx; rev: number }) {
  const [editing, setEditing] = useState<{ itemId: string; decided: DecidedOn } | null>(null);
  const batches = [...ctx.state.batches.values()].sort((a: any, b: any) => a.batchNo - b.batchNo);
  const items = [...ctx.state.items.values()];
  if (batches.length === 0) return <p class="empty">{t("noOrders")}</p>;
  const editItem = editing ? ctx.state.items.get(editing.itemId) : null;
  return (
    <section class="orders" aria-labelledby="orders-heading">
      <h2 id="orders-heading">{t("orders")}</h2>
      {batches.map((batch: any) => (
        <article key={batch.batchId} class={`batch source-${sourceOf(batch.source)}`} data-batch-no={batch.batchNo} data-batch-id={batch.batchId}>
          <header class="batch-head">
            <span>{t("batch", { n: batch.batchNo })}</span>
            <SourceBadge source={batch.source} />
            <time>{clockTime(batch.confirmedAt)}</time>
          </header>
          <ul>
            {items.filter((item: any) => item.batchNo === batch.batchNo).map((item: any) => {
              const state = states.has(item.state) ? item.state : "waiting";
              const cancelled = state === "cancelled";
              return (
                <li key={item.itemId} class={`item state-${state}`} data-item-id={item.itemId} data-state={state}>
                  <span class="line-main">
                    <span class="line-name">{item.quantity}× {cancelled ? <del>{item.name}</del> : item.name}</span>
                    {(item.optionNames.length > 0 || item.note) && <small>{[...item.optionNames, item.note].filter(Boolean).join(" · ")}</small>}
                  </span>
                  {sourceOf(item.source) !== "pos" && <span class="guest-mark">{t("guestItem")}</span>}
                  <span class={`item-state ${state}`}>{t(`state_${state}` as "state_waiting")}</span>
                  {item.missing && <span class="flag missing">{t("missing")}</span>}
                  <span class="line-total">{cancelled ? "" : won(Number(item.lineTotalWon))}</span>
                  <span class="item-actions">
                    {state === "cooked" && <button type="button" data-action="serve" disabled={!ctx.online} onClick={() => void ctx.run("item.serve", { itemIds: [item.itemId], ...decidedOn(ctx.state) })}>{t("serve")}</button>}
                    {!cancelled && <button type="button" data-action="edit-item" disabled={!ctx.online} onClick={() => setEditing({ itemId: item.itemId, decided: decidedOn(ctx.state) })}>{t("edit")}</button>}
                  </span>
                </li>
              );
            })}
          </ul>
        </article>
      ))}
      {editing && editItem && <ItemEditDialog ctx={ctx} item={editItem} decided={editing.decided} onDone={() => setEditing(null)} />}
    </section>
  );
}

