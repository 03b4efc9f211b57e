import {
  amountsOf, assertNever, decide, fold, initialSessionState, isLive, stockTakes,
  type ActorRef, type CancelReasonCode, type ConfirmDraft, type OrderSource, type LineRequest, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { WriteFailure, type AuditEntry, type CommitUnit, type StockWrite } from "../../storage/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext, StoreView } from "../context.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { Mailbox } from "../mailbox.ts";
import { fromDomainError, wireError } from "../../protocol/codes.ts";
import { auditFor, mergeAudit } from "./audit-entries.ts";
import { EventTail } from "./session-history.ts";
import { isoAt } from "../../server/clock.ts";

export type CommandBody = SessionCommand extends infer C ? (C extends SessionCommand ? Omit<C, "actor" | "at"> : never) : never;

/**
 * The confirmed side of one table: domain state folded from the journal and the only path that
 * changes it — decide → durable commit → evolve → notify. One command at a time, whichever room
 * sent it (its own mailbox), and the state moves only after COMMIT returned.
 */
export class TableSession {
  #state: SessionState = initialSessionState();
  readonly #mailbox = new Mailbox(roomLimits.mailboxLengthMax);
  readonly #tail = new EventTail();
  readonly #listeners = new Set<(state: SessionState, events: readonly SessionEvent[]) => void>();

  constructor(
    private readonly ctx: RoomContext,
    readonly store: StoreView,
    readonly tableId: string,
  ) {}

  get state(): SessionState {
    return this.#state;
  }

  /** Rebuilds the live session of the table from SQLite (after a restart or a write elsewhere). */
  load(): void {
    const sessionId = this.ctx.reader.liveSessionId(this.store.id, this.tableId);
    this.#state = sessionId ? fold(this.ctx.reader.events(sessionId), initialSessionState()) : initialSessionState();
  }

  /** Called after every change, before the command's reply goes out (so patches precede replies). */
  onChange(listener: (state: SessionState, events: readonly SessionEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  open(guests: number, meta: CommandMeta): Promise<Outcome> {
    return this.#run(meta, () => {
      // A live session (a timed-out one too, R-OFF-1) keeps the table: decide refuses the open.
      const base = isLive(this.#state.status) ? this.#state : initialSessionState();
      return { base, command: { type: "OpenSession", sessionId: this.ctx.newId(), storeId: this.store.id, tableId: this.tableId, guests }, reply: (s) => ({ sessionId: s.sessionId, version: s.version }) };
    });
  }

  confirm(lines: readonly LineRequest[], meta: CommandMeta, expectedVersion?: number, source: OrderSource = "pos", prepaid?: ConfirmDraft["prepaid"]): Promise<Outcome> {
    const batchId = this.ctx.newId();
    return this.#run(meta, () => ({
      command: { type: "ConfirmDraft", batchId, source, lines, expectedVersion, prepaid },
      reply: (s) => {
        const batch = s.batches.find((b) => b.batchId === batchId);
        const itemIds = [...s.items.values()].filter((i) => i.batchId === batchId).map((i) => i.itemId);
        return { batchId, batchNo: batch?.batchNo, totalWon: batch?.total, itemIds, version: s.version, sessionTotalWon: s.total };
      },
    }));
  }

  cancelItem(itemId: string, reason: string, reasonCode: CancelReasonCode | undefined, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "CancelItem", itemId, reason, reasonCode, expectedVersion }, reply: (s) => ({ itemId, version: s.version, sessionTotalWon: s.total }) }));
  }

  cancelBatch(batchId: string, reason: string, reasonCode: CancelReasonCode | undefined, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "CancelBatch", batchId, reason, reasonCode, expectedVersion }, reply: (s) => ({ batchId, version: s.version, sessionTotalWon: s.total }) }));
  }

  changeQuantity(itemId: string, quantity: number, reason: string, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const newItemId = this.ctx.newId();
    return this.#run(meta, () => ({
      command: { type: "ChangeItemQuantity", itemId, quantity, newItemId, reason, expectedVersion },
      reply: (s) => ({ cancelledItemId: itemId, newItemId: s.items.has(newItemId) ? newItemId : null, version: s.version, sessionTotalWon: s.total }),
    }));
  }

  close(reason: string, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "CloseSession", reason, expectedVersion }, reply: (s) => ({ sessionId: s.sessionId, status: s.status, version: s.version }) }));
  }

  /** Kitchen and floor progress: cooking, cooked (KDS) and served (POS). */
  advance(itemIds: readonly string[], to: "cooking" | "cooked" | "served", meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "AdvanceItems", itemIds, to, expectedVersion }, reply: (s) => ({ itemIds, state: to, version: s.version }) }));
  }

  markMissing(itemId: string, note: string, meta: CommandMeta): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "MarkMissing", itemId, note }, reply: (s) => ({ itemId, version: s.version }) }));
  }

  bumpTicket(ticketId: string, meta: CommandMeta): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "BumpTicket", ticketId }, reply: (s) => ({ ticketId, version: s.version }) }));
  }

  recallTicket(ticketId: string, meta: CommandMeta): Promise<Outcome> {
    return this.#run(meta, () => ({ command: { type: "RecallTicket", ticketId }, reply: (s) => ({ ticketId, version: s.version }) }));
  }

  /**
   * Any session command, for the flows that compose several (payments: intent, provider, result).
   * `build` runs inside the mailbox, so it sees the state the command will be decided on.
   */
  submit(meta: CommandMeta, build: () => { base?: SessionState; command: CommandBody; reply: (s: SessionState) => unknown }): Promise<Outcome> {
    return this.#run(meta, build);
  }

  #run(meta: CommandMeta, build: () => { base?: SessionState; command: CommandBody; reply: (s: SessionState) => unknown }): Promise<Outcome> {
    const queued = this.#mailbox.run(() => {
      const { base, command, reply } = build();
      const full = { ...command, actor: actorOf(meta), at: isoAt(this.ctx.clock) } as SessionCommand;
      return this.#apply(full, base ?? this.#state, meta, reply);
    });
    return queued ?? Promise.resolve({ ok: false, transient: true, error: wireError("BUSY", "too many commands waiting for this table") });
  }

  async #apply(command: SessionCommand, base: SessionState, meta: CommandMeta, replyOf: (s: SessionState) => unknown): Promise<Outcome> {
    const stock = this.ctx.stock.levels(this.store.id);
    const history = this.#tail.historyFor(base, command.expectedVersion, this.ctx.reader);
    const decision = decide(command, base, { menu: this.store.menu, stock, money: this.store.money, staffMayEditRemoteOrders: this.store.staffMayEditRemoteOrders }, history);
    if (!decision.ok) return { ok: false, error: fromDomainError(decision.error) };
    const after = decision.state;
    const data = replyOf(after);
    if (decision.events.length === 0) return { ok: true, data };
    // Portions a confirm or a quantity increase takes from counted items (domain rule); the database checks them again.
    const takes: StockWrite[] = stockTakes(decision.events, stock, base);
    try {
      await this.ctx.writer.submit(this.#unit(command, base, after, decision.events, meta, data, takes));
    } catch (error) {
      return this.#commitFailed(error);
    } finally {
      if (takes.length > 0) this.ctx.stock.refresh(this.store.id, takes.map((t) => t.menuId));
    }
    this.#state = after;
    this.#tail.append(after.sessionId, base.version, decision.events);
    for (const listener of this.#listeners) listener(after, decision.events);
    return { ok: true, data };
  }

  #unit(command: SessionCommand, base: SessionState, after: SessionState, events: SessionEvent[], meta: CommandMeta, data: unknown, stock: StockWrite[]): CommitUnit {
    const at = command.at;
    const audit: AuditEntry[] = [...auditFor(command, base, after, events), ...mergeAudit(command, base, events)].map((a) => ({
      ...a, at, storeId: this.store.id, actorId: meta.principal.staffId, actorRole: meta.principal.role, sessionId: after.sessionId, cmdId: meta.cmdId,
    }));
    return {
      context: { storeId: this.store.id, tableId: this.tableId, sessionId: after.sessionId },
      baseVersion: base.version,
      events,
      snapshot: { status: after.status, version: after.version, total: amountsOf(after).sessionTotal, guests: after.guests, openedAt: after.openedAt },
      stock,
      audit,
      command: { cmdId: meta.cmdId, actorId: meta.principal.staffId, type: command.type, bodyHash: meta.bodyHash, reply: { cmdId: meta.cmdId, ok: true, data }, at },
    };
  }

  /**
   * Storage classified the failure; every kind is transient (nothing was decided). A conflict means
   * another writer moved first: reload and say so, never guess. Anything but a WriteFailure is a bug.
   */
  #commitFailed(error: unknown): Outcome {
    if (!(error instanceof WriteFailure)) throw error;
    const failure = error.reason;
    switch (failure.kind) {
      case "conflict":
        this.load();
        for (const listener of this.#listeners) listener(this.#state, []);
        return { ok: false, transient: true, error: wireError("VERSION_CONFLICT", failure.on === "live_session" ? "the table was opened elsewhere; state reloaded" : "the session changed elsewhere; state reloaded", { version: this.#state.version }) };
      case "duplicate_command":
        return { ok: false, transient: true, error: wireError("CMD_ID_REUSED", "this cmdId was already used") };
      case "stock_exhausted":
        return { ok: false, transient: true, error: wireError("SOLD_OUT", `${failure.menuId} ran out`, { rule: "sold_out", menuId: failure.menuId }) };
      case "busy":
      case "closed":
      case "failed":
        this.ctx.log.error(`commit failed (${failure.kind})`, error);
        return { ok: false, transient: true, error: wireError("INTERNAL", failure.kind === "closed" ? "storage is not running; retry with the same cmdId" : "could not store the command; nothing was saved") };
      default:
        return assertNever(failure);
    }
  }
}

function actorOf(meta: CommandMeta): ActorRef {
  return { id: meta.principal.staffId, role: meta.principal.role, name: meta.principal.name };
}
