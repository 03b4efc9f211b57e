import { orderLimits } from "../limits.ts";
import { won } from "../money.ts";
import type { ResumeSession, SessionCommand, TimeOutSession } from "./commands.ts";
import type { Step } from "./decide.ts";
import type { DomainError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import { amountsOf } from "./amounts.ts";
import { isActive, type SessionState } from "./state.ts";

/**
 * R-OFF-1: the idle timeout. A session with no activity (no event) for the store's idle time moves
 * to `timed_out`. It is not over: it keeps its table and its balance, the kitchen may finish, the
 * guests may still pay (paying in full closes it as usual), staff may close it; only new orders
 * wait until staff resume it. Timing out and resuming never change a money figure.
 */
export function decideTimeOut(command: TimeOutSession, state: SessionState): Step {
  if (command.actor.role !== "system") return reject({ code: "role_not_allowed", action: "time out a session", role: command.actor.role });
  if (state.status === "timed_out") return accept([]);
  if (!isActive(state.status)) return reject({ code: "session_closed", status: state.status });
  // The sweeper decided on what it read; anything since (an order, a payment) is activity.
  if (command.lastActivityAt !== state.lastActivityAt) return reject({ code: "session_not_idle", lastActivityAt: state.lastActivityAt });
  if (idleMs(state.lastActivityAt, command.at) < command.idleTimeoutSeconds * 1000) {
    return reject({ code: "session_not_idle", lastActivityAt: state.lastActivityAt });
  }
  const outstanding = won(amountsOf(state).outstanding);
  return accept([{ type: "SessionTimedOut", v: 1, at: command.at, actor: command.actor, lastActivityAt: state.lastActivityAt, outstanding }]);
}

/** Staff take a timed-out session back: it becomes open / in kitchen / paying from what it holds. */
export function decideResume(command: ResumeSession, state: SessionState): Step {
  if (command.actor.role !== "staff" && command.actor.role !== "admin") {
    return reject({ code: "role_not_allowed", action: "resume a session", role: command.actor.role });
  }
  const reason = command.reason ?? "";
  if (reason.length > orderLimits.reasonLengthMax) return reject({ code: "note_too_long", max: orderLimits.reasonLengthMax });
  // Already live (a replay, or two terminals resuming at once): nothing to do.
  if (isActive(state.status)) return accept([]);
  if (state.status !== "timed_out") return reject({ code: "session_closed", status: state.status });
  return accept([{ type: "SessionResumed", v: 1, at: command.at, actor: command.actor, reason }]);
}

/**
 * What a timed-out session refuses: anything that adds to the order. Kitchen progress, cancels,
 * adjustments, payments, refunds and close still work, so the bill can always be settled.
 */
export function timedOutRefusal(command: SessionCommand, state: SessionState): DomainError | undefined {
  if (state.status !== "timed_out") return undefined;
  if (command.type === "ConfirmDraft" || command.type === "ChangeItemQuantity") {
    return { code: "session_timed_out" };
  }
  return undefined;
}

/** Milliseconds from the last activity to `at` (both ISO-8601); a time that does not parse counts as no idle time. */
function idleMs(lastActivityAt: string, at: string): number {
  const elapsed = Date.parse(at) - Date.parse(lastActivityAt);
  return Number.isFinite(elapsed) ? elapsed : 0;
}

function accept(events: SessionEvent[]): Step {
  return { ok: true, events };
}

function reject(error: DomainError): Step {
  return { ok: false, error };
}
