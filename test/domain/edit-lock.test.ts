import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  expireLock, freeLock, liveLock, lockBlocks, releaseLock, takeLock, takeOverLock,
  type EditLock, type LockDecision, type LockPolicy, type LockRequester,
} from "../../domain/index.ts";

// R-CON-1, issue 13 item 3: the edit lock's rules, given a lock, when a step, then a decision.
const t = suite("edit lock rules");

const policy: LockPolicy = { defaultSeconds: 120, minSeconds: 5, maxSeconds: 1800 };
const pos1: LockRequester = { staffId: "s1", name: "김민수", terminal: "term-1", isAdmin: false };
const pos2: LockRequester = { staffId: "s2", name: "이지은", terminal: "term-2", isAdmin: false };
const admin: LockRequester = { staffId: "a1", name: "관리자", terminal: "term-3", isAdmin: true };
const t0 = 1_700_000_000_000;

function heldBy(by: LockRequester, at = t0, seconds = 120): EditLock {
  return { holderStaffId: by.staffId, holderName: by.name, holderTerminal: by.terminal, takenAtMs: at, expiresAtMs: at + seconds * 1000 };
}

function lockOf(decision: LockDecision): EditLock | null {
  if (!decision.ok) throw new Error(`expected ok, got ${JSON.stringify(decision.error)}`);
  return decision.lock;
}

t("given a free table, when a terminal takes the lock without a TTL, then it holds it for the default TTL", () => {
  const decision = takeLock(null, pos1, t0, undefined, policy);
  assert.equal(decision, { ok: true, lock: heldBy(pos1), step: { kind: "taken", lock: heldBy(pos1), replacedExpired: null } });
});

t("given a lock I hold, when I take it again, then it is extended from now and keeps its start", () => {
  const decision = takeLock(heldBy(pos1), pos1, t0 + 60_000, 30, policy);
  const extended = { ...heldBy(pos1), expiresAtMs: t0 + 90_000 };
  assert.equal(decision, { ok: true, lock: extended, step: { kind: "extended", before: heldBy(pos1), lock: extended } });
});

t("given another terminal's live lock, when I take it, then I am refused with lock_held naming the holder and expiry", () => {
  assert.equal(takeLock(heldBy(pos1), pos2, t0 + 1, undefined, policy), {
    ok: false, error: { code: "lock_held", holderStaffId: "s1", holderName: "김민수", expiresAtMs: t0 + 120_000 },
  });
});

t("given the same staff on another terminal, when it takes the lock, then it is refused (the lock is per terminal)", () => {
  const decision = takeLock(heldBy(pos1), { ...pos1, terminal: "term-9" }, t0 + 1, undefined, policy);
  assert.is(decision.ok ? "ok" : decision.error.code, "lock_held");
});

t("given an expired lock not cleared yet, when another terminal takes it, then it gets it and the expired one is named for the audit", () => {
  const old = heldBy(pos1);
  const decision = takeLock(old, pos2, old.expiresAtMs, 10, policy);
  const taken = heldBy(pos2, old.expiresAtMs, 10);
  assert.equal(decision, { ok: true, lock: taken, step: { kind: "taken", lock: taken, replacedExpired: old } });
});

t("given any lock, when the TTL is 0, below the minimum, above the maximum, a year or not whole, then ttl_out_of_range with the bounds", () => {
  for (const seconds of [0, -1, 4, 1801, 365 * 24 * 3600, 1.5]) {
    const decision = takeLock(null, pos1, t0, seconds, policy);
    assert.equal(decision, { ok: false, error: { code: "ttl_out_of_range", min: 5, max: 1800, requested: seconds } }, `ttl ${seconds}`);
  }
  assert.ok(takeLock(null, pos1, t0, 5, policy).ok, "the minimum is allowed");
  assert.ok(takeLock(null, pos1, t0, 1800, policy).ok, "the maximum is allowed");
});

t("given my live lock, when I release it, then it is free", () => {
  assert.equal(releaseLock(heldBy(pos1), pos1, t0 + 1), { ok: true, lock: null, step: { kind: "released", before: heldBy(pos1) } });
});

t("given another terminal's live lock, when I (even an admin) release it, then not_lock_holder and the lock stays", () => {
  for (const by of [pos2, admin]) {
    assert.equal(releaseLock(heldBy(pos1), by, t0 + 1), {
      ok: false, error: { code: "not_lock_holder", holderStaffId: "s1", holderName: "김민수", expiresAtMs: t0 + 120_000 },
    });
  }
});

t("given no live lock, when anyone releases, then nothing changes (an expired lock is left for its audited expiry)", () => {
  assert.equal(releaseLock(null, pos2, t0), { ok: true, lock: null, step: null });
  const expired = heldBy(pos1);
  assert.equal(releaseLock(expired, pos2, expired.expiresAtMs), { ok: true, lock: expired, step: null });
});

t("given another terminal's live lock, when an admin takes it over with a reason, then the admin holds it", () => {
  const decision = takeOverLock(heldBy(pos1), admin, t0 + 1_000, undefined, "guest asked to pay at the counter", policy);
  const taken = heldBy(admin, t0 + 1_000);
  assert.equal(decision, { ok: true, lock: taken, step: { kind: "taken_over", before: heldBy(pos1), lock: taken, reason: "guest asked to pay at the counter" } });
});

