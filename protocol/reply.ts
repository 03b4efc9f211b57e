import type { WireError } from "./codes.ts";

/** Exactly one of these answers every command (the wire contract). */
export type Reply<T = unknown> =
  | { readonly cmdId: string; readonly ok: true; readonly data: T }
  | { readonly cmdId: string; readonly ok: false; readonly error: WireError };

export function okReply<T>(cmdId: string, data: T): Reply<T> {
  return { cmdId, ok: true, data };
}

export function errorReply(cmdId: string, error: WireError): Reply<never> {
  return { cmdId, ok: false, error };
}
