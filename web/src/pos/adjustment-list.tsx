import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { AdjustmentDialog, targetWords } from "./adjustment-dialog.tsx";
import { Dialog } from "./dialog.tsx";
import { refusalText } from "./refusals.ts";
import { decidedOn, sendCommand, type DecidedOn, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

const kinds = new Set(["percent_discount", "fixed_discount", "coupon", "comp", "service_charge", "correction"]);

/** An adjustment in words: `할인 10% · 테이블 전체 · 단골 할인`. */
function adjustmentWords(ctx: TableCtx, a: any): string {
  const kind = kinds.has(a.kind) ? t(`kind_${a.kind}` as "kind_comp", { percent: a.percent }) : a.kind;
  const what = a.kind === "service_charge" && a.percent > 0 ? `${kind} ${a.percent}%` : kind;
  const reason = ctx.menu.adjustmentReasons?.find((r) => r.code === a.reasonCode)?.label ?? a.reasonCode;
  return [what, targetWords(ctx.state, a.scope, a.targetId), reason, a.note].filter(Boolean).join(" · ");
}

/**
 * The table's live discounts and service charges (state `adjustments`) with their signed amount,
 * a way to add one, and to remove one with a reason (PAYMENTS.md §2). Online only: an adjustment
 * is not an offline command (R-OFF-2).
 */
export function AdjustmentList({ ctx }: { ctx: TableCtx; rev: number }) {
  const [applying, setApplying] = useState<DecidedOn | null>(null);
  const [removing, setRemoving] = useState<{ adjustmentId: string; decided: DecidedOn } | null>(null);
  const list = [...ctx.state.adjustments.values()];
  const removed = removing ? ctx.state.adjustments.get(removing.adjustmentId) : null;
  return (
    <section class="adjustments" aria-labelledby="adjustments-heading" data-adjustments>
      <div class="row">
        <h3 id="adjustments-heading">{t("adjustments")}</h3>
        <button type="button" data-action="adjust" disabled={!ctx.online || (ctx.menu.adjustmentReasons ?? []).length === 0} onClick={() => setApplying(decidedOn(ctx.state))}>{t("adjustAdd")}</button>
      </div>
      {list.length > 0 && (
        <ul>
          {list.map((a: any) => (
            <li key={a.adjustmentId} data-adjustment-id={a.adjustmentId} data-adjustment-kind={a.kind}>
              <span>{adjustmentWords(ctx, a)}</span>
              <span class="adjustment-amount" data-adjustment-amount>{won(Number(a.amountWon))}</span>
              <button type="button" data-action="remove-adjustment" disabled={!ctx.online} onClick={() => setRemoving({ adjustmentId: a.adjustmentId, decided: decidedOn(ctx.state) })}>{t("adjustRemove")}</button>
            </li>
          ))}
        </ul>
      )}
      {applying !== null && <AdjustmentDialog ctx={ctx} decided={applying} onDone={() => setApplying(null)} />}
      {removing && removed && <RemoveDialog ctx={ctx} adjustment={removed} decided={removing.decided} words={adjustmentWords(ctx, removed)} onDone={() => setRemoving(null)} />}
    </section>
  );
}

/** Removing an adjustment always needs a reason (R-VAL-1); an approved one only an admin may remove. */
function RemoveDialog({ ctx, adjustment, decided, words, onDone }: { ctx: TableCtx; adjustment: any; decided: DecidedOn; words: string; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    setError(null);
    const sent = await sendCommand(ctx.client, "adjustment.remove", { adjustmentId: adjustment.adjustmentId, reason: reason.trim(), ...decided });
    setBusy(false);
    if (sent.ok) {
      toast(t("adjustRemoved"));
      return onDone();
    }
    if (sent.refusal.code === "VERSION_CONFLICT") {
      ctx.refuse(sent.refusal);
      return onDone();
    }
    // The server takes no approver on a removal: an approved or large one is an admin's to remove.
    setError(sent.refusal.code === "APPROVAL_REQUIRED" ? t("removeNeedsAdmin") : refusalText(sent.refusal));
  };
  return (
    <Dialog title={t("adjustRemoveTitle", { what: words })} onClose={onDone} kind="adjust-remove">
      <p class="adjustment-amount">{won(Number(adjustment.amountWon))}</p>
      <label class="field">{t("reason")}<input name="remove-reason" value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      {error && <p class="dialog-refusal" role="alert" data-dialog-refusal>{error}</p>}
      <div class="dialog-actions">
        <button type="button" onClick={onDone}>{t("close")}</button>
        <button type="button" class="danger" data-action="confirm-remove-adjustment" disabled={busy || !reason.trim()} onClick={() => void remove()}>{t("adjustRemove")}</button>
      </div>
    </Dialog>
  );
}
