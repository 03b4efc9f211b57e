import { z } from "zod";
import { orderLimits } from "../../domain/index.ts";

/** cmdId: client-made idempotency key (UUIDs fit; so do offline-queue keys like `pos1-000123`). */
export const cmdIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,80}$/, "cmdId: 8-80 chars of A-Z a-z 0-9 _ . : -");
const id = z.string().min(1).max(64);
const quantity = z.number().int();
const version = z.number().int().min(0).optional();
const optionIds = z.array(id).max(orderLimits.optionsPerLineMax).optional();
const note = z.string().max(orderLimits.noteLengthMax).optional();
const reason = z.string().max(orderLimits.reasonLengthMax);

export const cancelReasonCode = z.enum(["customer_request", "wrong_order", "kitchen_error", "quality", "other"]);
const itemIds = z.array(id).min(1).max(orderLimits.draftLinesMax);

const lineInput = z.strictObject({ menuId: id, quantity, optionIds, note });
export type LineInput = z.infer<typeof lineInput>;

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ cmdId: cmdIdSchema, type: z.literal(type), ...shape });

/** Every command a table room accepts, discriminated by `type`. Unknown fields are refused. */
export const tableCommandSchema = z.discriminatedUnion("type", [
  command("session.open", { guests: z.number().int().optional() }),
  command("draft.add", { menuId: id, quantity, optionIds, note }),
  command("draft.change", { lineId: id, quantity: quantity.optional(), optionIds, note }),
  command("draft.remove", { lineId: id }),
  command("draft.clear", {}),
  /** `lines` confirms those lines instead of the shared draft (an offline terminal's queue, R-OFF-2). */
  command("confirm", { expectedVersion: version, draftVersion: version, lines: z.array(lineInput).max(orderLimits.draftLinesMax).optional() }),
  command("item.cancel", { itemId: id, reason, reasonCode: cancelReasonCode.optional(), expectedVersion: version }),
  command("batch.cancel", { batchId: id, reason, reasonCode: cancelReasonCode.optional(), expectedVersion: version }),
  /** R-KDS-3: the floor marks served; only cooked items can be served. */
  command("item.serve", { itemIds }),
  command("item.changeQuantity", { itemId: id, quantity, reason: reason.optional(), expectedVersion: version }),
  command("session.close", { reason: reason.optional(), expectedVersion: version }),
]);

export type TableCommand = z.infer<typeof tableCommandSchema>;
export type TableCommandType = TableCommand["type"];
export const tableCommandTypes: ReadonlySet<string> = new Set(tableCommandSchema.options.map((o) => o.shape.type.value));

