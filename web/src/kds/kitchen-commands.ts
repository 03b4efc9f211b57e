import { signal } from "@preact/signals";
import type { KitchenClient } from "../../../clients/room-client.ts";
import { ClientError } from "../../../clients/client-error.ts";
import type { CommandArgs, CommandFields, CommandTypeOf } from "../../../clients/commands.ts";
import { toast } from "../shared/toasts.tsx";
import { refusalText } from "./refusals.ts";

type KitchenType = CommandTypeOf<"kitchen">;

/** Buttons whose command is in flight (keyed by the caller), so a double tap sends one command. */
export const inFlight = signal<ReadonlySet<string>>(new Set());

function mark(key: string, on: boolean): void {
  const next = new Set(inFlight.value);
  if (on) next.add(key);
  else next.delete(key);
  inFlight.value = next;
}

/**
 * Sends one kitchen command through the client library (one cmdId, replayed across drops) and
 * shows a refusal in words. Resolves with the reply data, or null when it was refused.
 */
export async function sendKitchen<T extends KitchenType>(client: KitchenClient, key: string, type: T, fields: CommandFields<"kitchen", T>): Promise<Readonly<Record<string, unknown>> | null> {
  if (inFlight.value.has(key)) return null;
  mark(key, true);
  try {
    const reply = await client.command(type, ...([fields] as unknown as CommandArgs<"kitchen", T>));
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
