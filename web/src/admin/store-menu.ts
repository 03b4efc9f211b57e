import type { StaffSession } from "../../../clients/api.ts";
import { getJson } from "./http.ts";

export interface MenuEntry { readonly id: string; readonly name: string; readonly price: number; readonly stationId: string; readonly soldOut: boolean }
export interface StoreMenu {
  readonly storeId: string;
  readonly name: string;
  readonly tables: readonly { readonly id: string; readonly name: string }[];
  readonly stations: readonly { readonly id: string; readonly name: string }[];
  readonly menu: readonly MenuEntry[];
}

let cached: Promise<StoreMenu> | null = null;
let cachedFor = "";

/** GET /api/stores/:storeId/menu, once per sign-in (the menu is fixed at server start). */
export function storeMenu(session: StaffSession): Promise<StoreMenu> {
  if (!cached || cachedFor !== session.token) {
    cachedFor = session.token;
    cached = getJson<StoreMenu>(session, `/api/stores/${encodeURIComponent(session.storeId)}/menu`);
    cached.catch(() => (cached = null));
  }
  return cached;
}

export function tableName(menu: StoreMenu | null, tableId: string): string {
  return menu?.tables.find((t) => t.id === tableId)?.name ?? tableId;
}
