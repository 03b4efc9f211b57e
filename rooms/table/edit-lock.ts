import {
  assertNever, expireLock, freeLock, isActive, lockBlocks, releaseLock, takeLock, takeOverLock,
  type EditLock, type LockDecision, type LockError, type LockRequester, type LockStep, type SessionState,
} from "../../domain/index.ts";
import type { AuditEntry } from "../../storage/index.ts";
import { commitEventless } from "../eventless-commit.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext, StoreView } from "../context.ts";
import { wireError, type WireError } from "../../protocol/codes.ts";
import { customerCommandTypes } from "../../protocol/table-commands.ts";
import { Mailbox } from "../mailbox.ts";
import { EditLockState, type TableState } from "../table-state.ts";

/** Staff commands a held lock lets through: the read-only ones and the lock's own. */
const passesLock: ReadonlySet<string> = new Set(["payment.quote", "receipt.get", "lock.take", "lock.release", "lock.takeover"]);
/** The lock's entry in `TableState.lock`. */
export const lockKey = "table";
/** Lock steps waiting their turn (commands are bounded by the room's mailbox; timers and leaves add a few). */
const lockStepsMax = 64;

export interface EditLockDeps {
  readonly ctx: RoomContext;
  readonly store: StoreView;
  readonly tableId: string;
  readonly state: TableState;
  readonly session: () => SessionState;
  /** Sends the changed room state (the room's broadcastPatch). */
  readonly patch: () => void;
}

/** What a terminal sees of the lock, in replies and LOCKED details. */
export function lockView(lock: EditLock): { holderStaffId: string; holderName: string; holderTerminal: string; takenAt: string; expiresAt: string } {
  return { holderStaffId: lock.holderStaffId, holderName: lock.holderName, holderTerminal: lock.holderTerminal, takenAt: iso(lock.takenAtMs), expiresAt: iso(lock.expiresAtMs) };
}

/**
 * The table room's edit lock (R-CON-1): the pure rules of domain/edit-lock.ts, the expiry timer,
 * the audit rows and the synced `lock` state. Every step (a command, the timer, a leave, the
 * session's end) runs one at a time through its own mailbox: decided on the current lock, made
 * durable with its audit row, and only then applied and shown. The lock itself lives in the
 * room's memory: a restart frees it (the terminals holding it reconnect with new sessions anyway).
 */
export class TableEditLock {
  #lock: EditLock | null = null;
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;
  readonly #steps = new Mailbox(lockStepsMax);

  constructor(private readonly deps: EditLockDeps) {}

  /**
   * LOCKED for a staff command that changes something, sent from a terminal that does not hold
   * the live lock. Customers' commands (cart.*, staff.call) pass: a guest's phone can neither see
   * nor wait for a staff lock, and a QR order must keep reaching the kitchen; its confirm only
   * adds a `qr` batch, which the holder's payment already copes with (a payment is checked
   * against what is due when it is decided). An expired lock blocks nobody, before its timer too.
   */
  refusal(type: string, meta: CommandMeta): Outcome | undefined {
    if (meta.principal.role === "customer" || customerCommandTypes.has(type) || passesLock.has(type)) return undefined;
    const lock = this.#lock;
    if (lock === null || !lockBlocks(lock, meta.terminal ?? "", this.deps.ctx.clock.nowMs())) return undefined;
    return { ok: false, error: toWire({ code: "lock_held", holderStaffId: lock.holderStaffId, holderName: lock.holderName, expiresAtMs: lock.expiresAtMs }) };
  }

  take(command: { ttlSeconds?: number | undefined; reason?: string | undefined }, meta: CommandMeta): Promise<Outcome> {
    return this.#command(meta, "lock.take", command.reason ?? null, (lock, by, now) => takeLock(lock, by, now, command.ttlSeconds, this.deps.store.editLock));
  }

  release(meta: CommandMeta): Promise<Outcome> {
    return this.#command(meta, "lock.release", null, (lock, by, now) => releaseLock(lock, by, now));
  }

  takeover(command: { reason: string }, meta: CommandMeta): Promise<Outcome> {
    return this.#command(meta, "lock.takeover", command.reason, (lock, by, now) => takeOverLock(lock, by, now, undefined, command.reason, this.deps.store.editLock));
  }

