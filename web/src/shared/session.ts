import { signal } from "@preact/signals";
import { staffLogin, type StaffSession } from "../../../clients/api.ts";

/**
 * The signed-in staff member of this tab. Kept in sessionStorage: a reload keeps the login, a
 * new tab or a closed browser asks again (shared tablets). The token is the server's JWT.
 */
const key = "staff-session";

function restore(): StaffSession | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? "null") as StaffSession | null;
    if (!saved || Date.parse(saved.expiresAt) <= Date.now()) return null;
    return { ...saved, endpoint: location.origin };
  } catch {
    return null;
  }
}

export const staffSession = signal<StaffSession | null>(typeof sessionStorage === "undefined" ? null : restore());

export async function signIn(storeId: string, staffId: string, pin: string): Promise<StaffSession> {
  const session = await staffLogin(location.origin, storeId, staffId, pin);
  sessionStorage.setItem(key, JSON.stringify(session));
  staffSession.value = session;
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(key);
  staffSession.value = null;
}
