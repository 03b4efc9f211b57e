import { useEffect, useState } from "preact/hooks";
import type { CustomerSession } from "../../../clients/api.ts";
import type { CommandTypeOf } from "../../../clients/commands.ts";
import { joinTable } from "../../../clients/room-client.ts";
import type { Reply } from "../../../protocol/reply.ts";
import { ConnectionStatusBadge } from "../shared/connection-status.tsx";
import { useRoom } from "../shared/use-room.ts";
import type { GuestMenu, GuestMenuItem } from "./access.ts";
import { BillView } from "./bill-view.tsx";
import { CartView, type CartLine, type Sent } from "./cart-view.tsx";
import { MenuView } from "./menu-view.tsx";
import { failureText, refusalText } from "./refusals.ts";
import { StaffCallButton } from "./staff-call.tsx";
import { t } from "./texts.ts";

/** Close code of a phone whose table's session ended (docs/PROTOCOL.md §5.0). */
const sessionEndedCode = 4401;
type Tab = "menu" | "cart" | "bill";
type Notice = { readonly kind: "error" | "info"; readonly text: string } | null;

/** The joined table: menu, own cart, bill, staff call; `onFinished` when the session ends. */
export function TablePage({ session, menu, onFinished, onRefused }: { session: CustomerSession; menu: GuestMenu; onFinished(): void; onRefused(error: unknown): void }) {
  const { client, state, status, error } = useRoom(() => joinTable(session, { storeId: session.storeId, tableId: session.tableId }), session.token);
  const [tab, setTab] = useState<Tab>("menu");
  const [busy, setBusy] = useState<"" | "confirm" | "pay" | "edit">("");
  const [sent, setSent] = useState<Sent | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  useEffect(() => void (error && onRefused(error)), [error]);
  useEffect(() => {
    if (!client) return;
    const watch = () => client.room.onLeave((code: number) => code === sessionEndedCode && onFinished());
    watch();
    // Only a fresh join brings a new Room; the SDK's own reconnection keeps this one's handlers.
    return client.onReconnected(({ fresh }) => fresh && watch());
  }, [client]);
  const over = state?.status === "closed" || state?.status === "cancelled";
  useEffect(() => void (over && onFinished()), [over]);

  const cart = state?.carts?.get(session.customerId);
  const lines = [...(cart?.lines?.values() ?? [])] as CartLine[];
  const totalWon: number = cart?.totalWon ?? 0;

  /** One command: its refusal in words, true when it went through. */
  async function run(kind: typeof busy, type: CommandTypeOf<"table">, fields: Record<string, unknown>): Promise<any> {
    if (!client) return null;
    setBusy(kind);
    setNotice(null);
    try {
      // The fields are built per command below; the server's schema is the judge of them.
      const reply = await (client.command as unknown as (type: string, fields: Record<string, unknown>) => Promise<Reply<any>>)(type, fields);
      if (!reply.ok) return void setNotice({ kind: "error", text: refusalText(reply.error) });
      return reply.data;
    } catch (failure) {
      setNotice({ kind: "error", text: failureText(failure) });
      return null;
    } finally {
      setBusy("");
    }
  }

  async function add(item: GuestMenuItem, optionIds: string[], quantity: number): Promise<boolean> {
    const data = await run("edit", "cart.add", { menuId: item.id, quantity, ...(optionIds.length > 0 ? { optionIds } : {}) });
    if (data) {
      setSent(null);
      setNotice({ kind: "info", text: t("added", { name: item.name }) });
    }
    return Boolean(data);
  }

  async function send(pay: boolean, shownTotalWon: number) {
    const data = await run(pay ? "pay" : "confirm", pay ? "cart.pay" : "cart.confirm", pay ? { method: "card", expectedTotalWon: shownTotalWon } : {});
    if (data) setSent({ batchNo: data.batchNo, totalWon: data.totalWon, paid: pay });
  }

  return (
    <>
      <header class="top">
        <h1>{state?.tableName || session.tableName} <span class="store">{menu.storeName}</span></h1>
        <div class="tools">
          <ConnectionStatusBadge status={status} />
          <StaffCallButton client={client} />
        </div>
      </header>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
          {notice.text} <button type="button" class="dismiss" onClick={() => setNotice(null)} aria-label={t("close")}>×</button>
        </p>
      )}
      <main>
        {!state ? <p>{t("loading")}</p> : tab === "menu" ? <MenuView menu={menu.menu} stock={state.stock} onAdd={add} />
          : tab === "cart" ? (
            <CartView lines={lines} totalWon={totalWon} qrPayment={menu.qrPayment} busy={busy} sent={sent}
              onRemove={(lineId) => void run("edit", "cart.remove", { lineId })} onClear={() => void run("edit", "cart.clear", {})}
              onConfirm={() => void send(false, totalWon)} onPay={(shown) => void send(true, shown)} onSeeBill={() => setTab("bill")} />
          ) : <BillView state={state} />}
      </main>
      <nav class="tabs" aria-label={t("tabs")}>
        {(["menu", "cart", "bill"] as const).map((name) => (
          <button key={name} type="button" aria-current={tab === name ? "page" : undefined} data-tab={name} onClick={() => { setTab(name); setNotice(null); }}>
            {t(name === "menu" ? "tabMenu" : name === "cart" ? "tabCart" : "tabBill")}
            {name === "cart" && lines.length > 0 && <span class="count"> {lines.reduce((n, l) => n + l.quantity, 0)}</span>}
          </button>
        ))}
      </nav>
    </>
  );
}
