import type { Request, Response } from "express";
import { z } from "zod";
import type { AppConfig } from "./config/index.ts";
import { findStore, verifyPin } from "./config/index.ts";
import type { TokenService } from "./auth.ts";
import type { Clock } from "./clock.ts";

export const loginLimits = {
  failuresBeforeLockout: 5,
  lockoutMs: 60_000,
  trackedStaffMax: 10_000,
} as const;

const loginBody = z.strictObject({
  storeId: z.string().min(1).max(32),
  staffId: z.string().min(1).max(32),
  pin: z.string().min(1).max(16),
});

/** POST /api/auth/login: id + PIN → signed, expiring token. A PIN-guessing terminal is locked out for a while. */
export function loginHandler(config: AppConfig, tokens: TokenService, clock: Clock) {
  const failures = new Map<string, { count: number; lockedUntilMs: number }>();
  return async (req: Request, res: Response) => {
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false, error: { code: "BAD_REQUEST", message: "send { storeId, staffId, pin } as strings" } });
      return;
    }
    const { storeId, staffId, pin } = parsed.data;
    const key = `${storeId}/${staffId}`;
    const nowMs = clock.nowMs();
    const record = failures.get(key);
    if (record && record.lockedUntilMs > nowMs) {
      res.status(429).json({ ok: false, error: { code: "LOCKED", message: "too many wrong PINs; try again later", details: { retryAfterMs: record.lockedUntilMs - nowMs } } });
      return;
    }
    const staff = findStore(config, storeId)?.staff.find((s) => s.id === staffId);
    if (!staff || !verifyPin(pin, staff.pinHash)) {
      // After a lockout has run out the count starts again, so one more typo does not relock at once.
      const count = (record && record.lockedUntilMs === 0 ? record.count : 0) + 1;
      // Evict the oldest entry, never all: flooding fake ids must not lift real lockouts.
      if (failures.size >= loginLimits.trackedStaffMax) failures.delete(failures.keys().next().value!);
      failures.set(key, { count, lockedUntilMs: count >= loginLimits.failuresBeforeLockout ? nowMs + loginLimits.lockoutMs : 0 });
      res.status(401).json({ ok: false, error: { code: "UNAUTHORIZED", message: "unknown staff or wrong PIN" } });
      return;
    }
    failures.delete(key);
    const issued = await tokens.issue({ staffId: staff.id, storeId, role: staff.role, name: staff.name }, nowMs);
    res.json({ ok: true, data: { ...issued, staffId: staff.id, storeId, role: staff.role, name: staff.name } });
  };
}
