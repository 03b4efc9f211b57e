import { ApiError, postJson, type StaffSession } from "../../../clients/api.ts";
import { signOut } from "../shared/session.ts";
import { fetchJson } from "../shared/fetch-json.ts";

/** GET with the admin's token (the shared unwrapping); an expired token signs the admin out. */
export async function getJson<T>(session: StaffSession, path: string): Promise<T> {
  try {
    return await fetchJson<T>(session, path);
  } catch (error) {
    throw error instanceof ApiError ? expired(error) : error;
  }
}

export async function post<T>(session: StaffSession, path: string, body: unknown): Promise<T> {
  try {
    return await postJson<T>(session.endpoint, path, body, session.token);
  } catch (error) {
    throw error instanceof ApiError ? expired(error) : error;
  }
}

/**
 * A non-JSON answer (CSV, the printable QR sheet) as a Blob. These routes need the bearer header,
 * so a plain link cannot open them: the page fetches them and hands the browser a blob: URL.
 */
export async function getBlob(session: StaffSession, path: string): Promise<Blob> {
  const response = await authorizedFetch(session, path);
  if (response.ok) return response.blob();
  const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  throw expired(new ApiError(body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? path, response.status));
}

async function authorizedFetch(session: StaffSession, path: string): Promise<Response> {
  try {
    return await fetch(`${session.endpoint}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  } catch (error) {
    throw new ApiError("NETWORK", String(error), 0);
  }
}

/** An expired token sends the admin back to the sign-in form. */
function expired(error: ApiError): ApiError {
  if (error.code === "UNAUTHORIZED") signOut();
  return error;
}
