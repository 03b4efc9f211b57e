import { useState } from "preact/hooks";
import type { KitchenClient } from "../../../clients/room-client.ts";
import { inFlight, sendKitchen } from "./kitchen-commands.ts";
import type { MenuEntry } from "./store-menu.ts";
import { t } from "./texts.ts";

/** Portions left at or under this show as "low" (Infor's orange band, SCREENS.md §2.5). */
const lowAt = 5;

/** 86: each menu item of the station(s) with a sold-out toggle and a countdown of portions (menu.stock). */
export function StockPanel({ client, menu, stock, canEdit, rev }: { client: KitchenClient; menu: readonly MenuEntry[]; stock: any; canEdit: boolean; rev: number }) {
  return (
    <section class="panel stock" aria-labelledby="stock-title">
      <h2 id="stock-title">{t("stock")}</h2>
      {!canEdit && <p class="muted">{t("stockRolesOnly")}</p>}
      <ul>
        {menu.map((entry) => <StockRow key={entry.id} client={client} entry={entry} level={stock.get(entry.id)} canEdit={canEdit} rev={rev} />)}
      </ul>
    </section>
  );
}

function StockRow({ client, entry, level, canEdit }: { client: KitchenClient; entry: MenuEntry; level: any; canEdit: boolean; rev: number }) {
  const [count, setCount] = useState("");
  const soldOut = entry.soldOut || level?.soldOut === true;
  const remaining: number = typeof level?.remaining === "number" ? level.remaining : -1;
  const busy = inFlight.value.has(`stock:${entry.id}`);
  const send = (fields: { soldOut: boolean; remaining: number | null }) => sendKitchen(client, `stock:${entry.id}`, "menu.stock", { menuId: entry.id, ...fields });
  const inputId = `count-${entry.id}`;

  return (
    <li class={`stock-row${soldOut ? " sold-out" : ""}`} data-menu-id={entry.id}>
      <div class="stock-head">
        <span class="stock-name">{entry.name}</span>
        <span class={`stock-state${soldOut ? " out" : remaining >= 0 && remaining <= lowAt ? " low" : ""}`} data-stock-state={soldOut ? "sold-out" : "available"}>
          {entry.soldOut ? t("configSoldOut") : soldOut ? t("soldOut") : remaining >= 0 ? t("remaining", { n: remaining }) : t("available")}
        </span>
      </div>
      {canEdit && !entry.soldOut && (
        <div class="stock-actions">
          <button type="button" class={soldOut ? "primary" : "danger"} aria-pressed={soldOut} data-action="toggle-86" disabled={busy}
            onClick={() => send(soldOut ? { soldOut: false, remaining: null } : { soldOut: true, remaining: remaining >= 0 ? remaining : null })}>
            {soldOut ? t("unmark86") : t("mark86")}
          </button>
          <label class="visually-hidden" for={inputId}>{t("countLabel", { name: entry.name })}</label>
          <input id={inputId} class="count-input" type="number" inputMode="numeric" min={0} max={9999} placeholder={remaining >= 0 ? String(remaining) : "∞"}
            value={count} onInput={(e) => setCount(e.currentTarget.value)} />
          <button type="button" data-action="set-count" disabled={busy || !/^\d{1,4}$/.test(count)} onClick={async () => {
            const n = Number(count);
            if (await send({ soldOut: n === 0, remaining: n })) setCount("");
          }}>{t("setCount")}</button>
          {remaining >= 0 && <button type="button" data-action="clear-count" disabled={busy} onClick={() => send({ soldOut, remaining: null })}>{t("clearCount")}</button>}
        </div>
      )}
    </li>
  );
}
