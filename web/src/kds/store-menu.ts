import { ApiError, type StaffSession } from "../../../clients/api.ts";

export interface Station { readonly id: string; readonly name: string }
export interface MenuEntry { readonly id: string; readonly name: string; readonly stationId: string; readonly soldOut: boolean }
export interface StoreMenu {
  readonly storeId: string;
  readonly name: string;
  readonly stations: readonly Station[];
  readonly menu: readonly MenuEntry[];
}

/** GET /api/stores/:storeId/menu (docs/PROTOCOL.md §1.3): the stations to choose from and the items to 86. */
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
