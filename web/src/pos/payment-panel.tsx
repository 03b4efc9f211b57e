import { useEffect, useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { toast } from "../shared/toasts.tsx";
import { AdjustmentList } from "./adjustment-list.tsx";
import { PaymentList } from "./payment-list.tsx";
import { decidedOn, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

type Mode = "all" | "split" | "items" | "amount";
type Method = "cash" | "card";
const modes: readonly Mode[] = ["all", "split", "items", "amount"];

/** The equal split rule of docs/PAYMENTS.md §3 (floor, remainder one won each to the first shares): only used offline. */
export function localShares(payable: number, ways: number): number[] {
  const base = Math.floor(payable / ways);
  return Array.from({ length: ways }, (_, i) => base + (i < payable - base * ways ? 1 : 0));
}

const isPaidShare = (state: any, label: string) => [...state.payments.values()].some((p: any) => p.label === label && (p.status === "approved" || p.status === "partially_approved"));

/**
 * R-UI-3: total, paid and balance at a glance; pay all, split equally (payment.quote `ways`), by
 * items or any amount, by cash (tendered → change) or card, as many payments as it takes. The
 * payment that settles the table closes it (R-PAY-5) and the POS goes back to the floor.
 */
export function PaymentPanel({ ctx, rev, onClosed }: { ctx: TableCtx; rev: number; onClosed: () => void }) {
  const s = ctx.state;
  const outstanding = Number(s.outstandingWon);
  const payable = Math.max(0, outstanding - Number(s.pendingWon));
  // Cash queued offline counts as paid here, so the same share or amount is not queued twice.
  const queuedPayments = ctx.queue.entries.flatMap((e) => (e.body.type === "payment.start" ? [e.body] : []));
  const due = Math.max(0, payable - queuedPayments.reduce((sum, p) => sum + p.amount, 0));
  const isTaken = (label: string) => isPaidShare(s, label) || queuedPayments.some((p) => p.label === label);
  const [mode, setMode] = useState<Mode>("all");
  const [ways, setWays] = useState(2);
  const [shares, setShares] = useState<number[]>([]);
  const [chosenShare, setShare] = useState<number | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [itemsAmount, setItemsAmount] = useState(0);
  const [typed, setTyped] = useState("");
  const [method, setMethod] = useState<Method>("card");
  const [tendered, setTendered] = useState("");
  const [busy, setBusy] = useState(false);

  // The split is the server's (R-PAY-1), asked again when the ways change; offline, the same rule locally.
  useEffect(() => {
    if (mode !== "split") return;
    setShare(null);
    if (!ctx.online) return setShares(localShares(payable, ways));
    void ctx.run<{ sharesWon?: number[] }>("payment.quote", { ways }).then((q) => q?.sharesWon && setShares(q.sharesWon));
  }, [mode, ways]);
  useEffect(() => {
    if (mode !== "items" || picked.size === 0) return setItemsAmount(0);
    void ctx.run<{ itemsAmountWon?: number | null }>("payment.quote", { itemIds: [...picked] }).then((q) => setItemsAmount(Number(q?.itemsAmountWon ?? 0)));
  }, [mode, picked]);

  // After a share is paid the next unpaid one is ready, so a split bill is tap, pay, tap, pay.
  const nextShare = shares.findIndex((_, i) => !isTaken(`${i + 1}/${ways}`));
  const share = chosenShare ?? (nextShare >= 0 ? nextShare : null);
  const amount = mode === "all" ? due : mode === "split" ? (share === null || isTaken(`${share + 1}/${ways}`) ? 0 : shares[share] ?? 0) : mode === "items" ? Math.min(itemsAmount, due) : Number.parseInt(typed, 10) || 0;
  const label = mode === "split" && share !== null ? `${share + 1}/${ways}` : undefined;
  const cashGiven = Number.parseInt(tendered, 10) || amount;
  const pay = async () => {
    if (amount <= 0) return;
    setBusy(true);
    const fields = { method, amount, ...(method === "cash" ? { tendered: cashGiven } : {}), ...(label ? { label } : {}) };
    try {
      if (!ctx.online) {
        if (method !== "cash") return void toast(t("notQueueable"), "error");
        if (!(await ctx.queue.enqueue({ type: "payment.start", ...fields, method: "cash" }))) return;
        toast(t("queuedSaved"));
        setShare(null);
        setTendered("");
        setTyped("");
        return;
      }
      const done = await ctx.run<{ approvedWon: number; changeWon: number; method: string; sessionStatus: string }>("payment.start", { ...fields, ...decidedOn(s) });
      if (!done) return;
      toast(done.method === "cash" ? t("approvedChange", { amount: won(done.approvedWon), change: won(done.changeWon) }) : t("approved", { method: t(`method_${method}`), amount: won(done.approvedWon) }));
      setShare(null);
      setTendered("");
      setTyped("");
      if (done.sessionStatus === "closed") onClosed();
    } finally {
      setBusy(false);
    }
  };
  const printReceipt = async () => {
    const printed = await ctx.run<{ copy: number }>("receipt.print", {});
    if (printed) toast(printed.copy > 1 ? t("receiptReprinted", { n: printed.copy }) : t("receiptPrinted"));
  };

  return (
    <section class="payment" aria-labelledby="payment-heading" data-payment-panel>
      <h2 id="payment-heading">{t("payHeading")}</h2>
      <dl class="figures">
        <div><dt>{t("sessionTotal")}</dt><dd data-figure="total">{won(Number(s.sessionTotalWon))}</dd></div>
        <div><dt>{t("paid")}</dt><dd data-figure="paid">{won(Number(s.paidWon))}</dd></div>
        {Number(s.pendingWon) > 0 && <div><dt>{t("pending")}</dt><dd data-figure="pending">{won(Number(s.pendingWon))}</dd></div>}
        <div class="due"><dt>{t("outstanding")}</dt><dd data-figure="outstanding">{won(outstanding)}</dd></div>
      </dl>
      <AdjustmentList ctx={ctx} rev={rev} />
      <div class="modes" role="group" aria-label={t("payHeading")}>
        {modes.map((m) => <button key={m} type="button" class={m === mode ? "chip on" : "chip"} aria-pressed={m === mode} data-mode={m} onClick={() => setMode(m)}>{t(`mode_${m}`)}</button>)}
      </div>
      {mode === "split" && (
        <div class="split">
          <div class="row">
            <span>{t("ways")}</span>
            <button type="button" aria-label={t("less")} disabled={ways <= 2} onClick={() => setWays((w) => Math.max(2, w - 1))}>−</button>
            <output data-ways>{ways}</output>
            <button type="button" aria-label={t("more")} disabled={ways >= 50} onClick={() => setWays((w) => Math.min(50, w + 1))}>+</button>
          </div>
          <div class="shares">
            {shares.map((value, i) => {
              const shareLabel = `${i + 1}/${ways}`;
              const paid = isTaken(shareLabel);
              return (
                <button key={shareLabel} type="button" class={i === share ? "chip on" : "chip"} aria-pressed={i === share} data-share={shareLabel} disabled={paid} onClick={() => setShare(i)}>
                  {t("share", { label: shareLabel, amount: won(value) })}{paid ? ` · ${t("sharePaid")}` : ""}
                </button>
              );
            })}
          </div>
        </div>
      )}
      {mode === "items" && (
        <ul class="pick-items">
          {[...s.items.values()].filter((i: any) => i.state !== "cancelled").map((i: any) => (
            <li key={i.itemId}><label><input type="checkbox" checked={picked.has(i.itemId)} onChange={() => {
              const next = new Set(picked);
              if (!next.delete(i.itemId)) next.add(i.itemId);
              setPicked(next);
            }} /> {i.quantity}× {i.name} · {won(Number(i.lineTotalWon))}</label></li>
          ))}
        </ul>
      )}
      {mode === "amount" && <label class="field">{t("amount")}<input name="amount" inputMode="numeric" value={typed} onInput={(e) => setTyped(e.currentTarget.value.replace(/\D/g, ""))} /></label>}
      <div class="methods" role="group" aria-label={t("amount")}>
        {(["card", "cash"] as const).map((m) => <button key={m} type="button" class={m === method ? "chip on" : "chip"} aria-pressed={m === method} data-method={m} onClick={() => setMethod(m)}>{t(`method_${m}`)}</button>)}
      </div>
      {method === "cash" && (
        <div class="cash">
          <label class="field">{t("tendered")}<input name="tendered" inputMode="numeric" placeholder={String(amount)} value={tendered} onInput={(e) => setTendered(e.currentTarget.value.replace(/\D/g, ""))} /></label>
          <output data-change>{t("change", { amount: won(Math.max(0, cashGiven - amount)) })}</output>
        </div>
      )}
      <button type="button" class="primary big" data-action="pay" disabled={busy || amount <= 0 || (!ctx.online && method !== "cash")} onClick={() => void pay()}>
        {amount <= 0 && due === 0 ? t("nothingDue") : method === "cash" ? t("payCash", { amount: won(amount) }) : t("payCard", { amount: won(amount) })}
      </button>
      <PaymentList payments={[...s.payments.values()]} />
      <button type="button" data-action="receipt" disabled={!ctx.online || Number(s.sessionTotalWon) === 0} onClick={() => void printReceipt()}>{t("receipt")}</button>
    </section>
  );
}
