import type { ConflictingChange } from "./rebase.ts";

/** Which total a money bound applies to. */
export type AmountKind = "line" | "draft" | "session";

/**
 * Expected refusals, named after the rule they protect (house style): values, never throws.
 * The room maps each code to a stable wire code (docs/PROTOCOL.md).
 */
export type DomainError =
  | { code: "no_open_session" }
  | { code: "session_already_open"; sessionId: string }
  | { code: "session_closed"; status: string }
  /**
   * R-CON-2: a stale command that does not commute with what happened since (rebase.ts). `changes`
   * lists those changes (absent when no history was given; empty when the version is from the future).
   */
  | { code: "version_conflict"; expected: number; actual: number; changes?: readonly ConflictingChange[]; changesOmitted?: number }
  | { code: "empty_draft" }
  | { code: "too_many_lines"; max: number }
  /** A line, draft (confirm batch) or session total would pass moneyLimits.totalMax; `amount` is what it would have been. */
  | { code: "amount_too_large"; what: AmountKind; max: number; amount: number }
  | { code: "unknown_menu_item"; menuId: string }
  | { code: "sold_out"; menuId: string; remaining?: number }
  | { code: "invalid_quantity"; min: number; max: number }
  | { code: "invalid_options"; menuId: string; detail: string }
  | { code: "note_too_long"; max: number }
  | { code: "invalid_guests"; max: number }
  | { code: "reason_required" }
  | { code: "unknown_item"; itemId: string }
  | { code: "item_already_cancelled"; itemId: string }
  | { code: "cancel_needs_admin"; itemId: string; state: string }
  /** An id handed in with the command already names something in this session. */
  | { code: "id_already_used"; id: string }
  | { code: "unknown_batch"; batchId: string }
  | { code: "unknown_ticket"; ticketId: string }
  | { code: "invalid_transition"; itemId: string; from: string; to: string }
  | { code: "ticket_not_bumped"; ticketId: string }
  | { code: "nothing_to_cancel"; batchId: string }
  /** R-VAL-2 / R-PAY-5: closing needs nothing outstanding and nothing in flight. */
  | { code: "balance_outstanding"; outstanding: number }
  | { code: "payment_in_progress"; paymentIds: string[] }
  | { code: "refund_due"; amount: number }
  | { code: "invalid_amount"; detail: string }
  | { code: "amount_exceeds_due"; amount: number; due: number }
  | { code: "unknown_reason_code"; reasonCode: string; allowed: string[] }
  | { code: "approval_required"; amount: number; threshold: number }
  | { code: "unknown_adjustment"; adjustmentId: string }
  | { code: "unknown_payment"; paymentId: string }
  | { code: "unknown_refund"; refundId: string }
  | { code: "invalid_target"; scope: string; targetId: string | null }
  /** A discount may not take what it applies to below zero (item, batch or session). */
  | { code: "below_zero"; scope: string; targetId: string | null; value: number }
  | { code: "payment_not_pending"; paymentId: string; status: string }
  | { code: "refund_not_pending"; refundId: string; status: string }
  | { code: "refund_exceeds_payment"; amount: number; refundable: number }
  | { code: "payment_not_refundable"; paymentId: string; status: string }
  | { code: "admin_only"; action: string }
  | { code: "session_not_closed"; status: string }
  /** R-TLL-2: QR/app items are the guest's; staff may not change them unless the store allows it. */
  | { code: "remote_order_locked"; itemId: string; source: string }
  /** A prepaid order whose paid amount is not what its items cost here (client prices are ignored). */
  | { code: "prepaid_mismatch"; amount: number; total: number }
  /** R-OFF-1: a timed-out session takes no new order until staff resume it. */
  | { code: "session_timed_out" }
  /** R-OFF-1: the session moved since the sweeper looked, or has not been idle long enough. */
  | { code: "session_not_idle"; lastActivityAt: string }
  /** A command only certain actors may give (the idle timeout: the system; a resume: staff). */
  | { code: "role_not_allowed"; action: string; role: string };

export type DomainErrorCode = DomainError["code"];
