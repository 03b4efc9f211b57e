import { ApiError, exchangeQrToken, type CustomerSession } from "../../../clients/api.ts";

/** GET /api/qr/menu (docs/PROTOCOL.md §1.3; server/qr/guest-menu.ts). */
export interface GuestOption { readonly id: string; readonly name: string; readonly priceDelta: number }
export interface GuestOptionGroup { readonly id: string; readonly name: string; readonly minSelect: number; readonly maxSelect: number; readonly choices: readonly GuestOption[] }
export interface GuestMenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly category: string | null;
  readonly soldOut: boolean;
  readonly optionGroups: readonly GuestOptionGroup[];
}
export interface GuestMenu {
  readonly storeId: string;
  readonly storeName: string;
  readonly qrPayment: "after" | "before" | "either";
  readonly menu: readonly GuestMenuItem[];
}

export interface Admission {
  readonly session: CustomerSession;
  readonly menu: GuestMenu;
}

/** The table token is the last path segment of the QR link `/q/<table token>`. */
export function tableTokenFromPath(pathname: string): string {
  const segment = pathname.replace(/^\/q\//, "").split("/")[0] ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return ""; // a stray "%": shown as a dead link, not a blank page
  }
}

const storageKey = (tableToken: string) => `qr-customer:${tableToken}`;

function remembered(tableToken: string): CustomerSession | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey(tableToken)) ?? "null") as CustomerSession | null;
    if (!saved || Date.parse(saved.expiresAt) <= Date.now()) return null;
    return { ...saved, endpoint: location.origin };
  } catch {
    return null;
  }
}

/** The customer token is dead (session over): the next load exchanges the table token again. */
export function forget(tableToken: string): void {
  sessionStorage.removeItem(storageKey(tableToken));
}

/**
 * The phone's customer session and menu. A reload reuses the customer token kept for this table
 * token (no second exchange); a token whose session ended (401) is exchanged again once.
 * Throws ApiError: UNAUTHORIZED (forged, rotated, unknown link), NO_SESSION, RATE_LIMITED, NETWORK …
 */
export async function admit(tableToken: string): Promise<Admission> {
  const kept = remembered(tableToken);
  if (kept) {
    try {
      return { session: kept, menu: await fetchMenu(kept) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      forget(tableToken);
    }
  }
  const session = await exchangeQrToken(location.origin, tableToken);
  const { endpoint: _endpoint, ...saved } = session;
  sessionStorage.setItem(storageKey(tableToken), JSON.stringify(saved));
  return { session, menu: await fetchMenu(session) };
}

async function fetchMenu(session: CustomerSession): Promise<GuestMenu> {
  let response: Response;
  try {
    response = await fetch(`${session.endpoint}/api/qr/menu`, { headers: { authorization: `Bearer ${session.token}` } });
  } catch (error) {
    throw new ApiError("NETWORK", String(error), 0);
  }
  const body = (await response.json().catch(() => null)) as { ok: true; data: GuestMenu } | { ok: false; error: { code: string; message: string } } | null;
  if (body?.ok === true) return body.data;
  throw new ApiError(body?.ok === false ? body.error.code : `HTTP_${response.status}`, body?.ok === false ? body.error.message : "menu", response.status);
}
