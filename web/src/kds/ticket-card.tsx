import type { KitchenClient } from "../../../clients/room-client.ts";
import { ItemRow } from "./item-row.tsx";
import { inFlight, sendKitchen } from "./kitchen-commands.ts";
import { forgetRecalled, recalledIds } from "./recall.tsx";
import { SourceBadge } from "./source-badge.tsx";
import { TicketTimer } from "./ticket-timer.tsx";
import { t } from "./texts.ts";

const kinds = ["new", "change", "partial_cancel", "cancel"] as const;
type Kind = (typeof kinds)[number];
const kindOf = (value: string): Kind => ((kinds as readonly string[]).includes(value) ? (value as Kind) : "new");

/**
 * One kitchen ticket. A delta ticket (a change or cancel of an earlier one) gets a coloured
 * header with its kind in words, so a cook never mistakes it for a new order.
 */
export function TicketCard({ client, ticket, urgentAfterMinutes, rev }: { client: KitchenClient; ticket: any; urgentAfterMinutes: number; rev: number }) {
  const kind = kindOf(ticket.kind);
  const delta = kind !== "new";
  const items = [...ticket.items] as any[];
  const waiting = items.filter((i) => i.state === "waiting").map((i) => i.itemId as string);
  const open = items.filter((i) => i.state === "waiting" || i.state === "cooking").map((i) => i.itemId as string);
  const allCancelled = items.length > 0 && items.every((i) => i.state === "cancelled");
  const id = ticket.ticketId as string;
  const busy = (action: string) => inFlight.value.has(`${action}:${id}`);
  const label = `${ticket.tableName} · ${t("batch", { n: ticket.batchNo })}${delta ? ` · ${t(`kind_${kind}`)}` : ""}`;

  async function bump() {
    if (await sendKitchen(client, `bump:${id}`, "ticket.bump", { ticketId: id })) forgetRecalled(id);
  }

  return (
    <article class={`ticket kind-${kind}${ticket.done ? " done" : ""}`} data-ticket-id={id} data-kind={kind} aria-label={label}>
      <header class={`ticket-head${delta ? " delta" : ""}`}>
        <div class="ticket-title">
          <span class="table-name">{ticket.tableName}</span>
          <span class="batch-no">{t("batch", { n: ticket.batchNo })}</span>
        </div>
        <TicketTimer createdAt={ticket.createdAt} urgentAfterMinutes={urgentAfterMinutes} urgent={ticket.urgent} done={ticket.done} />
      </header>
      <div class="ticket-flags">
        {delta && <span class={`delta-label ${kind}`}>{t(`kind_${kind}`)}</span>}
        <SourceBadge source={ticket.source} />
        {recalledIds.value.has(id) && <span class="flag recalled">{t("recalled")}</span>}
        {ticket.printStatus === "failed" && <span class="flag failed">{t("notPrinted")}</span>}
        {ticket.payment === "paying" && <span class="flag paying">{t("paying")}</span>}
        {ticket.done && !allCancelled && <span class="flag done">{t("done")}</span>}
      </div>
      <ul class="items">
        {items.map((item) => <ItemRow key={item.itemId} client={client} ticketId={id} item={item} rev={rev} />)}
      </ul>
      <footer class="ticket-actions">
        {waiting.length > 0 && (
          <button type="button" data-action="start" disabled={busy("start")} onClick={() => sendKitchen(client, `start:${id}`, "kitchen.start", { ticketId: id, itemIds: waiting })}>{t("startAll")}</button>
        )}
        {open.length > 0 && (
          <button type="button" class="primary" data-action="cooked" disabled={busy("cooked")} onClick={() => sendKitchen(client, `cooked:${id}`, "kitchen.cooked", { ticketId: id, itemIds: open })}>{t("cookedAll")}</button>
        )}
        <button type="button" class={`bump${ticket.done ? " ready" : ""}`} data-action="bump" disabled={busy("bump")} onClick={bump}>{allCancelled ? t("bumpCancel") : t("bump")}</button>
      </footer>
    </article>
  );
}
