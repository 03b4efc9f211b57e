import { assertNever } from "../domain/index.ts";
import { WriteFailure, type CommitUnit } from "../storage/index.ts";
import type { CommandMeta, Outcome } from "./command-pipeline.ts";
import type { RoomContext } from "./context.ts";
import { wireError } from "../protocol/codes.ts";

/** What a command that writes no session events commits beside its audit rows. */
export type EventlessParts = Pick<CommitUnit, "audit" | "print" | "documents">;

/**
 * Commits a command that writes no session events (admin print commands, receipts, cash
 * receipts) with its processed_commands row and reply. Undefined once durable; otherwise the
 * refusal, from the typed reason storage gave (never its message text).
 */
export async function commitEventless(
  ctx: RoomContext, meta: CommandMeta, type: string, context: CommitUnit["context"], parts: EventlessParts, data: unknown, at: string,
): Promise<Outcome | undefined> {
  try {
    await ctx.writer.submit({
      context,
      baseVersion: 0,
      events: [],
      ...parts,
      command: { cmdId: meta.cmdId, actorId: meta.principal.staffId, type, bodyHash: meta.bodyHash, reply: { cmdId: meta.cmdId, ok: true, data }, at },
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof WriteFailure)) throw error;
    switch (error.reason.kind) {
      // The pipeline answers this with the stored first reply when the body matches.
      case "duplicate_command":
        return { ok: false, transient: true, error: wireError("CMD_ID_REUSED", "this cmdId was already used") };
      case "closed":
        return { ok: false, transient: true, error: wireError("INTERNAL", "storage is not running; retry with the same cmdId") };
      case "conflict":
      case "stock_exhausted":
      case "busy":
      case "failed":
        ctx.log.error(`${type} could not be stored (${error.reason.kind})`, error);
        return { ok: false, transient: true, error: wireError("INTERNAL", "could not store the command; nothing was saved") };
      default:
        return assertNever(error.reason);
    }
  }
}
