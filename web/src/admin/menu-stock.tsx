import { useState } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import { joinKitchenRoom, type KitchenClient } from "../../../clients/room-client.ts";
import { ConnectionStatusBadge } from "../shared/connection-status.tsx";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { useRoom } from "../shared/use-room.ts";
import { refusalText } from "./refusals.ts";
import { storeMenu, type MenuEntry } from "./store-menu.ts";
import { t } from "./texts.ts";
import { useLoad } from "./use-load.ts";

/** Portions left at or under this show as "low" (Infor's orange band, SCREENS.md §2.5). */
const lowAt = 5;

/**
 * The menu with 86 and portion countdowns (menu.stock, docs/PROTOCOL.md §7.3). The runtime stock
 * lives in the kitchen room, so this section joins it for station "all" while it is open.
 */
export function MenuStock({ session }: { session: StaffSession }) {
  const menu = useLoad(() => storeMenu(session), session.token);
  const room = useRoom(() => joinKitchenRoom(session, { storeId: session.storeId, stationId: "all" }, { kitchenHeartbeat: false }), `${session.token}:kitchen`);
  const stock = room.state?.stock;
  return (
    <section class="panel" aria-labelledby="menu-title">
      <div class="panel-head">
        <h2 id="menu-title">{t("menuStock")}</h2>
        <ConnectionStatusBadge status={room.status} />
      </div>
      {(menu.failure || room.error) && <p role="alert" class="error">{menu.failure ?? refusalText((room.error as { code?: string }).code)}</p>}
      {!menu.data || !room.client || !stock ? <p>{t("loading")}</p> : (
        <table class="grid stock">
          <thead><tr><th scope="col">{t("name")}</th><th scope="col">{t("price")}</th><th scope="col">{t("state")}</th><th scope="col">{t("actions")}</th></tr></thead>
          <tbody>{menu.data.menu.map((entry) => <StockRow key={entry.id} client={room.client!} entry={entry} level={stock.get(entry.id)} rev={room.revision} />)}</tbody>
        </table>
      )}
    </section>
  );
}

function StockRow({ client, entry, level }: { client: KitchenClient; entry: MenuEntry; level: any; rev: number }) {
  const [count, setCount] = useState("");
  const [busy, setBusy] = useState(false);
  const soldOut = entry.soldOut || level?.soldOut === true;
  const remaining: number = typeof level?.remaining === "number" ? level.remaining : -1;
  const inputId = `count-${entry.id}`;
  const send = async (fields: { soldOut: boolean; remaining: number | null }): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    try {
      const reply = await client.command("menu.stock", { menuId: entry.id, ...fields });
      if (!reply.ok) toast(refusalText(reply.error.code), "error");
      return reply.ok;
    } catch (failure) {
      toast(refusalText(failure instanceof ClientError ? failure.code : undefined), "error");
      return false;
    } finally {
      setBusy(false);
    }
  };
  const stateClass = soldOut ? "out" : remaining >= 0 && remaining <= lowAt ? "low" : "";
  return (
    <tr data-menu-id={entry.id} data-stock-state={soldOut ? "sold-out" : "available"} class={soldOut ? "sold-out" : ""}>
      <th scope="row">{entry.name}</th>
      <td>{won(entry.price)}</td>
      <td><span class={`stock-state ${stateClass}`}>{entry.soldOut ? t("configSoldOut") : soldOut ? t("soldOut") : remaining >= 0 ? t("remaining", { n: remaining }) : t("available")}</span></td>
      <td><div class="row-actions">
        {!entry.soldOut && (
          <>
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
          </>
        )}
      </div></td>
    </tr>
  );
}
