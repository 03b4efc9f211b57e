import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { refusalText, type Refusal } from "./refusals.ts";
import { t } from "./texts.ts";

export interface Approver { readonly staffId: string; readonly pin: string }

/**
 * PAYMENTS.md §2: an adjustment above the store's threshold needs a second person, who types
 * their own staff id and PIN on this terminal (`approver`). The PIN is never kept after sending.
 */
export function ApproverForm({ amount, threshold, busy, error, onCancel, onApprove }: {
  amount: number; threshold: number; busy: boolean; error: string | null; onCancel: () => void; onApprove: (approver: Approver) => void;
}) {
  const [staffId, setStaffId] = useState("");
  const [pin, setPin] = useState("");
  const approve = () => {
    onApprove({ staffId: staffId.trim(), pin });
    setPin("");
  };
  return (
    <form class="approver" data-approver-prompt onSubmit={(e) => { e.preventDefault(); approve(); }}>
      <p class="note" data-approval-needed>{t("approvalNeeded", { amount: won(amount), threshold: won(threshold) })}</p>
      <label class="field">{t("approverId")}<input name="approver" autoComplete="off" value={staffId} onInput={(e) => setStaffId(e.currentTarget.value)} /></label>
      <label class="field">{t("approverPin")}<input name="approver-pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
      {error && <p class="dialog-refusal" role="alert" data-dialog-refusal>{error}</p>}
      <div class="dialog-actions">
        <button type="button" onClick={onCancel}>{t("close")}</button>
        <button type="submit" class="primary" data-action="approve" disabled={busy || staffId.trim() === "" || pin === ""}>{t("approveAndApply")}</button>
      </div>
    </form>
  );
}

/** The approver's check failed: say so about the approver, not about this terminal's sign-in or lock. */
export function approverRefusalText(refusal: Refusal): string {
  const d = (refusal.details ?? {}) as Record<string, unknown>;
  if (refusal.code === "UNAUTHORIZED") return t("approverWrong");
  if (refusal.code === "LOCKED" && d.rule !== "lock_held") return t("approverLocked");
  if (refusal.code === "FORBIDDEN" && d.rule === undefined) return t("approverSelf");
  return refusalText(refusal);
}
