import type { Request, Response } from "express";
import { z } from "zod";
import type { AppConfig } from "./config/index.ts";
import { findStore } from "./config/index.ts";
import { verifyPinAsync } from "./config/pin.ts";
import type { TokenService } from "./auth.ts";
import type { Clock } from "./clock.ts";
import { AttemptGate, type Admission, type Outcome } from "./attempt-gate.ts";

export const loginLimits = {
  failuresBeforeLockout: 5,
  lockoutMs: 60_000,
  /** A failure count that has not reached a lockout is forgotten after this long without failures. */
  failureWindowMs: 15 * 60_000,
  /** Store/staff ids tracked at once (LOGIN_TRACKED_MAX). When full, untracked ids are refused (BUSY), never evicted. */
  trackedStaffMax: 10_000,
  /** Failed logins per client address with less than a minute between them (LOGIN_ADDRESS_FAILURES_PER_MINUTE). */
  addressFailuresPerMinute: 20,
  /** Attempts of one id (or address) waiting while earlier ones are checked; more get BUSY. */
  waitingPerKeyMax: 256,
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
  const maxKeys = options.trackedStaffMax ?? loginLimits.trackedStaffMax;
  const perStaff = new AttemptGate({
    failuresBeforeLockout: loginLimits.failuresBeforeLockout,
    lockoutMs: loginLimits.lockoutMs,
    failureWindowMs: loginLimits.failureWindowMs,
    maxKeys,
    maxWaitingPerKey: loginLimits.waitingPerKeyMax,
  });
  const perAddress = new AttemptGate({
    failuresBeforeLockout: options.addressFailuresPerMinute ?? loginLimits.addressFailuresPerMinute,
    lockoutMs: 60_000,
    failureWindowMs: 60_000,
    maxKeys,
    maxWaitingPerKey: loginLimits.waitingPerKeyMax,
  });
  return async (req: Request, res: Response) => {
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false, error: { code: "BAD_REQUEST", message: "send { storeId, staffId, pin } as strings" } });
      return;
    }
    const { storeId, staffId, pin } = parsed.data;
    const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
    // Always address first, then id: one order, so two waits can never wait on each other.
    const addressTurn = await perAddress.enter(address, clock.nowMs());
    if (!addressTurn.ok) {
      if (addressTurn.code === "LOCKED") return refuse(res, 429, "RATE_LIMITED", "too many failed logins from this address; try again later", addressTurn.retryAfterMs);
      return busy(res, addressTurn);
    }
    let outcome: Outcome = "failure";
    try {
      const staffTurn = await perStaff.enter(`${storeId}/${staffId}`, clock.nowMs());
      if (!staffTurn.ok) {
        outcome = "unchecked";
        if (staffTurn.code === "LOCKED") return refuse(res, 429, "LOCKED", "too many wrong PINs; try again later", staffTurn.retryAfterMs);
        return busy(res, staffTurn);
      }
      try {
        const staff = findStore(config, storeId)?.staff.find((s) => s.id === staffId);
        // Unknown staff and malformed PINs run the same scrypt (on a dummy hash): same work, same time.
        const ok = await verifyPinAsync(pin, staff?.pinHash);
        if (!staff || !ok) {
          res.status(401).json({ ok: false, error: { code: "UNAUTHORIZED", message: "unknown staff or wrong PIN" } });
          return;
        }
        outcome = "success";
        const issued = await tokens.issue({ staffId: staff.id, storeId, role: staff.role, name: staff.name }, clock.nowMs());
        res.json({ ok: true, data: { ...issued, staffId: staff.id, storeId, role: staff.role, name: staff.name } });
      } finally {
        staffTurn.finish(outcome, clock.nowMs());
      }
    } finally {
      // A success frees the address's turn but does not wipe its failures: one known PIN must not
      // buy an address unlimited guesses at other ids.
      addressTurn.finish(outcome === "failure" ? "failure" : "unchecked", clock.nowMs());
    }
  };
}

function busy(res: Response, refusal: Extract<Admission, { ok: false }>): void {
  refuse(res, 429, "BUSY", "too many logins in progress right now; try again shortly", refusal.retryAfterMs);
}
