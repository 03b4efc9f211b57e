import { useEffect } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import { ClientError } from "../../../clients/client-error.ts";
import { signOut } from "../shared/session.ts";
import type { RoomView } from "../shared/use-room.ts";
import { startClock } from "./clock.ts";
import { showTable } from "./nav.ts";
import { refusalText } from "./refusals.ts";
import type { StoreMenu } from "./store-menu.ts";
import { TableTile } from "./table-tile.tsx";
import { TopBar } from "./top-bar.tsx";
import { t } from "./texts.ts";

/**
 * The POS's first screen (R-UI-1): every table of the store as a big touch tile, from the `floor`
 * room. The room is joined for the whole signed-in life (app.tsx), so the floor keeps its marks
 * (staff calls, print failures) while a table is open, and comes back at once.
 */
export function FloorScreen({ session, menu, view }: { session: StaffSession; menu: StoreMenu; view: RoomView<"floor"> }) {
  useEffect(startClock, []);

  if (view.error) {
    const code = view.error instanceof ClientError ? view.error.wireCode ?? view.error.code : undefined;
    return (
      <main class="pos-message">
        <h1>{t("joinFailed")}</h1>
        <p role="alert" class="error">{refusalText(String(code ?? ""))}</p>
        {code === "UNAUTHORIZED" ? <button type="button" class="primary" onClick={signOut}>{t("signInAgain")}</button> : <button type="button" onClick={() => location.reload()}>{t("retry")}</button>}
      </main>
    );
  }
  const state = view.state;
  // Config order, not the map's: the floor should read like the room.
  const tables = menu.tables.map((table) => state?.tables.get(table.id)).filter(Boolean);
  return (
    <div class="pos-screen floor-screen">
      <TopBar session={session} status={view.status}>
        <h1>{menu.name} · {t("floor")}</h1>
      </TopBar>
      <main class="floor">
        <h2 class="visually-hidden">{t("tables")}</h2>
        {!state ? <p>{t("loading")}</p> : (
          <ul class="table-grid">
            {tables.map((table: any) => <li key={table.tableId}><TableTile table={table} rev={view.revision} onOpen={() => showTable(table.tableId)} /></li>)}
          </ul>
        )}
      </main>
    </div>
  );
}
