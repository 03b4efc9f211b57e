import { type AuditEntry, type PrintWrite, type SlipRow } from "../../storage/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext } from "../context.ts";
import { wireError, type WireErrorCode } from "../../protocol/codes.ts";
import { slipLimits } from "../../printers/index.ts";

const printLimits = { reprintsPerSlipMax: slipLimits.reprintCountMax } as const;
import type { AdminCommand } from "../../protocol/admin-commands.ts";
import { commitEventless } from "../eventless-commit.ts";
import { isoAt } from "../../server/clock.ts";
import { assertNever, decideRetry } from "../../domain/index.ts";

/** Admin print commands: each is one durable, audited unit; then the printer's actor wakes. */
export class PrintCommands {
  constructor(private readonly ctx: RoomContext, private readonly storeId: string) {}

  async execute(command: AdminCommand, meta: CommandMeta): Promise<Outcome> {
    switch (command.type) {
      case "print.retry":
        return this.#retry(command.slipKey, meta);
      case "print.reprint":
        return this.#reprint(command.slipKey, command.ticketId, meta);
      case "printers.check":
        await this.ctx.printing.checkHealth();
        return { ok: true, data: { printers: this.ctx.printing.health(this.storeId).map((h) => ({ printerId: h.printerId, reachable: h.reachable, lastError: h.lastError })) } };
      default:
        return assertNever(command);
    }
  }

  async #retry(slipKey: string, meta: CommandMeta): Promise<Outcome> {
    const slip = this.#slip(slipKey);
    const family = slip ? this.ctx.prints.familyOf(slip.slipKey) : undefined;
    if (!slip || !family) return refuse("NOT_FOUND", "no such slip", { slipKey });
    // Dedupe by content (PRINTING.md §5): a retry never makes a second copy of content that already printed.
    const decision = decideRetry(family.family, slip.slipKey);
    if (!decision.ok && decision.code === "already_printed") {
      const message = decision.printedAs === slipKey
        ? "this slip printed; ask for a reprint instead"
        : `this ticket's slip already printed (as ${decision.printedAs}); ask for a reprint instead`;
      return refuse("ALREADY_PRINTED", message, { slipKey, printedAs: decision.printedAs });
    }
    if (!decision.ok) return refuse("INVALID_TRANSITION", "this slip is already waiting for its printer", { slipKey, state: decision.state });
    const at = this.#now();
    // Back to whichever printer serves the station now (its backup, while it is failed over).
    const printerId = this.ctx.printing.routeFor(this.storeId, slip.stationId)?.id ?? slip.printerId;
    const data = { slipKey, state: "pending", printerId };
    const failed = await this.#commit(meta, "print.retry", slip, { kind: "retry", slipKey, printerId, at }, data, at);
    if (failed) return failed;
    this.ctx.printing.wake(printerId);
    return { ok: true, data };
  }

  async #reprint(slipKey: string | undefined, ticketId: string | undefined, meta: CommandMeta): Promise<Outcome> {
    if ((slipKey === undefined) === (ticketId === undefined)) return refuse("BAD_REQUEST", "give exactly one of slipKey or ticketId");
    const original = slipKey !== undefined ? this.#slip(slipKey) : this.ctx.prints.slipsOfTicket(ticketId!).find((s) => s.reprintNo === 0 && s.storeId === this.storeId);
    if (!original) return refuse("NOT_FOUND", "no such slip or ticket", { slipKey, ticketId });
    const base = original.reprintOf ? this.#slip(original.reprintOf) ?? original : original;
    const printer = this.ctx.printing.routeFor(this.storeId, base.stationId);
    if (!printer) return refuse("NOT_FOUND", "no printer for that station", { stationId: base.stationId });
    const reprintNo = this.ctx.prints.nextReprintNo(base.slipKey);
    if (reprintNo > printLimits.reprintsPerSlipMax) return refuse("LIMIT_EXCEEDED", `a slip is reprinted at most ${printLimits.reprintsPerSlipMax} times`, { slipKey: base.slipKey });
    const newKey = `${base.slipKey}:reprint:${reprintNo}`;
    const at = this.#now();
    const data = { slipKey: newKey, reprintNo, printerId: printer.id };
    const failed = await this.#commit(meta, "print.reprint", base, { kind: "reprint", slipKey: newKey, of: base, reprintNo, printerId: printer.id, at }, data, at);
    if (failed) return failed;
    this.ctx.printing.wake(printer.id);
    return { ok: true, data };
  }

  #slip(slipKey: string): SlipRow | undefined {
    const slip = this.ctx.prints.slip(slipKey);
    return slip?.storeId === this.storeId ? slip : undefined;
  }

  #now(): string {
    return isoAt(this.ctx.clock);
  }

  /** Undefined once durable; otherwise the refusal, from the typed reason storage gave (never its message text). */
  async #commit(meta: CommandMeta, action: string, slip: SlipRow, write: PrintWrite, after: unknown, at: string): Promise<Outcome | undefined> {
    const audit: AuditEntry = {
      at, storeId: this.storeId, actorId: meta.principal.staffId, actorRole: meta.principal.role, action, entityType: "print_slip",
      entityId: slip.slipKey, sessionId: null, before: { state: slip.state, attempts: slip.attempts, lastError: slip.lastError }, after, reason: null, cmdId: meta.cmdId,
    };
    return commitEventless(this.ctx, meta, action, { storeId: this.storeId, tableId: "", sessionId: "" }, { print: [write], audit: [audit] }, after, at);
  }
}

function refuse(code: WireErrorCode, message: string, details?: unknown): Outcome {
  return { ok: false, error: wireError(code, message, details) };
}
