import type { ApproverCheck } from "../rooms/context.ts";
import type { AppConfig } from "./config/index.ts";
import { findStore } from "./config/index.ts";
import { verifyPinAsync } from "./config/pin.ts";
import { AttemptGate } from "./attempt-gate.ts";
import { loginLimits } from "./login.ts";
import type { Clock } from "./clock.ts";

/**
 * A second person's PIN on an adjustment above the approval threshold (issue #11). Guessing is
 * limited exactly like logins (AttemptGate: 5 failures lock the approver id for a minute), and an
 * unknown id costs the same scrypt as a wrong PIN. Kitchen accounts cannot approve money.
 */
export function approverVerifier(config: AppConfig, clock: Clock) {
  const gate = new AttemptGate({
    failuresBeforeLockout: loginLimits.failuresBeforeLockout, lockoutMs: loginLimits.lockoutMs, failureWindowMs: loginLimits.failureWindowMs,
    maxKeys: loginLimits.trackedStaffMax, maxWaitingPerKey: loginLimits.waitingPerKeyMax,
  });
  return async (storeId: string, staffId: string, pin: string): Promise<ApproverCheck> => {
    const turn = await gate.enter(`${storeId}/${staffId}`, clock.nowMs());
    if (!turn.ok) return { ok: false, code: turn.code };
    const staff = findStore(config, storeId)?.staff.find((s) => s.id === staffId && s.role !== "kitchen");
    const ok = await verifyPinAsync(pin, staff?.pinHash);
    turn.finish(ok && staff ? "success" : "failure", clock.nowMs());
    if (!ok || !staff) return { ok: false, code: "UNAUTHORIZED" };
    return { ok: true, approver: { id: staff.id, role: staff.role === "admin" ? "admin" : "staff", name: staff.name } };
  };
}
