import type { KitchenClient } from "../../../clients/room-client.ts";
import type { CommandArgs, CommandFields, CommandTypeOf } from "../../../clients/commands.ts";
import { inFlight, sendCommand } from "../shared/send-command.ts";
import { refusalText } from "./refusals.ts";

export { inFlight };

type KitchenType = CommandTypeOf<"kitchen">;

/** A kitchen command from a button: one at a time per `key`, refusals in the KDS's words. */
export function sendKitchen<T extends KitchenType>(client: KitchenClient, key: string, type: T, fields: CommandFields<"kitchen", T>): Promise<Readonly<Record<string, unknown>> | null> {
  return sendCommand(client, key, refusalText, type, ...([fields] as unknown as CommandArgs<"kitchen", T>));
}
