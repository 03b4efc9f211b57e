import type { WireErrorCode } from "../protocol/index.ts";

/**
 * Why the library could not give a command its reply or a room its connection. A command that
 * rejects with one of these may or may not have run on the server: send the same cmdId again.
 */
export type ClientErrorCode =
  /** leave() was called, or the client gave up rejoining. */
  | "CLIENT_LEFT"
  /** Every attempt of a command timed out (commandAttemptsMax). */
  | "COMMAND_TIMEOUT"
  /** The server refused the join (bad token, forbidden, unknown table…); `wireCode` says which. */
  | "JOIN_REFUSED"
  /** The server could not be reached, or the room closed before its first state. */
  | "JOIN_FAILED"
  /** A join attempt got no room and state within joinTimeoutMs. */
  | "JOIN_TIMEOUT"
  /** The SDK failed a request for a reason other than the link (a server fault). */
  | "REQUEST_FAILED";

export class ClientError extends Error {
  override readonly name = "ClientError";
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** For JOIN_REFUSED: the server's wire code and HTTP-like status, when it sent them. */
    readonly wireCode?: WireErrorCode | (string & {}),
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A refused join from the SDK (`MatchMakeError`/`ServerError` with a numeric code) as a ClientError. */
export function joinRefusal(error: unknown): ClientError {
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof (error as { code?: unknown } | null)?.code === "number" ? ((error as { code: number }).code) : undefined;
  // rooms/join-auth.ts words every refusal "CODE: message".
  const wireCode = /^([A-Z][A-Z_]+): /.exec(message)?.[1];
  return new ClientError("JOIN_REFUSED", message, wireCode, status);
}

/**
 * Refusals that another attempt cannot fix: a bad or expired token (401), a forbidden room (403),
 * bad options (400), an unknown store or table (404), onAuth false (525). Anything else (server
 * down, restarting, table momentarily full) is worth retrying.
 */
export function isPermanentRefusal(error: ClientError): boolean {
  return error.code === "JOIN_REFUSED" && error.status !== undefined && [400, 401, 403, 404, 525].includes(error.status);
}