t("given a live lock, when staff or a blank reason try a takeover, then admin_only / reason_required", () => {
  assert.equal(takeOverLock(heldBy(pos1), pos2, t0, undefined, "why", policy), { ok: false, error: { code: "admin_only" } });
  assert.equal(takeOverLock(heldBy(pos1), admin, t0, undefined, "  ", policy), { ok: false, error: { code: "reason_required" } });
  assert.is((takeOverLock(heldBy(pos1), admin, t0, 0, "why", policy) as { ok: false; error: { code: string } }).error.code, "ttl_out_of_range");
});

t("given a free table, when an admin takes over, then it is a plain take", () => {
  assert.equal(lockOf(takeOverLock(null, admin, t0, undefined, "why", policy)), heldBy(admin));
});

t("given a lock, when it reaches its expiry, then it expires exactly then and not a millisecond before", () => {
  const lock = heldBy(pos1);
  assert.equal(expireLock(lock, lock.expiresAtMs - 1), { ok: true, lock, step: null });
  assert.equal(expireLock(lock, lock.expiresAtMs), { ok: true, lock: null, step: { kind: "expired", before: lock } });
  assert.equal(expireLock(null, t0), { ok: true, lock: null, step: null });
});

t("given a lock, when its holder leaves or the session ends, then it is freed; another terminal leaving changes nothing", () => {
  const lock = heldBy(pos1);
  assert.equal(freeLock(lock, "term-2"), { ok: true, lock, step: null });
  assert.equal(freeLock(lock, "term-1"), { ok: true, lock: null, step: { kind: "freed", before: lock, why: "holder_left" } });
  assert.equal(freeLock(lock, null), { ok: true, lock: null, step: { kind: "freed", before: lock, why: "session_ended" } });
});

t("given a live lock, then it blocks every terminal but its holder; expired (not yet cleared) it blocks nobody", () => {
  const lock = heldBy(pos1);
  assert.is(lockBlocks(lock, "term-1", t0 + 1), false);
  assert.is(lockBlocks(lock, "term-2", t0 + 1), true);
  assert.is(lockBlocks(lock, "term-2", lock.expiresAtMs), false);
  assert.is(lockBlocks(null, "term-2", t0), false);
});

// ---- Property: random steps from three terminals ----

type Step =
  | { kind: "take"; who: number; ttl: number | undefined }
  | { kind: "release"; who: number }
  | { kind: "takeover"; who: number; reason: string }
  | { kind: "expire" }
  | { kind: "leave"; who: number }
  | { kind: "sessionEnd" }
  | { kind: "wait"; ms: number };

const people: readonly LockRequester[] = [pos1, pos2, admin];
const who = fc.integer({ min: 0, max: people.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("take" as const), who, ttl: fc.option(fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.constantFrom(5, 10)), { nil: undefined }) }),
  fc.record({ kind: fc.constant("release" as const), who }),
  fc.record({ kind: fc.constant("takeover" as const), who, reason: fc.constantFrom("", "guest moved", " ") }),
  fc.constant({ kind: "expire" as const }),
  fc.record({ kind: fc.constant("leave" as const), who }),
  fc.constant({ kind: "sessionEnd" as const }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 200_000 }) }),
);

function apply(step: Step, lock: EditLock | null, nowMs: number): LockDecision {
  switch (step.kind) {
    case "take": return takeLock(lock, people[step.who]!, nowMs, step.ttl, policy);
    case "release": return releaseLock(lock, people[step.who]!, nowMs);
    case "takeover": return takeOverLock(lock, people[step.who]!, nowMs, undefined, step.reason, policy);
    case "expire": return expireLock(lock, nowMs);
    case "leave": return freeLock(lock, people[step.who]!.terminal);
    case "sessionEnd": return freeLock(lock, null);
    case "wait": return { ok: true, lock, step: null };
  }
}

/** Who may end (or replace) a live lock held by `holder` with this step. */
function mayEnd(step: Step, holder: string): boolean {
  if (step.kind === "release" || step.kind === "leave") return people[step.who]!.terminal === holder;
  if (step.kind === "takeover") return people[step.who]!.isAdmin && step.reason.trim() !== "";
  return step.kind === "sessionEnd";
}

t("over random sequences from three terminals: at most one holder, an expired lock never blocks, only the holder or an admin takeover ends a live lock", () => {
  fc.assert(
    fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
      let lock: EditLock | null = null;
      let now = t0;
      for (const step of steps) {
        if (step.kind === "wait") now += step.ms;
        const before = liveLock(lock, now);
        const decision = apply(step, lock, now);
        if (!decision.ok) continue; // a refusal is a value and changes nothing (the caller keeps `lock`)
        lock = decision.lock;
        const after = liveLock(lock, now);
        // Only the holder, an admin's takeover, or the session's end ends a live lock or changes its holder.
        if (before !== null && (after === null || after.holderTerminal !== before.holderTerminal)) {
          assert.ok(mayEnd(step, before.holderTerminal), `${step.kind} ended ${before.holderTerminal}'s live lock`);
        }
        // At most one terminal is not blocked while a live lock exists, and it is the holder.
        const free = people.filter((p) => !lockBlocks(lock, p.terminal, now));
        if (after !== null) assert.equal(free.map((p) => p.terminal), [after.holderTerminal], "only the holder may change the table");
        // An expired lock blocks nobody, whether or not a timer has cleared it yet.
        if (lock !== null && now >= lock.expiresAtMs) assert.is(free.length, people.length, "an expired lock blocks nobody");
        // A lock never lives past its own TTL bounds.
        if (lock !== null) assert.ok(lock.expiresAtMs - now <= policy.maxSeconds * 1000);
      }
    }),
    { numRuns: 500 },
  );
});

t.run();
