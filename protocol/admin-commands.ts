import { z } from "zod";
import { cmdIdSchema } from "./table-commands.ts";

const key = z.string().min(1).max(200);
const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ cmdId: cmdIdSchema, type: z.literal(type), ...shape });

/** Admin print commands (R-KRP-2 manual recovery, R-KRP-3 explicit reprint). */
export const adminCommandSchema = z.discriminatedUnion("type", [
  /** A failed slip goes back in its printer's queue (it keeps its REPRINT mark if an attempt may have printed). */
  command("print.retry", { slipKey: key }),
  /** One more copy of a slip (by its key, or a ticket's original slip), marked 재출력/REPRINT n. */
  command("print.reprint", { slipKey: key.optional(), ticketId: key.optional() }),
  /** Ask every printer for its status now. */
  command("printers.check", {}),
]);

export type AdminCommand = z.infer<typeof adminCommandSchema>;
export const adminCommandTypes: ReadonlySet<string> = new Set(adminCommandSchema.options.map((o) => o.shape.type.value));
