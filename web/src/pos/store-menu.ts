import type { StaffSession } from "../../../clients/api.ts";
import { fetchJson } from "../shared/fetch-json.ts";

export interface OptionChoice { readonly id: string; readonly name: string; readonly priceDelta: number }
export interface OptionGroup { readonly id: string; readonly name: string; readonly minSelect: number; readonly maxSelect: number; readonly choices: readonly OptionChoice[] }
export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly stationId: string;
  readonly soldOut: boolean;
  readonly optionGroups: readonly OptionGroup[];
  /** The item's heading (config `category`); absent on servers or items without one. */
  readonly category?: string | null;
}
export interface StoreMenu {
  readonly storeId: string;
  readonly name: string;
  readonly tables: readonly { readonly id: string; readonly name: string }[];
  readonly stations: readonly { readonly id: string; readonly name: string }[];
  readonly menu: readonly MenuItem[];
  /** The store's adjustment reasons (config `money.adjustmentReasons`); absent on an older server. */
  readonly adjustmentReasons?: readonly AdjustmentReason[];
  /** An adjustment above this needs an admin or a second person's PIN (PAYMENTS.md §2). */
  readonly approvalAboveWon?: number;
}
export interface AdjustmentReason { readonly code: string; readonly label: string }

/** GET /api/stores/:storeId/menu with the staff token (docs/PROTOCOL.md §1.3). */
export function fetchStoreMenu(session: StaffSession): Promise<StoreMenu> {
  return fetchJson<StoreMenu>(session, `/api/stores/${encodeURIComponent(session.storeId)}/menu`);
}

/** Headings in menu order; items without one go under "" (shown as 전체 only). */
export function categoriesOf(menu: StoreMenu): string[] {
  return [...new Set(menu.menu.map((m) => m.category ?? "").filter((c) => c !== ""))];
}
