import { signal } from "@preact/signals";
import type { RoomName } from "../../../protocol/rooms.ts";
import type { RoomClient } from "../../../clients/room-client.ts";
import { ClientError } from "../../../clients/client-error.ts";
import type { CommandArgs, CommandTypeOf, ReplyData } from "../../../clients/commands.ts";
import { toast } from "./toasts.tsx";

/** Buttons whose command is in flight (keyed by the caller), so a double tap sends one command. */
export const inFlight = signal<ReadonlySet<string>>(new Set());

function mark(key: string, on: boolean): void {
  const next = new Set(inFlight.value);
  if (on) next.add(key);
  else next.delete(key);
  inFlight.value = next;
}

/**
 * One command through the client library (one cmdId, replayed across drops); a refusal is toasted
 * in the page's own words. Resolves with the reply data, or null when refused (or already in flight).
 */
export async function sendCommand<R extends RoomName, T extends CommandTypeOf<R>>(
  client: RoomClient<R>, key: string, words: (code: string | undefined) => string, type: T, ...args: CommandArgs<R, T>
): Promise<ReplyData | null> {
  if (inFlight.value.has(key)) return null;
  mark(key, true);
  try {
    const reply = await client.command(type, ...args);
    if (reply.ok) return reply.data;
    toast(words(reply.error.code), "error");
    return null;
  } catch (failure) {
    toast(words(failure instanceof ClientError ? failure.code : undefined), "error");
    return null;
  } finally {
    mark(key, false);
  }
}
