import { assertNever, decideSetStock } from "../../domain/index.ts";
import { WriteFailure, type AuditEntry } from "../../storage/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext, StoreView } from "../context.ts";
import { wireError } from "../../protocol/codes.ts";
import type { KitchenCommand } from "../../protocol/kitchen-commands.ts";
import type { BoardTicket } from "./board.ts";
import { inScope, type ViewScope } from "./board-view.ts";
import { isoAt } from "../../server/clock.ts";

/**
 * Turns kitchen commands into commands on the table session that owns the ticket, so a KDS and a
 * POS acting on one table are serialized by the same actor and the POS sees "cooking" at once.
 */
export class KitchenActions {
  constructor(
    private readonly ctx: RoomContext,
    private readonly store: StoreView,
    private readonly scope: ViewScope,
    private readonly bumped: () => string[],
  ) {}

  async execute(command: KitchenCommand, meta: CommandMeta): Promise<Outcome> {
    switch (command.type) {
      case "kitchen.start":
      case "kitchen.cooked":
        return this.#advance(command.ticketId, command.itemIds, command.type === "kitchen.start" ? "cooking" : "cooked", meta);
      case "ticket.bump":
        return this.#onTicket(command.ticketId, (actor, ticket) => actor.bumpTicket(ticket.ticketId, meta));
      case "ticket.recall": {
        const ticketId = command.ticketId ?? this.bumped().at(-1);
        if (!ticketId) return refuse("NOT_FOUND", "no bumped ticket to recall");
        return this.#onTicket(ticketId, (actor, ticket) => actor.recallTicket(ticket.ticketId, meta), true);
      }
      case "item.missing": {
        const item = this.ctx.board.items.get(command.itemId);
        const ticket = item && [...this.ctx.board.tickets.values()].find((t) => t.itemIds.includes(item.itemId) && inScope(t, this.scope));
        if (!item || !ticket) return refuse("NOT_FOUND", "no such item on this kitchen's tickets", { itemId: command.itemId });
        return this.#onTicket(ticket.ticketId, (actor) => actor.markMissing(item.itemId, command.note ?? "", meta), true);
      }
      case "menu.stock":
        return this.#setStock(command.menuId, command.soldOut, command.remaining ?? null, meta);
      default:
        return assertNever(command);
    }
  }

  #advance(ticketId: string, itemIds: readonly string[] | undefined, to: "cooking" | "cooked", meta: CommandMeta): Promise<Outcome> {
    return this.#onTicket(ticketId, (actor, ticket) => {
      const foreign = itemIds?.find((id) => !ticket.itemIds.includes(id));
      if (foreign) return Promise.resolve(refuse("NOT_FOUND", "item is not on this ticket", { itemId: foreign }));
      // A whole-ticket action moves the items still behind; cancelled ones stay cancelled.
      const targets = itemIds ?? ticket.itemIds.filter((id) => {
        const state = this.ctx.board.items.get(id)?.state;
        return state === "waiting" || (to === "cooked" && state === "cooking");
      });
      if (targets.length === 0) {
        const allCancelled = ticket.itemIds.every((id) => this.ctx.board.items.get(id)?.state === "cancelled");
        return Promise.resolve(allCancelled ? refuse("ALREADY_CANCELLED", "every item on this ticket is cancelled") : { ok: true, data: { itemIds: [], state: to } });
      }
      return actor.advance(targets, to, meta);
    });
  }

  async #onTicket(ticketId: string, act: (actor: NonNullable<ReturnType<RoomContext["sessions"]["get"]>>, ticket: BoardTicket) => Promise<Outcome>, allowBumped = false): Promise<Outcome> {
    const ticket = this.ctx.board.tickets.get(ticketId);
    if (!ticket || !inScope(ticket, this.scope)) return refuse("NOT_FOUND", "no such ticket on this kitchen screen", { ticketId });
    if (ticket.bumpedAt !== null && !allowBumped) return refuse("INVALID_TRANSITION", "ticket was bumped; recall it first", { ticketId });
    const actor = this.ctx.sessions.get(ticket.storeId, ticket.tableId);
    if (!actor || actor.state.sessionId !== ticket.sessionId) return refuse("SESSION_CLOSED", "that table's session has ended", { ticketId });
    return act(actor, ticket);
  }

  /** 86 / countdown: store-wide, audited, enforced by decide and by the database at confirm. The rules are `decideSetStock` (domain). */
  async #setStock(menuId: string, soldOut: boolean, remaining: number | null, meta: CommandMeta): Promise<Outcome> {
    const decision = decideSetStock({ menuId, soldOut, remaining }, this.store.menu, this.ctx.stock.levels(this.store.id).get(menuId));
    if (!decision.ok) {
      const error = decision.error;
      switch (error.code) {
        case "unknown_menu_item":
          return refuse("NOT_FOUND", "unknown menu item", { menuId });
        case "invalid_remaining": // the wire schema already bounds remaining; kept for callers that skip it
          return refuse("BAD_REQUEST", `remaining must be null or an integer from 0 to ${error.max}`, { rule: "invalid_remaining", max: error.max });
        default:
          return assertNever(error);
      }
    }
    const at = isoAt(this.ctx.clock);
    const data = { menuId, soldOut, remaining };
    const audit: AuditEntry = {
      at, storeId: this.store.id, actorId: meta.principal.staffId, actorRole: meta.principal.role, action: "menu.stock",
      entityType: "menu", entityId: menuId, sessionId: null, before: decision.before, after: decision.after, reason: null, cmdId: meta.cmdId,
    };
    try {
      await this.ctx.writer.submit({
        context: { storeId: this.store.id, tableId: "", sessionId: "" },
        baseVersion: 0,
        events: [],
        stock: [decision.write],
        audit: [audit],
        command: { cmdId: meta.cmdId, actorId: meta.principal.staffId, type: "menu.stock", bodyHash: meta.bodyHash, reply: { cmdId: meta.cmdId, ok: true, data }, at },
      });
    } catch (error) {
      return this.#stockFailed(error);
    } finally {
      this.ctx.stock.refresh(this.store.id, [menuId]);
    }
    return { ok: true, data };
  }

  /**
   * A stock-only unit has no events and takes no portions, so only a reused cmdId (a retry racing
   * its original: the pipeline answers with the stored reply) or a storage failure can stop it.
   */
  #stockFailed(error: unknown): Outcome {
    if (!(error instanceof WriteFailure)) throw error;
    const failure = error.reason;
    switch (failure.kind) {
      case "duplicate_command":
        return refuse("CMD_ID_REUSED", "this cmdId was already used");
      case "conflict":
      case "stock_exhausted":
      case "busy":
      case "closed":
      case "failed":
        this.ctx.log.error(`menu.stock commit failed (${failure.kind})`, error);
        return refuse("INTERNAL", failure.kind === "closed" ? "storage is not running; retry with the same cmdId" : "could not store the command; nothing was saved");
      default:
        return assertNever(failure);
    }
  }
}

/** Refusals here come from the board, which may lag the database by a moment: never remembered. */
function refuse(code: Parameters<typeof wireError>[0], message: string, details?: unknown): Outcome {
  return { ok: false, transient: true, error: wireError(code, message, details) };
}
