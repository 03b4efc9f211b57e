import type { WireErrorCode } from "../protocol/index.ts";

/**
 * The HTTP side of the server for clients: login and the QR token exchange. Browser-safe: only
 * `fetch` (Node 20+ and every browser have it).
 */

/** A refusal or failure of an HTTP call; `code` is the server's stable wire code (docs/PROTOCOL.md). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    /** A wire code, or "HTTP_<status>" / "NETWORK" when the server did not answer with one. */
    readonly code: WireErrorCode | (string & {}),
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  staffId: string;
  storeId: string;
  role: string;
  name: string;
}

/** A login plus where it is valid: what `joinTable` and friends take. */
export interface StaffSession extends LoginResult {
  readonly endpoint: string;
}

/** What a phone gets for the table token in its QR code (POST /api/qr/session). */
export interface CustomerSession {
  readonly endpoint: string;
  readonly token: string;
  readonly expiresAt: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly tableName: string;
  readonly sessionId: string;
  readonly customerId: string;
}

type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** POST a JSON body and unwrap the server's `{ ok, data | error }` envelope; throws ApiError. */
export async function postJson<T>(endpoint: string, path: string, body: unknown, token?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError("NETWORK", `${path}: ${error instanceof Error ? error.message : String(error)}`, 0);
  }
  let envelope: Envelope<T> | undefined;
  try {
    envelope = (await response.json()) as Envelope<T>;
  } catch {
    envelope = undefined;
  }
  if (envelope?.ok === true) return envelope.data;
  if (envelope?.ok === false && envelope.error) throw new ApiError(envelope.error.code, envelope.error.message, response.status, envelope.error.details);
  throw new ApiError(`HTTP_${response.status}`, `${path}: HTTP ${response.status} without a wire reply`, response.status);
}

/** Logs in over HTTP (POST /api/auth/login); throws ApiError with the server's code on refusal. */
export async function login(endpoint: string, storeId: string, staffId: string, pin: string): Promise<LoginResult> {
  return postJson<LoginResult>(endpoint, "/api/auth/login", { storeId, staffId, pin });
}

/** `login`, remembering the endpoint, so the result can be handed to `joinTable`. */
export async function staffLogin(endpoint: string, storeId: string, staffId: string, pin: string): Promise<StaffSession> {
  return { ...(await login(endpoint, storeId, staffId, pin)), endpoint };
}

/** Exchanges the table token of a QR code for a customer token bound to the table's live session. */
export async function exchangeQrToken(endpoint: string, tableToken: string): Promise<CustomerSession> {
  return { ...(await postJson<Omit<CustomerSession, "endpoint">>(endpoint, "/api/qr/session", { tableToken })), endpoint };
}
