/**
 * Admission for password-like attempts under one key (a staff id, a client address): at most
 * `failuresBeforeLockout` failures, then the key is locked for `lockoutMs`.
 *
 * Why in-flight attempts are counted apart from failures: the check is asynchronous (scrypt), so
 * counting only finished failures lets concurrent guesses overshoot the limit, and counting every
 * start as a failure locks out terminals that log in together with the right PIN. Here an attempt
 * runs only while `failures + inFlight` stays under the limit; the others wait in a bounded line
 * and run as earlier attempts finish (a success clears the failures, so a crowd of correct logins
 * drains; a lockout refuses everyone still waiting). At most `failuresBeforeLockout` checks can
 * ever fail before the lock.
 *
 * Memory is bounded and fails closed: when `maxKeys` keys are tracked, a key not yet tracked is
 * refused (BUSY) until entries run out; a live lockout is never evicted.
 */
export interface AttemptLimits {
  readonly failuresBeforeLockout: number;
  readonly lockoutMs: number;
  /** A failure count that has not reached a lockout is forgotten after this long without failures. */
  readonly failureWindowMs: number;
  readonly maxKeys: number;
  /** Attempts of one key waiting for a turn; more are refused BUSY. */
  readonly maxWaitingPerKey: number;
}

/** `unchecked`: the attempt ended before any check (refused elsewhere, or the caller does not clear on success). */
export type Outcome = "success" | "failure" | "unchecked";

export type Admission =
  | { readonly ok: true; readonly finish: (outcome: Outcome, nowMs: number) => void }
  | { readonly ok: false; readonly code: "LOCKED" | "BUSY"; readonly retryAfterMs: number };

interface KeyState {
  failures: number;
  /** 0 while not locked. */
  lockedUntilMs: number;
  lastFailureMs: number;
  inFlight: number;
  readonly waiting: Array<(admission: Admission) => void>;
}

/** How long a refused BUSY caller should wait when no expiry tells us better. */
const busyRetryMs = 1_000;

export class AttemptGate {
  readonly #keys = new Map<string, KeyState>();
  /** No entry runs out before this; no sweep before then (a flood must not cost O(n) per request). */
  #nextExpiryMs = Infinity;

  constructor(readonly limits: AttemptLimits) {}

  get trackedKeys(): number {
    return this.#keys.size;
  }

  enter(key: string, nowMs: number): Admission | Promise<Admission> {
    let state = this.#keys.get(key);
    if (state && idle(state) && expired(state, nowMs, this.limits)) {
      // After a lockout (or the failure window) has run out the count starts again.
      this.#keys.delete(key);
      state = undefined;
    }
    if (state && state.lockedUntilMs > nowMs) return { ok: false, code: "LOCKED", retryAfterMs: state.lockedUntilMs - nowMs };
    if (!state) {
      if (this.#keys.size >= this.limits.maxKeys) {
        if (nowMs >= this.#nextExpiryMs) this.#sweep(nowMs);
        if (this.#keys.size >= this.limits.maxKeys) {
          const retryAfterMs = Number.isFinite(this.#nextExpiryMs) ? Math.max(1, this.#nextExpiryMs - nowMs) : busyRetryMs;
          return { ok: false, code: "BUSY", retryAfterMs };
        }
      }
      state = { failures: 0, lockedUntilMs: 0, lastFailureMs: 0, inFlight: 0, waiting: [] };
      this.#keys.set(key, state);
    }
    if (state.failures + state.inFlight < this.limits.failuresBeforeLockout) return this.#admit(key, state);
    if (state.waiting.length >= this.limits.maxWaitingPerKey) return { ok: false, code: "BUSY", retryAfterMs: busyRetryMs };
    const waitingState = state;
    return new Promise<Admission>((resolve) => waitingState.waiting.push(resolve));
  }

  #admit(key: string, state: KeyState): Admission {
    state.inFlight += 1;
    let finished = false;
    return {
      ok: true,
      finish: (outcome, nowMs) => {
        if (finished) return;
        finished = true;
        this.#finish(key, state, outcome, nowMs);
      },
    };
  }

  #finish(key: string, state: KeyState, outcome: Outcome, nowMs: number): void {
    state.inFlight -= 1;
    if (outcome === "success") {
      state.failures = 0;
      state.lockedUntilMs = 0;
    } else if (outcome === "failure") {
      state.failures += 1;
      state.lastFailureMs = nowMs;
      if (state.failures >= this.limits.failuresBeforeLockout) {
        state.lockedUntilMs = nowMs + this.limits.lockoutMs;
        const retryAfterMs = this.limits.lockoutMs;
        for (const wake of state.waiting.splice(0)) wake({ ok: false, code: "LOCKED", retryAfterMs });
      }
      this.#nextExpiryMs = Math.min(this.#nextExpiryMs, expiryOf(state, this.limits));
    }
    while (state.waiting.length > 0 && state.failures + state.inFlight < this.limits.failuresBeforeLockout) {
      state.waiting.shift()!(this.#admit(key, state));
    }
    if (idle(state) && state.failures === 0) this.#keys.delete(key);
  }

  #sweep(nowMs: number): void {
    let next = Infinity;
    for (const [key, state] of this.#keys) {
      if (!idle(state)) continue;
      if (expired(state, nowMs, this.limits)) this.#keys.delete(key);
      else next = Math.min(next, expiryOf(state, this.limits));
    }
    this.#nextExpiryMs = next;
  }
}

function idle(state: KeyState): boolean {
  return state.inFlight === 0 && state.waiting.length === 0;
}

function expiryOf(state: KeyState, limits: AttemptLimits): number {
  return state.lockedUntilMs > 0 ? state.lockedUntilMs : state.lastFailureMs + limits.failureWindowMs;
}

function expired(state: KeyState, nowMs: number, limits: AttemptLimits): boolean {
  return expiryOf(state, limits) <= nowMs;
}
