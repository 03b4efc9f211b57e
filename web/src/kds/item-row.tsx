import { useState } from "preact/hooks";
import type { KitchenClient } from "../../../clients/room-client.ts";
import { inFlight, sendKitchen } from "./kitchen-commands.ts";
import { t } from "./texts.ts";

const states = ["waiting", "cooking", "cooked", "served", "cancelled"] as const;
type ItemState = (typeof states)[number];
const stateOf = (value: string): ItemState => (states as readonly string[]).includes(value) ? (value as ItemState) : "waiting";

/** One line of a ticket: quantity, name, options, note, its state in words, and the per-item actions. */
export function ItemRow({ client, ticketId, item }: { client: KitchenClient; ticketId: string; item: any; rev: number }) {
  const [askMissing, setAskMissing] = useState(false);
  const state = stateOf(item.state);
  const cancelled = state === "cancelled";
  const key = (action: string) => `${action}:${item.itemId}`;
  const busy = (action: string) => inFlight.value.has(key(action));
  const options = [...(item.options ?? [])] as string[];
  const name = <span class="item-name">{item.name}</span>;

  return (
    <li class={`item state-${state}${item.missing ? " is-missing" : ""}`} data-item-id={item.itemId} data-state={state}>
      <div class="item-line">
        <span class="qty">{item.quantity}×</span>
        {cancelled ? <del>{name}</del> : name}
        {item.replacesItemId && <span class="flag change">{t("replaces")}</span>}
      </div>
      {options.length > 0 && <div class="options">{options.join(" · ")}</div>}
      {item.note && <div class="note">“{item.note}”</div>}
      <div class="item-status">
        <span class={`item-state ${state}`}>{t(`state_${state}`)}</span>
        {item.missing && <span class="flag missing">{t("missing")}</span>}
        {item.late && <span class="flag late">{t("late")}</span>}
      </div>
      {!cancelled && (
        <div class="item-actions">
          {state === "waiting" && (
            <button type="button" data-action="item-start" disabled={busy("start")} onClick={() => sendKitchen(client, key("start"), "kitchen.start", { ticketId, itemIds: [item.itemId] })}>{t("start")}</button>
          )}
          {(state === "waiting" || state === "cooking") && (
            <button type="button" class="primary" data-action="item-cooked" disabled={busy("cooked")} onClick={() => sendKitchen(client, key("cooked"), "kitchen.cooked", { ticketId, itemIds: [item.itemId] })}>{t("cooked")}</button>
          )}
          {!item.missing && !askMissing && (
            <button type="button" class="danger" data-action="item-missing" onClick={() => setAskMissing(true)}>{t("markMissing")}</button>
          )}
          {!item.missing && askMissing && (
            <>
              {/* A missing mark cannot be cleared: a second tap confirms it. */}
              <button type="button" class="danger strong" data-action="item-missing-confirm" disabled={busy("missing")} onClick={async () => {
                await sendKitchen(client, key("missing"), "item.missing", { itemId: item.itemId });
                setAskMissing(false);
              }}>{t("confirmMissing")}</button>
              <button type="button" onClick={() => setAskMissing(false)}>{t("keepItem")}</button>
            </>
          )}
        </div>
      )}
    </li>
  );
}