  /** The terminal left for good (its reconnection window is over too): a lock it holds is freed. */
  holderLeft(terminal: string): void {
    if (this.#lock?.holderTerminal === terminal) this.#system((lock) => freeLock(lock, terminal));
  }

  /** The session is no longer live (closed, cancelled, timed out): nobody edits it, so the lock goes. */
  sessionEnded(): void {
    if (this.#lock !== null) this.#system((lock) => freeLock(lock, null));
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
  }

  #command(meta: CommandMeta, type: "lock.take" | "lock.release" | "lock.takeover", reason: string | null, decide: (lock: EditLock | null, by: LockRequester, nowMs: number) => LockDecision): Promise<Outcome> {
    const queued = this.#steps.run(async (): Promise<Outcome> => {
      const session = this.deps.session();
      if (type !== "lock.release" && !isActive(session.status)) {
        return { ok: false, error: session.status === "none" ? wireError("NO_SESSION", "no session on this table") : wireError("SESSION_CLOSED", "the session has ended") };
      }
      const nowMs = this.deps.ctx.clock.nowMs();
      const p = meta.principal;
      const decision = decide(this.#lock, { staffId: p.staffId, name: p.name, terminal: meta.terminal ?? "", isAdmin: p.role === "admin" }, nowMs);
      if (!decision.ok) return { ok: false, error: toWire(decision.error) };
      const data = type === "lock.release" ? { released: true } : lockView(decision.lock!);
      if (decision.step === null) return { ok: true, data };
      const at = iso(nowMs);
      const actor = { actorId: p.staffId, actorRole: p.role, cmdId: meta.cmdId };
      const failed = await commitEventless(this.deps.ctx, meta, type, this.#context(), { audit: this.#audit(decision.step, actor, at, reason) }, data, at);
      if (failed) return failed;
      this.#apply(decision.lock);
      return { ok: true, data };
    });
    return queued ?? Promise.resolve({ ok: false, transient: true, error: wireError("BUSY", "too many lock steps waiting at this table") });
  }

  /** A step nobody sent (the timer, a leave, the session's end): a system audit row, then the change. */
  #system(decide: (lock: EditLock | null, nowMs: number) => LockDecision): void {
    const queued = this.#steps.run(async () => {
      const nowMs = this.deps.ctx.clock.nowMs();
      const decision = decide(this.#lock, nowMs);
      if (!decision.ok || decision.step === null) return this.#schedule(); // a timer that fired early waits again
      const at = iso(nowMs);
      const action = decision.step.kind === "expired" ? "lock.expire" : "lock.free";
      const meta: CommandMeta = { cmdId: `${action}#${this.deps.ctx.newId()}`, bodyHash: "", principal: { staffId: "system", storeId: this.deps.store.id, role: "system", name: "edit lock" } };
      const actor = { actorId: "system", actorRole: "system", cmdId: null };
      const failed = await commitEventless(this.deps.ctx, meta, action, this.#context(), { audit: this.#audit(decision.step, actor, at, null) }, { lock: null }, at);
      // The lock's end is a fact (time ran out, the holder is gone): it ends even if its row could not be written.
      if (failed) this.deps.ctx.log.error(`table ${this.deps.tableId}: audit row of ${action} not stored`, undefined, { code: failed.ok ? undefined : failed.error.code });
      this.#apply(decision.lock);
    });
    if (!queued) this.deps.ctx.log.error(`table ${this.deps.tableId}: lock steps full; the lock ends at its expiry`);
  }

  #context(): { storeId: string; tableId: string; sessionId: string } {
    return { storeId: this.deps.store.id, tableId: this.deps.tableId, sessionId: this.deps.session().sessionId };
  }

  #audit(step: LockStep, actor: { actorId: string; actorRole: string; cmdId: string | null }, at: string, reason: string | null): AuditEntry[] {
    const sessionId = this.deps.session().sessionId || null;
    const row = (action: string, before: EditLock | null, after: EditLock | null, why: string | null, by = actor): AuditEntry => ({
      at, storeId: this.deps.store.id, ...by, action, entityType: "table", entityId: this.deps.tableId, sessionId,
      before: before && lockView(before), after: after && lockView(after), reason: why,
    });
    const system = { actorId: "system", actorRole: "system", cmdId: actor.cmdId };
    switch (step.kind) {
      case "taken":
        return [...(step.replacedExpired ? [row("lock.expire", step.replacedExpired, null, null, system)] : []), row("lock.take", null, step.lock, reason)];
      case "extended":
        return [row("lock.extend", step.before, step.lock, reason)];
      case "released":
        return [row("lock.release", step.before, null, null)];
      case "taken_over":
        return [row("lock.takeover", step.before, step.lock, step.reason)];
      case "expired":
        return [row("lock.expire", step.before, null, null)];
      case "freed":
        return [row("lock.free", step.before, null, step.why === "holder_left" ? "holder left" : "session ended")];
      default:
        return assertNever(step);
    }
  }

  /** The committed lock becomes what every staff view shows, and its expiry is timed. */
  #apply(lock: EditLock | null): void {
    this.#lock = lock;
    const shown = this.deps.state.lock;
    if (lock === null) shown.delete(lockKey);
    else {
      const entry = shown.get(lockKey) ?? new EditLockState();
      Object.assign(entry, lockView(lock));
      if (!shown.has(lockKey)) shown.set(lockKey, entry);
    }
    this.deps.ctx.tableSignals.lockChanged({ storeId: this.deps.store.id, tableId: this.deps.tableId, lock: lock && { holderName: lock.holderName, expiresAt: lockView(lock).expiresAt } });
    // A free step may finish after the room was disposed (its last terminal left): nothing to send then.
    if (this.#disposed) return;
    this.deps.patch();
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lock === null || this.#disposed) return;
    const delayMs = Math.max(0, this.#lock.expiresAtMs - this.deps.ctx.clock.nowMs());
    // unref: a pending expiry never keeps the process alive (shutdown drains the rooms).
    this.#timer = setTimeout(() => this.#system(expireLock), delayMs + 1).unref();
  }
}

function toWire(error: LockError): WireError {
  switch (error.code) {
    case "lock_held":
    case "not_lock_holder": {
      const details = { rule: error.code, holderStaffId: error.holderStaffId, holderName: error.holderName, expiresAt: iso(error.expiresAtMs) };
      return error.code === "lock_held"
        ? wireError("LOCKED", `${error.holderName} is editing this table until ${details.expiresAt}`, details)
        : wireError("FORBIDDEN", `only the terminal holding the lock releases it (${error.holderName}); an admin may take it over`, details);
    }
    case "admin_only":
      return wireError("FORBIDDEN", "only an admin takes over another terminal's lock", { rule: error.code });
    case "reason_required":
      return wireError("REASON_REQUIRED", "a takeover needs a reason", { rule: error.code });
    case "ttl_out_of_range":
      return wireError("BAD_REQUEST", `ttlSeconds must be between ${error.min} and ${error.max}`, { rule: error.code, min: error.min, max: error.max, requested: error.requested });
    default:
      return assertNever(error);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
