import type { AdminClient } from "../../../clients/room-client.ts";
import type { CommandArgs, CommandFields, CommandTypeOf, ReplyData } from "../../../clients/commands.ts";
import { inFlight, sendCommand } from "../shared/send-command.ts";
import { refusalText } from "./refusals.ts";

export { inFlight };

type AdminType = CommandTypeOf<"admin">;

/** An admin-room command from a button: one at a time per `key`, refusals in the console's words. */
export function sendAdmin<T extends AdminType>(client: AdminClient, key: string, type: T, ...args: CommandArgs<"admin", T>): Promise<ReplyData | null> {
  return sendCommand(client, key, refusalText, type, ...args);
}

export type AdminFields<T extends AdminType> = CommandFields<"admin", T>;
