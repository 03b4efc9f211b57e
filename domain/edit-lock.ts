import { assert } from "./assert.ts";

/**
 * R-CON-1: a table's edit lock, as pure rules. One terminal may hold it (for a payment, say);
 * while it is live the others' changes are refused. It ends when its holder releases it, when it
 * expires, when an admin takes it over, or when the room frees it (holder gone, session ended).
 * Time comes in as `nowMs`; nothing here reads a clock.
 */
export interface EditLock {
  readonly holderStaffId: string;
  readonly holderName: string;
  /** The holding terminal: its connection's id (Colyseus keeps it across a reconnection). */
  readonly holderTerminal: string;
  readonly takenAtMs: number;
  readonly expiresAtMs: number;
}

/** Lock lifetimes a store allows (config `locks`); a take without a TTL gets `defaultSeconds`. */
export interface LockPolicy {
  readonly defaultSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

export interface LockRequester {
  readonly staffId: string;
  readonly name: string;
  readonly terminal: string;
  readonly isAdmin: boolean;
}

/** What a decision did; `null` in a decision means nothing changed. */
export type LockStep =
  /** `replacedExpired`: an expired lock not cleared yet that this take replaces (audited as its expiry). */
  | { readonly kind: "taken"; readonly lock: EditLock; readonly replacedExpired: EditLock | null }
  | { readonly kind: "extended"; readonly before: EditLock; readonly lock: EditLock }
  | { readonly kind: "released"; readonly before: EditLock }
  | { readonly kind: "taken_over"; readonly before: EditLock; readonly lock: EditLock; readonly reason: string }
  | { readonly kind: "expired"; readonly before: EditLock }
  | { readonly kind: "freed"; readonly before: EditLock; readonly why: "holder_left" | "session_ended" };

export type LockError =
  | { readonly code: "lock_held"; readonly holderStaffId: string; readonly holderName: string; readonly expiresAtMs: number }
  | { readonly code: "not_lock_holder"; readonly holderStaffId: string; readonly holderName: string; readonly expiresAtMs: number }
  | { readonly code: "admin_only" }
  | { readonly code: "reason_required" }
  | { readonly code: "ttl_out_of_range"; readonly min: number; readonly max: number; readonly requested: number };

export type LockDecision =
  | { readonly ok: true; readonly lock: EditLock | null; readonly step: LockStep | null }
  | { readonly ok: false; readonly error: LockError };

/** The lock while it is live at `nowMs`; an expired one counts as no lock (even before a timer clears it). */
export function liveLock(lock: EditLock | null, nowMs: number): EditLock | null {
  return lock !== null && nowMs < lock.expiresAtMs ? lock : null;
}

/** Whether the lock refuses a change from `terminal` now: only a live lock held by another terminal does. */
export function lockBlocks(lock: EditLock | null, terminal: string, nowMs: number): boolean {
  const live = liveLock(lock, nowMs);
  return live !== null && live.holderTerminal !== terminal;
}

/** The TTL a take asks for, checked against the store's policy (a TTL of 0 or a year is refused). */
export function lockTtlMs(policy: LockPolicy, ttlSeconds: number | undefined): { ok: true; ms: number } | { ok: false; error: LockError } {
  assert(policy.minSeconds >= 1 && policy.minSeconds <= policy.defaultSeconds && policy.defaultSeconds <= policy.maxSeconds, "lock policy must be min <= default <= max");
  const seconds = ttlSeconds ?? policy.defaultSeconds;
  if (!Number.isSafeInteger(seconds) || seconds < policy.minSeconds || seconds > policy.maxSeconds) {
    return { ok: false, error: { code: "ttl_out_of_range", min: policy.minSeconds, max: policy.maxSeconds, requested: seconds } };
  }
  return { ok: true, ms: seconds * 1000 };
}

/** Take the lock, or extend it when this terminal already holds it. Another terminal's live lock refuses. */
export function takeLock(lock: EditLock | null, by: LockRequester, nowMs: number, ttlSeconds: number | undefined, policy: LockPolicy): LockDecision {
  const ttl = lockTtlMs(policy, ttlSeconds);
  if (!ttl.ok) return ttl;
  const live = liveLock(lock, nowMs);
  if (live !== null && live.holderTerminal !== by.terminal) return { ok: false, error: heldBy("lock_held", live) };
  if (live !== null) {
    const extended = { ...live, expiresAtMs: nowMs + ttl.ms };
    return { ok: true, lock: extended, step: { kind: "extended", before: live, lock: extended } };
  }
  const taken = newLock(by, nowMs, ttl.ms);
  return { ok: true, lock: taken, step: { kind: "taken", lock: taken, replacedExpired: lock } };
}

/**
 * Only the holding terminal releases. Someone else gets `not_lock_holder` (an admin included: an
 * admin ends another's lock with a takeover, which is audited with a reason). Releasing when no
 * live lock exists changes nothing (an expired lock is left for `expireLock`, which audits it).
 */
export function releaseLock(lock: EditLock | null, by: LockRequester, nowMs: number): LockDecision {
  const live = liveLock(lock, nowMs);
  if (live === null) return { ok: true, lock, step: null };
  if (live.holderTerminal !== by.terminal) return { ok: false, error: heldBy("not_lock_holder", live) };
  return { ok: true, lock: null, step: { kind: "released", before: live } };
}

/** An admin takes the lock from whoever holds it, with a reason. On a free lock it is a plain take. */
export function takeOverLock(lock: EditLock | null, by: LockRequester, nowMs: number, ttlSeconds: number | undefined, reason: string, policy: LockPolicy): LockDecision {
  if (!by.isAdmin) return { ok: false, error: { code: "admin_only" } };
  if (reason.trim() === "") return { ok: false, error: { code: "reason_required" } };
  const ttl = lockTtlMs(policy, ttlSeconds);
  if (!ttl.ok) return ttl;
  const live = liveLock(lock, nowMs);
  if (live === null || live.holderTerminal === by.terminal) return takeLock(lock, by, nowMs, ttlSeconds, policy);
  const taken = newLock(by, nowMs, ttl.ms);
  return { ok: true, lock: taken, step: { kind: "taken_over", before: live, lock: taken, reason } };
}

/** The timer's step: a lock at or after its `expiresAtMs` ends; a live one stays. */
export function expireLock(lock: EditLock | null, nowMs: number): LockDecision {
  if (lock === null || nowMs < lock.expiresAtMs) return { ok: true, lock, step: null };
  return { ok: true, lock: null, step: { kind: "expired", before: lock } };
}

/**
 * The room frees the lock when its holder's terminal leaves for good (`terminal` = that terminal)
 * or when the session ends (`terminal` = null: whoever holds it).
 */
export function freeLock(lock: EditLock | null, terminal: string | null): LockDecision {
  if (lock === null || (terminal !== null && lock.holderTerminal !== terminal)) return { ok: true, lock, step: null };
  return { ok: true, lock: null, step: { kind: "freed", before: lock, why: terminal === null ? "session_ended" : "holder_left" } };
}

function newLock(by: LockRequester, nowMs: number, ttlMs: number): EditLock {
  assert(ttlMs > 0 && Number.isSafeInteger(nowMs + ttlMs), "a lock lives a positive, whole number of ms");
  return { holderStaffId: by.staffId, holderName: by.name, holderTerminal: by.terminal, takenAtMs: nowMs, expiresAtMs: nowMs + ttlMs };
}

function heldBy(code: "lock_held" | "not_lock_holder", lock: EditLock): LockError {
  return { code, holderStaffId: lock.holderStaffId, holderName: lock.holderName, expiresAtMs: lock.expiresAtMs };
}
