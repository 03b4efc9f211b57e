import { z } from "zod";
import { orderLimits } from "../domain/index.ts";
import { cmdIdSchema } from "./table-commands.ts";

const id = z.string().min(1).max(64);
const itemIds = z.array(id).min(1).max(orderLimits.draftLinesMax);
const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ cmdId: cmdIdSchema, type: z.literal(type), ...shape });

/** Kitchen actions: by a ticket (all its live items) or by items of one ticket. */
export const kitchenCommandSchema = z.discriminatedUnion("type", [
  command("kitchen.start", { ticketId: id, itemIds: itemIds.optional() }),
  command("kitchen.cooked", { ticketId: id, itemIds: itemIds.optional() }),
  command("ticket.bump", { ticketId: id }),
  /** Without ticketId: the most recently bumped ticket of this screen's station(s). */
  command("ticket.recall", { ticketId: id.optional() }),
  command("item.missing", { itemId: id, note: z.string().max(orderLimits.noteLengthMax).optional() }),
  /** 86: soldOut, or a countdown of portions left (null = stop counting). */
  command("menu.stock", { menuId: id, soldOut: z.boolean(), remaining: z.number().int().min(0).max(9_999).nullable().optional() }),
]);

export type KitchenCommand = z.infer<typeof kitchenCommandSchema>;
export const kitchenCommandTypes: ReadonlySet<string> = new Set(kitchenCommandSchema.options.map((o) => o.shape.type.value));
