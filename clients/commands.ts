import type { AdminCommand, KitchenCommand, RoomName, TableCommand } from "../protocol/index.ts";

/** Each room's command union, as the server's zod schemas accept it (protocol/*-commands.ts). */
export interface CommandsByRoom {
  readonly table: TableCommand;
  readonly kitchen: KitchenCommand;
  readonly admin: AdminCommand;
  /** The floor view is read only. */
  readonly floor: never;
}

export type CommandOf<R extends RoomName> = CommandsByRoom[R];
export type CommandTypeOf<R extends RoomName> = CommandOf<R>["type"];

/** A command's own fields: what the caller writes (the library adds `cmdId` and `type`). */
export type CommandFields<R extends RoomName, T extends CommandTypeOf<R>> = Omit<Extract<CommandOf<R>, { type: T }>, "cmdId" | "type">;

/** The `data` of an ok reply; commands document theirs in docs/PROTOCOL.md §5, §7.3, §8.2. */
export type ReplyData = Readonly<Record<string, unknown>>;

export interface CommandOptions {
  /** Defaults to a random UUID v4 (clients/ids.ts); pass the same one to retry a command safely. */
  readonly cmdId?: string;
  /** How long one attempt waits for its reply before the link is treated as dead (4010) and the command replayed. */
  readonly timeoutMs?: number;
  /** When the command was first made (epoch ms or ISO 8601): an offline queue's older commands (docs/PROTOCOL.md §6). */
  readonly issuedAt?: number | string;
}

/** `fields` may be left out when every field of the command is optional. */
export type CommandArgs<R extends RoomName, T extends CommandTypeOf<R>> = {} extends CommandFields<R, T>
  ? [fields?: CommandFields<R, T>, options?: CommandOptions]
  : [fields: CommandFields<R, T>, options?: CommandOptions];
