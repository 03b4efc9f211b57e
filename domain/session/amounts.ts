import { assert } from "../assert.ts";
import { moneyLimits } from "../limits.ts";
import type { DomainError } from "./errors.ts";
import type { Adjustment, AdjustmentScope, OrderItem, SessionState } from "./state.ts";

/**
 * The money of one session, as SPEC defines it (plain integers of won, all within ±moneyLimits.totalMax):
 *   sessionTotal = itemsTotal + adjustmentsTotal            (R-INV-1; adjustments are signed)
 *   paid         = approved − refunded                      (R-INV-2)
 *   outstanding  = sessionTotal − paid                      (R-VAL-2; 0 at close)
 *   payable      = outstanding − pending                    (what a new payment may still ask for)
 * A negative outstanding is money owed back to the guest (after a cancel on a paid bill): it must be
 * refunded before the session can close.
 */
export interface SessionAmounts {
  readonly itemsTotal: number;
  readonly adjustmentsTotal: number;
  readonly discountsTotal: number;
  readonly chargesTotal: number;
  readonly sessionTotal: number;
  readonly approved: number;
  readonly refunded: number;
  readonly paid: number;
  /** Payments asked of a provider and not answered yet. */
  readonly pending: number;
  readonly refundPending: number;
  readonly outstanding: number;
  readonly payable: number;
}

export function amountsOf(state: SessionState): SessionAmounts {
  let adjustmentsTotal = 0;
  let discountsTotal = 0;
  let chargesTotal = 0;
  for (const a of state.adjustments.values()) {
    adjustmentsTotal += a.amount;
    if (a.amount < 0) discountsTotal += a.amount;
    else chargesTotal += a.amount;
  }
  let approved = 0;
  let refunded = 0;
  let pending = 0;
  let refundPending = 0;
  for (const p of state.payments.values()) {
    approved += p.approved;
    refunded += p.refunded;
    refundPending += p.refundPending;
    if (p.status === "pending") pending += p.requested;
  }
  const sessionTotal = state.total + adjustmentsTotal;
  const paid = approved - refunded;
  const outstanding = sessionTotal - paid;
  return {
    itemsTotal: state.total, adjustmentsTotal, discountsTotal, chargesTotal, sessionTotal,
    approved, refunded, paid, pending, refundPending, outstanding, payable: outstanding - pending,
  };
}

/**
 * What an adjustment target is worth now: an item's line plus its own adjustments; a batch's live
 * items (with theirs) plus the batch's; the session total. Undefined when the target is gone.
 */
export function targetValue(state: SessionState, scope: AdjustmentScope, targetId: string | null): number | undefined {
  switch (scope) {
    case "session":
      return targetId === null ? amountsOf(state).sessionTotal : undefined;
    case "item": {
      const item = targetId === null ? undefined : state.items.get(targetId);
      if (!item || item.state === "cancelled") return undefined;
      return item.lineTotal + adjustmentsOn(state, "item", item.itemId);
    }
    case "batch": {
      if (targetId === null || !state.batches.some((b) => b.batchId === targetId)) return undefined;
      const live = liveItemsOf(state, targetId);
      if (live.length === 0) return undefined;
      let value = adjustmentsOn(state, "batch", targetId);
      for (const item of live) value += item.lineTotal + adjustmentsOn(state, "item", item.itemId);
      return value;
    }
  }
}

function adjustmentsOn(state: SessionState, scope: AdjustmentScope, targetId: string): number {
  let sum = 0;
  for (const a of state.adjustments.values()) if (a.scope === scope && a.targetId === targetId) sum += a.amount;
  return sum;
}

function liveItemsOf(state: SessionState, batchId: string): OrderItem[] {
  return [...state.items.values()].filter((i) => i.batchId === batchId && i.state !== "cancelled");
}

/**
 * Percent of a value, rounded half up to the won (the one rounding rule for percent adjustments,
 * docs/PAYMENTS.md): 10 % of 12,345 = 1,234.5 → 1,235. Integers only: value ≤ 100억, percent ≤ 100.
 */
export function percentOf(value: number, percent: number): number {
  assert(Number.isSafeInteger(value) && value >= 0, `percent base must be a non-negative integer, got ${value}`);
  assert(Number.isSafeInteger(percent) && percent >= 0 && percent <= 100, `percent must be 0..100, got ${percent}`);
  return Math.floor((value * percent + 50) / 100);
}

/**
 * An amount split equally N ways: every share is floor(amount / N), and the remainder (< N won) goes
 * one won each to the FIRST shares, so the first payer pays at most 1 won more and the shares
 * always add up to the amount.
 */
export function splitEqually(amount: number, ways: number): number[] {
  assert(Number.isSafeInteger(amount) && amount >= 0, `split amount must be a non-negative integer, got ${amount}`);
  assert(Number.isSafeInteger(ways) && ways >= 1, `split ways must be a positive integer, got ${ways}`);
  const base = Math.floor(amount / ways);
  const remainder = amount - base * ways;
  return Array.from({ length: ways }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** What the listed live items cost with their own adjustments (split by items). */
export function itemsShare(state: SessionState, itemIds: readonly string[]): number | undefined {
  let sum = 0;
  for (const id of new Set(itemIds)) {
    const value = targetValue(state, "item", id);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

/**
 * R-INV-1/2, R-VAL-2 and the adjustment rules, checked on the state a command would produce: the
 * first broken rule, or undefined. The decider refuses the command with it; nothing is written.
 */
export function moneyViolation(state: SessionState): DomainError | undefined {
  const amounts = amountsOf(state);
  for (const [what, value] of [["session", amounts.sessionTotal], ["session", amounts.paid], ["session", amounts.approved]] as const) {
    if (!Number.isSafeInteger(value) || Math.abs(value) > moneyLimits.totalMax) return { code: "amount_too_large", what, max: moneyLimits.totalMax, amount: value };
  }
  if (amounts.sessionTotal < 0) return { code: "below_zero", scope: "session", targetId: null, value: amounts.sessionTotal };
  for (const a of state.adjustments.values()) {
    const value = targetValue(state, a.scope, a.targetId);
    if (value === undefined) return { code: "invalid_target", scope: a.scope, targetId: a.targetId };
    if (value < 0) return { code: "below_zero", scope: a.scope, targetId: a.targetId, value };
  }
  for (const p of state.payments.values()) {
    if (p.refunded + p.refundPending > p.approved) return { code: "refund_exceeds_payment", amount: p.refunded + p.refundPending, refundable: p.approved };
  }
  // Money in flight may never be more than what is due: a cancel meanwhile must wait for the answer.
  if (amounts.pending > 0 && amounts.pending > amounts.outstanding) {
    return { code: "payment_in_progress", paymentIds: [...state.payments.values()].filter((p) => p.status === "pending").map((p) => p.paymentId) };
  }
  if (state.status === "closed" && amounts.outstanding !== 0) return { code: "balance_outstanding", outstanding: amounts.outstanding };
  return undefined;
}

/** Adjustments that lapse with a cancelled item or a voided batch. */
export function adjustmentsLapsingWith(state: SessionState, after: SessionState): Adjustment[] {
  return [...state.adjustments.values()].filter((a) => a.scope !== "session" && targetValue(after, a.scope, a.targetId) === undefined);
}
