import {
  decide, fold, initialSessionState, isActive,
  type ActorRef, type LineRequest, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import type { AuditEntry, CommitUnit } from "../../storage/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext, StoreView } from "../context.ts";
import { fromDomainError, wireError } from "../wire/codes.ts";
import { auditFor } from "./audit-entries.ts";

/**
 * The confirmed side of one table: domain state folded from the journal, and the path
 * decide → commit (durable) → evolve. State changes only after the commit returned.
 */
export class TableSession {
  #state: SessionState = initialSessionState();

  constructor(
    private readonly ctx: RoomContext,
    readonly store: StoreView,
    readonly tableId: string,
  ) {}

  get state(): SessionState {
    return this.#state;
  }

  /** Rebuilds the live session of the table from SQLite (after a restart or a disposed room). */
  load(): void {
    const sessionId = this.ctx.reader.liveSessionId(this.store.id, this.tableId);
    this.#state = sessionId ? fold(this.ctx.reader.events(sessionId), initialSessionState()) : initialSessionState();
  }

  actorOf(meta: CommandMeta): ActorRef {
    return { id: meta.principal.staffId, role: meta.principal.role, name: meta.principal.name };
  }

  nowIso(): string {
    return new Date(this.ctx.clock.nowMs()).toISOString();
  }

  /** A fresh stream for a new session; an active one answers session_already_open via decide. */
  async open(guests: number, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const base = isActive(this.#state.status) ? this.#state : initialSessionState();
    const command: SessionCommand = {
      type: "OpenSession", sessionId: this.ctx.newId(), storeId: this.store.id, tableId: this.tableId,
      guests, actor: this.actorOf(meta), at: this.nowIso(), expectedVersion,
    };
    return this.#apply(command, base, meta, (s) => ({ sessionId: s.sessionId, version: s.version }));
  }

  confirm(lines: readonly LineRequest[], meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const batchId = this.ctx.newId();
    const command: SessionCommand = { type: "ConfirmDraft", batchId, source: "pos", lines, actor: this.actorOf(meta), at: this.nowIso(), expectedVersion };
    return this.#apply(command, this.#state, meta, (s) => {
      const batch = s.batches.find((b) => b.batchId === batchId);
      const itemIds = [...s.items.values()].filter((i) => i.batchId === batchId).map((i) => i.itemId);
      return { batchId, batchNo: batch?.batchNo, totalWon: batch?.total, itemIds, version: s.version, sessionTotalWon: s.total };
    });
  }

  cancelItem(itemId: string, reason: string, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const command: SessionCommand = { type: "CancelItem", itemId, reason, actor: this.actorOf(meta), at: this.nowIso(), expectedVersion };
    return this.#apply(command, this.#state, meta, (s) => ({ itemId, version: s.version, sessionTotalWon: s.total }));
  }

  changeQuantity(itemId: string, quantity: number, reason: string, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const newItemId = this.ctx.newId();
    const command: SessionCommand = { type: "ChangeItemQuantity", itemId, quantity, newItemId, reason, actor: this.actorOf(meta), at: this.nowIso(), expectedVersion };
    return this.#apply(command, this.#state, meta, (s) => ({
      cancelledItemId: itemId, newItemId: s.items.has(newItemId) ? newItemId : null, version: s.version, sessionTotalWon: s.total,
    }));
  }

  close(reason: string, meta: CommandMeta, expectedVersion?: number): Promise<Outcome> {
    const command: SessionCommand = { type: "CloseSession", reason, actor: this.actorOf(meta), at: this.nowIso(), expectedVersion };
    return this.#apply(command, this.#state, meta, (s) => ({ sessionId: s.sessionId, status: s.status, version: s.version }));
  }

  async #apply(command: SessionCommand, base: SessionState, meta: CommandMeta, replyOf: (s: SessionState) => unknown): Promise<Outcome> {
    const decision = decide(command, base, { menu: this.store.menu });
    if (!decision.ok) return { ok: false, error: fromDomainError(decision.error) };
    const after = fold(decision.events, base);
    const data = replyOf(after);
    if (decision.events.length > 0) {
      try {
        await this.ctx.writer.submit(this.#unit(command, base, after, decision.events, meta, data));
      } catch (error) {
        return this.#commitFailed(error);
      }
    }
    this.#state = after;
    return { ok: true, data };
  }

  #unit(command: SessionCommand, base: SessionState, after: SessionState, events: SessionEvent[], meta: CommandMeta, data: unknown): CommitUnit {
    const at = command.at;
    const audit: AuditEntry[] = auditFor(command, base, after, events).map((a) => ({
      ...a, at, storeId: this.store.id, actorId: meta.principal.staffId, actorRole: meta.principal.role, sessionId: after.sessionId, cmdId: meta.cmdId,
    }));
    return {
      context: { storeId: this.store.id, tableId: this.tableId, sessionId: after.sessionId },
      baseVersion: base.version,
      events,
      snapshot: { status: after.status, version: after.version, total: after.total, guests: after.guests, openedAt: after.openedAt },
      audit,
      command: { cmdId: meta.cmdId, actorId: meta.principal.staffId, type: command.type, bodyHash: meta.bodyHash, reply: { cmdId: meta.cmdId, ok: true, data }, at },
    };
  }

  /** A constraint hit means another writer moved the session (or the table) first: reload and say so. */
  #commitFailed(error: unknown): Outcome {
    const message = error instanceof Error ? error.message : String(error);
    if (/UNIQUE constraint failed: (session_events|sessions)/.test(message)) {
      this.load();
      return { ok: false, error: wireError("VERSION_CONFLICT", "the session changed elsewhere; state reloaded", { version: this.#state.version }) };
    }
    if (/UNIQUE constraint failed: processed_commands/.test(message)) {
      return { ok: false, error: wireError("CMD_ID_REUSED", "this cmdId was already used") };
    }
    this.ctx.log.error("commit failed", error);
    return { ok: false, error: wireError("INTERNAL", "could not store the command; nothing was saved") };
  }
}
