import { useState } from "preact/hooks";
import { toast } from "../shared/toasts.tsx";
import { Dialog } from "./dialog.tsx";
import { sourceOf } from "./source-badge.tsx";
import type { DecidedOn, TableCtx } from "./table-context.ts";
import { reasonCodes, t, type ReasonCode } from "./texts.ts";

/**
 * Cancel an item or change its quantity, always with a reason (R-VAL-1). The command carries the
 * version the person decided on (when the dialog opened), so a change by someone else meanwhile
 * comes back as a conflict with what changed, not as a silent overwrite (R-CON-2).
 */
export function ItemEditDialog({ ctx, item, decided, onDone }: { ctx: TableCtx; item: any; decided: DecidedOn; onDone: () => void }) {
  const [reasonCode, setReasonCode] = useState<ReasonCode>("customer_request");
  const [reason, setReason] = useState(t("reason_customer_request"));
  const [quantity, setQuantity] = useState(Number(item.quantity));
  const [busy, setBusy] = useState(false);
  const remote = sourceOf(item.source) !== "pos";
  const pickCode = (code: ReasonCode) => {
    setReasonCode(code);
    setReason(t(`reason_${code}`));
  };
  const act = async (kind: "cancel" | "quantity") => {
    setBusy(true);
    const fields = { itemId: item.itemId, reason: reason.trim(), ...decided };
    const done = kind === "cancel"
      ? await ctx.run("item.cancel", { ...fields, reasonCode })
      : await ctx.run("item.changeQuantity", { ...fields, quantity });
    setBusy(false);
    if (done && kind === "quantity") toast(t("changedToast", { name: item.name, n: quantity }));
    onDone();
  };
  return (
    <Dialog title={t("editTitle", { name: item.name })} onClose={onDone}>
      {remote && <p class="note remote" data-remote-note>{t("remoteNote")}</p>}
      <fieldset class="option-group">
        <legend>{t("reasonCode")}</legend>
        {reasonCodes.map((code) => (
          <button key={code} type="button" class={code === reasonCode ? "chip on" : "chip"} aria-pressed={code === reasonCode} onClick={() => pickCode(code)}>{t(`reason_${code}`)}</button>
        ))}
      </fieldset>
      <label class="field">{t("reason")}<input name="reason" value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      <div class="row">
        <span>{t("newQuantity")}</span>
        <button type="button" aria-label={t("less")} onClick={() => setQuantity((q) => Math.max(1, q - 1))}>−</button>
        <output aria-live="polite" data-new-quantity>{quantity}</output>
        <button type="button" aria-label={t("more")} onClick={() => setQuantity((q) => Math.min(99, q + 1))}>+</button>
      </div>
      <div class="dialog-actions">
        <button type="button" onClick={onDone}>{t("close")}</button>
        <button type="button" data-action="change-quantity" disabled={busy || quantity === Number(item.quantity) || !reason.trim()} onClick={() => void act("quantity")}>{t("changeQuantity")}</button>
        <button type="button" class="danger" data-action="cancel-item" disabled={busy || !reason.trim()} onClick={() => void act("cancel")}>{t("cancelItem")}</button>
      </div>
    </Dialog>
  );
}
