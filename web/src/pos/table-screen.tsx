import { newUuid } from "../../../clients/ids.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import { joinTable } from "../../../clients/room-client.ts";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { useRoom } from "../shared/use-room.ts";
import { now, startClock } from "./clock.ts";
import { ConflictPanel, conflictOf, type Conflict } from "./conflict-panel.tsx";
import { addedOptionNames, DraftPanel, draftLinesOf, type DraftView } from "./draft-panel.tsx";
import { LeaveDialog } from "./leave-dialog.tsx";
import { LockBar } from "./lock-bar.tsx";
import { MenuPanel, type NewLine } from "./menu-panel.tsx";
import { showFloor } from "./nav.ts";
import { watchNotices } from "./notices.ts";
import { OfflineBanner } from "./offline-banner.tsx";
import { confirmLines, offlineLine, withQuantity, type OfflineLine } from "./offline-lines.ts";
import { OrderList } from "./order-list.tsx";
import { PaymentPanel } from "./payment-panel.tsx";
import { clockTime, refusalText, type Refusal } from "./refusals.ts";
import { SeatPanel } from "./seat-panel.tsx";
import type { StoreMenu } from "./store-menu.ts";
import { commandRunner, decidedOn, itemNameOf, liveLock, type TableCtx } from "./table-context.ts";
import { statusKey } from "./table-tile.tsx";
import { TopBar } from "./top-bar.tsx";
import { t } from "./texts.ts";
import { browserOnline, entryWords, useOfflineQueue } from "./use-offline-queue.ts";

const seatedStatuses = new Set(["open", "in_kitchen", "paying", "timed_out"]);

/**
 * One table (R-UI-1..3): seat, order from the menu into the shared draft (shown as draft), send it,
 * follow the kitchen, cancel or change with a reason, take payment. Works on while offline for
 * orders and cash (R-OFF-2).
 */
