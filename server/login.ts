import type { Request, Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import type { AppConfig } from "./config/index.ts";
import { findStore } from "./config/index.ts";
import { verifyPinAsync } from "./config/pin.ts";
import type { TokenService } from "./auth.ts";
import type { Clock } from "./clock.ts";

export const loginLimits = {
  failuresBeforeLockout: 5,
  lockoutMs: 60_000,
  /** A failure count that has not reached a lockout is forgotten after this long without failures. */
  failureWindowMs: 15 * 60_000,
  /** Store/staff ids tracked at once (LOGIN_TRACKED_MAX). When full, untracked ids are refused (BUSY), never evicted. */
  trackedStaffMax: 10_000,
  /** Failed logins per client address per minute (LOGIN_ADDRESS_FAILURES_PER_MINUTE). */
  addressFailuresPerMinute: 20,
} as const;

export interface LoginOptions {
  readonly trackedStaffMax?: number | undefined;
  readonly addressFailuresPerMinute?: number | undefined;
}

const loginBody = z.strictObject({
  storeId: z.string().min(1).max(32),
  staffId: z.string().min(1).max(32),
  pin: z.string().min(1).max(16),
});

interface FailureRecord {
  /** Attempts since the last success, counted when they start (see FailureTracker.begin). */
  count: number;
  /** 0 while not locked. */
  lockedUntilMs: number;
  lastFailureMs: number;
}

type Admission = { ok: true } | { ok: false; code: "LOCKED" | "BUSY"; retryAfterMs: number };

/**
 * Wrong-PIN counts per store/staff id, in bounded memory that fails closed: when full, an id it
 * does not track yet is refused (no PIN check at all) until entries run out; a live lockout is
 * never evicted, so flooding made-up ids cannot lift one.
 *
 * An attempt is counted as a failure when it starts, before the (asynchronous) PIN check, and the
 * count is cleared by a success: so concurrent guesses cannot overshoot the lockout or the size.
 */
class FailureTracker {
  readonly #records = new Map<string, FailureRecord>();
  /** No entry runs out before this; no sweep before then (a flood must not cost O(n) per request). */
  #nextExpiryMs = Infinity;
  constructor(readonly maxKeys: number) {}

  begin(key: string, nowMs: number): Admission {
    const record = this.#records.get(key);
    if (record && record.lockedUntilMs > nowMs) return { ok: false, code: "LOCKED", retryAfterMs: record.lockedUntilMs - nowMs };
    if (!record && this.#records.size >= this.maxKeys) {
      if (nowMs >= this.#nextExpiryMs) this.#sweep(nowMs);
      if (this.#records.size >= this.maxKeys) return { ok: false, code: "BUSY", retryAfterMs: Math.max(1, this.#nextExpiryMs - nowMs) };
    }
    // After a lockout (or the failure window) has run out the count starts again, so one more typo does not relock at once.
    const count = (record && !expired(record, nowMs) ? record.count : 0) + 1;
    const next = { count, lockedUntilMs: count >= loginLimits.failuresBeforeLockout ? nowMs + loginLimits.lockoutMs : 0, lastFailureMs: nowMs };
    this.#records.set(key, next);
    this.#nextExpiryMs = Math.min(this.#nextExpiryMs, expiryOf(next));
    return { ok: true };
  }

  succeed(key: string): void {
    this.#records.delete(key);
  }

  #sweep(nowMs: number): void {
    let next = Infinity;
    for (const [key, record] of this.#records) {
      if (expired(record, nowMs)) this.#records.delete(key);
      else next = Math.min(next, expiryOf(record));
    }
    this.#nextExpiryMs = next;
  }
}

function expiryOf(record: FailureRecord): number {
  return record.lockedUntilMs > 0 ? record.lockedUntilMs : record.lastFailureMs + loginLimits.failureWindowMs;
}

function expired(record: FailureRecord, nowMs: number): boolean {
  return expiryOf(record) <= nowMs;
}

function refuse(res: Response, status: number, code: string, message: string, retryAfterMs?: number): void {
  if (retryAfterMs !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  res.status(status).json({ ok: false, error: { code, message, ...(retryAfterMs !== undefined ? { details: { retryAfterMs } } : {}) } });
}

/**
 * POST /api/auth/login: id + PIN → signed, expiring token. A PIN-guessing terminal is locked out for a
 * while (per store/staff id), and one client address gets a limited number of failures per minute.
 * Every attempt that reaches the PIN check costs one scrypt, known staff or not, so the answer time
 * does not tell which ids exist.
 */
export function loginHandler(config: AppConfig, tokens: TokenService, clock: Clock, options: LoginOptions = {}) {
  const failures = new FailureTracker(options.trackedStaffMax ?? loginLimits.trackedStaffMax);
  // One point per attempt, taken before the PIN check (so concurrent guesses cannot overshoot) and
  // given back on success: what remains counted is failures.
  const perAddress = new RateLimiterMemory({ points: options.addressFailuresPerMinute ?? loginLimits.addressFailuresPerMinute, duration: 60 });
  return async (req: Request, res: Response) => {
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false, error: { code: "BAD_REQUEST", message: "send { storeId, staffId, pin } as strings" } });
      return;
    }
    const { storeId, staffId, pin } = parsed.data;
    const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
    try {
      await perAddress.consume(address);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return refuse(res, 429, "RATE_LIMITED", "too many failed logins from this address; try again later", error.msBeforeNext);
    }
    const key = `${storeId}/${staffId}`;
    const admission = failures.begin(key, clock.nowMs());
    if (!admission.ok) {
      if (admission.code === "LOCKED") return refuse(res, 429, "LOCKED", "too many wrong PINs; try again later", admission.retryAfterMs);
      return refuse(res, 429, "BUSY", "too many failed logins right now; try again later", admission.retryAfterMs);
    }
    const staff = findStore(config, storeId)?.staff.find((s) => s.id === staffId);
    // Unknown staff and malformed PINs run the same scrypt (on a dummy hash): same work, same time.
    const ok = await verifyPinAsync(pin, staff?.pinHash);
    if (!staff || !ok) {
      res.status(401).json({ ok: false, error: { code: "UNAUTHORIZED", message: "unknown staff or wrong PIN" } });
      return;
    }
    failures.succeed(key);
    await perAddress.reward(address);
    const issued = await tokens.issue({ staffId: staff.id, storeId, role: staff.role, name: staff.name }, clock.nowMs());
    res.json({ ok: true, data: { ...issued, staffId: staff.id, storeId, role: staff.role, name: staff.name } });
  };
}
