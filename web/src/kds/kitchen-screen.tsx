import { useEffect } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import { joinKitchenRoom } from "../../../clients/room-client.ts";
import { ConnectionStatusBadge } from "../shared/connection-status.tsx";
import { signOut } from "../shared/session.ts";
import { Toasts } from "../shared/toasts.tsx";
import { useRoom } from "../shared/use-room.ts";
import { AllDayPanel } from "./all-day-panel.tsx";
import { HeartbeatBadge } from "./heartbeat-badge.tsx";
import { LangSwitch } from "./lang-switch.tsx";
import { RecallButton } from "./recall.tsx";
import { refusalText } from "./refusals.ts";
import { StockPanel } from "./stock-panel.tsx";
import type { StoreMenu } from "./store-menu.ts";
import { TicketCard } from "./ticket-card.tsx";
import { t } from "./texts.ts";
import { startClock } from "./urgency.ts";

/** Oldest first: the ticket waiting longest is the one to cook next. */
function byAge(a: any, b: any): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.ticketId < b.ticketId ? -1 : 1;
}

/**
 * The signed-in kitchen screen of one station (or all): tickets, all-day counts, 86. `rev` (the
 * room's patch count) goes to every child that reads the state: the state is mutated in place, and
 * a component that reads a signal skips a re-render when its props are the same.
 */
export function KitchenScreen({ session, menu, stationId, onChangeStation }: { session: StaffSession; menu: StoreMenu; stationId: string; onChangeStation: () => void }) {
  const view = useRoom(() => joinKitchenRoom(session, { storeId: session.storeId, stationId }), `${session.token}:${stationId}`);
  useEffect(startClock, []);
  const stationName = stationId === "all" ? t("allStations") : menu.stations.find((s) => s.id === stationId)?.name ?? stationId;

  if (view.error) {
    const code = view.error instanceof ClientError ? view.error.wireCode ?? view.error.code : undefined;
    const expired = code === "UNAUTHORIZED";
    return (
      <main class="kds-message">
        <h1>{t("joinFailed")}</h1>
        <p role="alert" class="error">{refusalText(code)}</p>
        {expired ? <button type="button" class="primary" onClick={signOut}>{t("signInAgain")}</button> : <button type="button" onClick={() => location.reload()}>{t("retry")}</button>}
      </main>
    );
  }
  const state = view.state;
  const client = view.client;
  if (!state || !client) {
    return (
      <main class="kds-message">
        <h1>{t("title")} · {stationName}</h1>
        <p><ConnectionStatusBadge status={view.status} /> {t("loading")}</p>
      </main>
    );
  }

  const tickets = [...state.tickets.values()].sort(byAge);
  const stationIds = stationId === "all" ? menu.stations.map((s) => s.id) : [stationId];
  const stockMenu = stationId === "all" ? menu.menu : menu.menu.filter((m) => m.stationId === stationId);
  const urgentAfterMinutes = Number(state.urgentAfterMinutes ?? 0);

  return (
    <div class="kds">
      <header class="kds-bar">
        <h1>{t("title")} · <span data-station-name>{stationName}</span></h1>
        <div class="kds-status">
          <ConnectionStatusBadge status={view.status} />
          <HeartbeatBadge kitchenOnline={state.kitchenOnline} stationIds={stationIds} rev={view.revision} />
        </div>
        <div class="kds-tools">
          <RecallButton client={client} bumped={[...state.bumped]} />
          <button type="button" data-action="change-station" onClick={onChangeStation}>{t("changeStation")}</button>
          <LangSwitch />
          <button type="button" data-action="sign-out" onClick={signOut}>{t("signOut")}</button>
        </div>
      </header>
      <main class="kds-main">
        <h2 class="visually-hidden">{t("tickets")}</h2>
        {tickets.length === 0 ? <p class="empty">{t("noTickets")}</p> : (
          <div class="ticket-grid">
            {tickets.map((ticket) => <TicketCard key={ticket.ticketId} client={client} ticket={ticket} urgentAfterMinutes={urgentAfterMinutes} rev={view.revision} />)}
          </div>
        )}
      </main>
      <aside class="kds-side">
        <AllDayPanel allDay={state.allDay} rev={view.revision} />
        <StockPanel client={client} menu={stockMenu} stock={state.stock} rev={view.revision} canEdit={session.role === "kitchen" || session.role === "admin"} />
      </aside>
      <Toasts closeLabel={t("close")} />
    </div>
  );
}