export function TableScreen({ session, menu, tableId }: { session: StaffSession; menu: StoreMenu; tableId: string }) {
  const tableName = menu.tables.find((table) => table.id === tableId)?.name ?? tableId;
  const view = useRoom(() => joinTable(session, { storeId: session.storeId, tableId }), `table:${session.token}:${tableId}`);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [panel, setPanel] = useState<"menu" | "pay">("menu");
  const [leaving, setLeaving] = useState(false);
  const [offlineLines, setOfflineLines] = useState<readonly OfflineLine[]>([]);
  const [busy, setBusy] = useState(false);
  const [, namesAdded] = useState(0);
  const online = view.status === "online" && browserOnline.value;
  const describe = (entry: Parameters<typeof entryWords>[0]) => entryWords(entry, won, clockTime);
  const queue = useOfflineQueue(session, tableId, view.client, online, describe);
  const state = view.state;
  useEffect(startClock, []);
  useEffect(() => (view.client ? watchNotices(view.client, (id) => menu.tables.find((table) => table.id === id)?.name ?? id) : undefined), [view.client]);
  useCancelToasts(state, view.revision, tableName);
  const draft = draftLinesOf(state);
  const unsent = draft.length + offlineLines.length;
  useEffect(() => {
    if (unsent === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsent > 0]);

  if (view.error) {
    const code = view.error instanceof ClientError ? view.error.wireCode ?? view.error.code : undefined;
    return (
      <main class="pos-message">
        <h1>{tableName}</h1>
        <p role="alert" class="error">{refusalText(String(code ?? ""))}</p>
        <button type="button" onClick={showFloor}>{t("back")}</button>
      </main>
    );
  }
  const client = view.client;
  if (!state || !client) return <main class="pos-message"><h1>{tableName}</h1><p>{t("loading")}</p></main>;

  const refuse = (r: Refusal) => {
    if (r.code === "VERSION_CONFLICT") {
      setRefusal(null);
      return setConflict(conflictOf(r.details));
    }
    setRefusal(refusalText(r));
  };
  const run = commandRunner(client, refuse);
  const ctx: TableCtx = {
    session, menu, client, state, online, tableName, queue, refuse,
    run: ((type, fields) => {
      setRefusal(null);
      return run(type, fields);
    }) as TableCtx["run"],
  };
  const seated = seatedStatuses.has(state.status);
  const status = statusKey(state.status);

  const addLine = async (line: NewLine) => {
    const plain = line.optionIds.length === 0 && line.note === "";
    if (!online) {
      const same = plain ? offlineLines.find((l) => l.menuId === line.menuId && l.optionIds.length === 0 && !l.note) : undefined;
      setOfflineLines(same ? offlineLines.map((l) => (l === same ? withQuantity(l, Math.min(99, l.quantity + line.quantity)) : l)) : [...offlineLines, offlineLine(menu, line, newUuid())]);
      return;
    }
    // One more of a plain item raises its line (Odoo's habit) rather than adding a twin line.
    const same = plain ? [...state.draft.values()].find((l: any) => l.menuId === line.menuId && l.optionIds.length === 0 && !addedOptionNames.has(l.lineId) && !l.note) : undefined;
    if (same) return void ctx.run("draft.change", { lineId: same.lineId, quantity: Math.min(99, Number(same.quantity) + line.quantity) });
    const added = await ctx.run<{ lineId: string }>("draft.add", { menuId: line.menuId, quantity: line.quantity, ...(line.optionIds.length ? { optionIds: [...line.optionIds] } : {}), ...(line.note ? { note: line.note } : {}) });
    if (added && line.optionIds.length > 0) {
      addedOptionNames.set(added.lineId, offlineLine(menu, line, added.lineId).optionNames);
      namesAdded((n) => n + 1);
    }
  };
  const changeDraft = (line: DraftView, quantity: number) => void ctx.run("draft.change", { lineId: line.lineId, quantity });
  const removeDraft = (line: DraftView) => void ctx.run("draft.remove", { lineId: line.lineId });
  const send = async (): Promise<boolean> => {
    setBusy(true);
    try {
      // Exactly the draft this screen shows (draftVersion), on the session it saw (expectedVersion).
      const sent = await ctx.run<{ batchNo: number }>("confirm", { draftVersion: state.draftVersion, ...decidedOn(state) });
      if (sent) toast(t("sent", { n: sent.batchNo }));
      return sent !== null;
    } finally {
      setBusy(false);
    }
  };
  const keepOffline = async (): Promise<boolean> => {
    if (offlineLines.length === 0) return true;
    const kept = await queue.enqueue({ type: "confirm", lines: confirmLines(offlineLines) });
    if (kept) {
      setOfflineLines([]);
      toast(t("queuedSaved"));
    }
    return kept;
  };
  const openPanel = async (next: "menu" | "pay") => {
    setPanel(next);
    const lock = liveLock(state, now.value);
    const mine = lock?.holderTerminal === client.room.sessionId;
    // R-CON-1: paying is done under the table's edit lock, so nobody changes the bill meanwhile.
    if (next === "pay" && online && !mine && seated) await ctx.run("lock.take", { reason: "payment" });
    if (next === "menu" && mine) await ctx.run("lock.release", {});
  };
  const back = () => (unsent > 0 ? setLeaving(true) : showFloor());
  const closed = () => {
    toast(t("tableClosed", { table: tableName }));
    showFloor();
  };

  return (
    <div class="pos-screen table-screen" data-table-id={tableId}>
      <TopBar session={session} status={online ? view.status : "reconnecting"}>
        <button type="button" class="back" data-action="back" onClick={back}>{t("back")}</button>
        <h1>{tableName}</h1>
        <span class={`table-status status-${status}`} data-status={status}>{t(`status_${status}`)}</span>
        {seated && <span class="guests">{t("guests", { n: Number(state.guests) })}</span>}
        <LockBar ctx={ctx} rev={view.revision} />
      </TopBar>
      <OfflineBanner online={online} queue={queue} describe={describe} />
      {refusal && (
        <p class="refusal" role="alert" data-refusal>
          {refusal} <button type="button" onClick={() => setRefusal(null)}>{t("close")}</button>
        </p>
      )}
      {conflict && <ConflictPanel conflict={conflict} itemName={(id) => itemNameOf(state, id)} onDismiss={() => setConflict(null)} />}
      <div class="table-body">
        <div class="bill-side">
          {online && <DraftPanel lines={draft} offline={false} busy={busy} onQuantity={changeDraft} onRemove={removeDraft} onSend={() => void send()} />}
          {/* Lines tapped offline stay until saved to the queue, even if the link came back first. */}
          {(!online || offlineLines.length > 0) && <DraftPanel lines={offlineLines} offline busy={busy} onRemove={(l) => setOfflineLines(offlineLines.filter((x) => x.lineId !== l.lineId))}
            onQuantity={(l, q) => setOfflineLines(offlineLines.map((x) => (x.lineId === l.lineId ? withQuantity(x, q) : x)))} onSend={() => void keepOffline()} />}
          {seated && <OrderList ctx={ctx} rev={view.revision} />}
        </div>
        <div class="action-side">
          {!seated ? <SeatPanel ctx={ctx} rev={view.revision} /> : (
            <>
              <div class="tabs" role="group">
                <button type="button" class={panel === "menu" ? "tab on" : "tab"} aria-pressed={panel === "menu"} data-action="show-menu" onClick={() => void openPanel("menu")}>{t("menu")}</button>
                <button type="button" class={panel === "pay" ? "tab on" : "tab"} aria-pressed={panel === "pay"} data-action="show-payment" onClick={() => void openPanel("pay")}>{t("pay")} · {won(Number(state.outstandingWon))}</button>
              </div>
              {panel === "pay" ? <PaymentPanel ctx={ctx} rev={view.revision} onClosed={closed} />
                : state.status === "timed_out" ? <SeatPanel ctx={ctx} rev={view.revision} />
                : <MenuPanel menu={menu} stock={state.stock} rev={view.revision} disabled={busy} onAdd={(line) => void addLine(line)} />}
            </>
          )}
        </div>
      </div>
      {leaving && (
        <LeaveDialog count={draft.reduce((n, l) => n + l.quantity, 0) + offlineLines.reduce((n, l) => n + l.quantity, 0)} online={online}
          onStay={() => setLeaving(false)}
          onSend={async () => {
            // Offline lines go to the queue first (never lost), then the room's draft if it can be sent.
            if ((await keepOffline()) && (!online || draft.length === 0 || (await send()))) showFloor();
            else setLeaving(false);
          }}
          onDiscard={async () => {
            if (online && draft.length > 0) await ctx.run("draft.clear", {});
            setOfflineLines([]);
            showFloor();
          }} />
      )}
    </div>
  );
}

/** R-UI-4: a cancel (from this terminal or any other) shows as a toast once. */
function useCancelToasts(state: any, revision: number, tableName: string): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!state) return;
    const cancelled = [...state.items.values()].filter((i: any) => i.state === "cancelled");
    if (seen.current === null) {
      seen.current = new Set(cancelled.map((i: any) => i.itemId));
      return;
    }
    for (const item of cancelled) {
      if (seen.current.has(item.itemId)) continue;
      seen.current.add(item.itemId);
      // A quantity change cancels the old line too; its own toast says so.
      if (!item.replacedByItemId) toast(t("cancelledToast", { name: item.name, n: item.quantity, table: tableName }), "warn");
    }
  }, [revision, state]);
}

