import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { ApproverForm, approverRefusalText, type Approver } from "./approver-form.tsx";
import { Dialog } from "./dialog.tsx";
import { refusalText, type Refusal } from "./refusals.ts";
import { sendCommand, type DecidedOn, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

/** The four things a server gives at the table (PAYMENTS.md §2); comps, coupons and corrections stay in admin hands. */
const forms = {
  discount_percent: { kind: "percent_discount", percent: true },
  discount_amount: { kind: "fixed_discount", percent: false },
  charge_percent: { kind: "service_charge", percent: true },
  charge_amount: { kind: "service_charge", percent: false },
} as const;
type Form = keyof typeof forms;
type Scope = "session" | "batch" | "item";
const scopes: readonly Scope[] = ["session", "batch", "item"];

/** What a batch or item is called on this screen, for the target list and the adjustments list. */
export function targetWords(state: any, scope: string, targetId: string): string {
  if (scope === "batch") {
    const batch = state.batches.get(targetId);
    return batch ? t("batch", { n: batch.batchNo }) : targetId;
  }
  if (scope === "item") {
    const item = state.items.get(targetId);
    return item ? `${item.quantity}× ${item.name}` : targetId;
  }
  return t("scope_session");
}

function targetsOf(state: any, scope: Scope): { id: string; words: string }[] {
  if (scope === "batch") {
    return [...state.batches.values()].filter((b: any) => b.status !== "void").sort((a: any, b: any) => a.batchNo - b.batchNo)
      .map((b: any) => ({ id: b.batchId, words: `${t("batch", { n: b.batchNo })} · ${won(Number(b.totalWon))}` }));
  }
  if (scope === "item") {
    return [...state.items.values()].filter((i: any) => i.state !== "cancelled")
      .map((i: any) => ({ id: i.itemId, words: `${i.quantity}× ${i.name} · ${won(Number(i.lineTotalWon))}` }));
  }
  return [];
}

/**
 * A discount or service charge, percent or won, on the table, one order or one item, always with
 * a reason from the store's list (R-INV-1). Above the store's threshold the server answers
 * APPROVAL_REQUIRED: the dialog then asks a second person's id and PIN and sends it again.
 */
export function AdjustmentDialog({ ctx, decided, onDone }: { ctx: TableCtx; decided: DecidedOn; onDone: () => void }) {
  const reasons = ctx.menu.adjustmentReasons ?? [];
  const [form, setForm] = useState<Form>("discount_percent");
  const [value, setValue] = useState("");
  const [scope, setScope] = useState<Scope>("session");
  const [targetId, setTargetId] = useState("");
  const [reasonCode, setReasonCode] = useState("");
  const [note, setNote] = useState("");
  const [approval, setApproval] = useState<{ amount: number; threshold: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { kind, percent } = forms[form];
  const number = Number.parseInt(value, 10) || 0;
  const targets = targetsOf(ctx.state, scope);
  const target = scope === "session" ? null : targets.some((x) => x.id === targetId) ? targetId : targets[0]?.id ?? null;
  const valid = number > 0 && (!percent || number <= 100) && reasonCode !== "" && (scope === "session" || target !== null);

  const apply = async (approver?: Approver) => {
    setBusy(true);
    setError(null);
    const fields = {
      kind, scope, ...(target ? { targetId: target } : {}), ...(percent ? { percent: number } : { amount: number }),
      reasonCode, ...(note.trim() ? { note: note.trim() } : {}), ...(approver ? { approver } : {}), ...decided,
    };
    const sent = await sendCommand<{ amountWon: number }>(ctx.client, "adjustment.apply", fields);
    setBusy(false);
    if (sent.ok) {
      toast(t("adjustedToast", { amount: won(Number(sent.data.amountWon)) }));
      return onDone();
    }
    const refusal = sent.refusal;
    const d = (refusal.details ?? {}) as Record<string, unknown>;
    if (refusal.code === "APPROVAL_REQUIRED") return setApproval({ amount: Number(d.amount), threshold: Number(d.threshold) });
    if (refusal.code === "VERSION_CONFLICT") {
      ctx.refuse(refusal);
      return onDone();
    }
    setError(approver ? approverRefusalText(refusal) : adjustRefusalText(refusal));
  };

  if (approval) {
    return (
      <Dialog title={t("approvalTitle")} onClose={onDone} kind="approval">
        <ApproverForm amount={approval.amount} threshold={approval.threshold} busy={busy} error={error} onCancel={onDone} onApprove={(approver) => void apply(approver)} />
      </Dialog>
    );
  }
  return (
    <Dialog title={t("adjustTitle")} onClose={onDone} kind="adjust">
      <fieldset class="option-group">
        <legend>{t("adjustForm")}</legend>
        {(Object.keys(forms) as Form[]).map((f) => (
          <button key={f} type="button" class={f === form ? "chip on" : "chip"} aria-pressed={f === form} data-form={f} onClick={() => setForm(f)}>{t(`form_${f}`)}</button>
        ))}
      </fieldset>
      <label class="field">{percent ? t("adjustPercent") : t("adjustAmount")}
        <input name="adjust-value" inputMode="numeric" value={value} onInput={(e) => setValue(e.currentTarget.value.replace(/\D/g, "").slice(0, 9))} />
      </label>
      <fieldset class="option-group">
        <legend>{t("adjustScope")}</legend>
        {scopes.map((s) => (
          <button key={s} type="button" class={s === scope ? "chip on" : "chip"} aria-pressed={s === scope} data-scope={s} onClick={() => setScope(s)}>{t(`scope_${s}`)}</button>
        ))}
      </fieldset>
      {scope !== "session" && (
        <label class="field">{t("adjustTarget")}
          <select name="adjust-target" value={target ?? ""} onChange={(e) => setTargetId(e.currentTarget.value)}>
            {targets.map((x) => <option key={x.id} value={x.id}>{x.words}</option>)}
          </select>
        </label>
      )}
      <fieldset class="option-group">
        <legend>{t("adjustReason")}</legend>
        {reasons.map((r) => (
          <button key={r.code} type="button" class={r.code === reasonCode ? "chip on" : "chip"} aria-pressed={r.code === reasonCode} data-reason={r.code} onClick={() => setReasonCode(r.code)}>{r.label}</button>
        ))}
      </fieldset>
      <label class="field">{t("adjustNote")}<input name="adjust-note" value={note} maxLength={200} onInput={(e) => setNote(e.currentTarget.value)} /></label>
      {error && <p class="dialog-refusal" role="alert" data-dialog-refusal>{error}</p>}
      <div class="dialog-actions">
        <button type="button" onClick={onDone}>{t("close")}</button>
        <button type="button" class="primary" data-action="apply-adjustment" disabled={busy || !valid} onClick={() => void apply()}>{t("adjustApply")}</button>
      </div>
    </Dialog>
  );
}

/** An adjustment refused: its shape in adjustment words (the generic INVALID_AMOUNT text is about payments). */
function adjustRefusalText(refusal: Refusal): string {
  const d = (refusal.details ?? {}) as Record<string, unknown>;
  if (refusal.code === "INVALID_AMOUNT" && d.rule !== "below_zero") return t("adjustInvalid");
  return refusalText(refusal);
}
