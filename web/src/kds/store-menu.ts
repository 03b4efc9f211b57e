import type { StaffSession } from "../../../clients/api.ts";
import { fetchJson } from "../shared/fetch-json.ts";

export interface Station { readonly id: string; readonly name: string }
export interface MenuEntry { readonly id: string; readonly name: string; readonly stationId: string; readonly soldOut: boolean }
export interface StoreMenu {
  readonly storeId: string;
  readonly name: string;
  readonly stations: readonly Station[];
  readonly menu: readonly MenuEntry[];
}

/** GET /api/stores/:storeId/menu (docs/PROTOCOL.md §1.3): the stations to choose from and the items to 86. */
export function fetchStoreMenu(session: StaffSession): Promise<StoreMenu> {
  return fetchJson<StoreMenu>(session, `/api/stores/${encodeURIComponent(session.storeId)}/menu`);
}
