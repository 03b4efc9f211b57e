import { ApiError, type StaffSession } from "../../../clients/api.ts";

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
}

/** GET /api/stores/:storeId/menu with the staff token (docs/PROTOCOL.md §1.3). */
export async function fetchStoreMenu(session: StaffSession): Promise<StoreMenu> {
  let response: Response;
  try {
    response = await fetch(`${session.endpoint}/api/stores/${encodeURIComponent(session.storeId)}/menu`, { headers: { authorization: `Bearer ${session.token}` } });
  } catch (error) {
    throw new ApiError("NETWORK", String(error), 0);
  }
  const body = (await response.json().catch(() => null)) as { ok: true; data: StoreMenu } | { ok: false; error: { code: string; message: string } } | null;
  if (body?.ok) return body.data;
  throw new ApiError(body?.error.code ?? `HTTP_${response.status}`, body?.error.message ?? "menu", response.status);
}

/** Headings in menu order; items without one go under "" (shown as 전체 only). */
export function categoriesOf(menu: StoreMenu): string[] {
  return [...new Set(menu.menu.map((m) => m.category ?? "").filter((c) => c !== ""))];
}
