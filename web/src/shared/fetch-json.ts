import { ApiError, type StaffSession } from "../../../clients/api.ts";

/**
 * GET a JSON route of the server with the staff token; `{ ok: true, data }` → data, anything else →
 * ApiError with the wire code (`NETWORK` when the request never got an answer).
 */
export async function fetchJson<T>(session: Pick<StaffSession, "endpoint" | "token">, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${session.endpoint}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  } catch (error) {
    throw new ApiError("NETWORK", String(error), 0);
  }
  const body = (await response.json().catch(() => null)) as { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } } | null;
  if (body?.ok) return body.data;
  throw new ApiError(body?.error.code ?? `HTTP_${response.status}`, body?.error.message ?? path, response.status, body?.error.details);
}
