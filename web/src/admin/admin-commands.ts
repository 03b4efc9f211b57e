import { signal } from "@preact/signals";
import type { AdminClient } from "../../../clients/room-client.ts";
import { ClientError } from "../../../clients/client-error.ts";
import type { CommandArgs, CommandFields, CommandTypeOf, ReplyData } from "../../../clients/commands.ts";
import { toast } from "../shared/toasts.tsx";
import { refusalText } from "./refusals.ts";

type AdminType = CommandTypeOf<"admin">;

/** Buttons whose command is in flight (keyed by the caller), so a double tap sends one command. */
export const inFlight = signal<ReadonlySet<string>>(new Set());

function mark(key: string, on: boolean): void {
  const next = new Set(inFlight.value);
  if (on) next.add(key);
  else next.delete(key);
  inFlight.value = next;
}

/**
 * One admin-room command through the client library (one cmdId, replayed across drops); a
 * refusal is toasted in words. Resolves with the reply data, or null when refused.
 */
export async function sendAdmin<T extends AdminType>(client: AdminClient, key: string, type: T, ...args: CommandArgs<"admin", T>): Promise<ReplyData | null> {
  if (inFlight.value.has(key)) return null;
  mark(key, true);
  try {
    const reply = await client.command(type, ...args);
    if (reply.ok) return reply.data;
    toast(refusalText(reply.error.code), "error");
    return null;
  } catch (failure) {
    toast(refusalText(failure instanceof ClientError ? failure.code : undefined), "error");
    return null;
  } finally {
    mark(key, false);
  }
}

export type AdminFields<T extends AdminType> = CommandFields<"admin", T>;
