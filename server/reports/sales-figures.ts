import { amountsOf, assert, type SessionState } from "../../domain/index.ts";
import { splitVat } from "../../domain/vat.ts";

/** A count and its won. */
export interface Tally {
  readonly count: number;
  readonly won: number;
}

export interface ReasonTally extends Tally {
  readonly label: string;
}

/**
 * The money figures of a set of finished sessions (PAYMENTS-KR.md §5, Z report). Every figure is
 * a sum over sessions (`sessionFigures` + `addFigures`), so the day's report equals the sum of its
 * sessions to the won by construction. Maps are keyed by code and sorted, for stable JSON and CSV.
 */
export interface SalesFigures {
  readonly sessions: { readonly closed: number; readonly cancelled: number };
  /** 고객수: guests of closed sessions (a called-off stay served nobody). */
  readonly guests: number;
  /** 총매출: confirmed, not cancelled items. */
  readonly grossWon: number;
  readonly adjustments: {
    readonly totalWon: number;
    /** 할인 (negative) and charges such as 봉사료 (positive). */
    readonly discountsWon: number;
    readonly chargesWon: number;
    readonly byKind: Readonly<Record<string, Tally>>;
    readonly byReason: Readonly<Record<string, ReasonTally>>;
  };
  /** 순매출: session totals (gross + adjustments). */
  readonly netSalesWon: number;
  /** 공급가액 + 부가세 = net, split per session (per receipt, the level receipts print), then summed. */
  readonly vat: { readonly supplyWon: number; readonly vatWon: number };
  /** Approved (before refunds) by tender, and card approvals by issuer (발급사). */
  readonly payments: { readonly approvedWon: number; readonly byMethod: Readonly<Record<string, Tally>>; readonly byCardIssuer: Readonly<Record<string, Tally>> };
  readonly refunds: { readonly refundedWon: number; readonly byMethod: Readonly<Record<string, Tally>> };
  /** Approved − refunded. Equals net sales minus `unpaidAtClose`, which is 0 since payments are taken (R-VAL-2). */
  readonly paidNetWon: number;
  /**
   * Sessions closed with money still outstanding, and how much: journals written before the POS
   * took payments (an admin closed over the items). Shown, never hidden, so net = paid + unpaid.
   */
  readonly unpaidAtClose: Tally;
  readonly voids: {
    /** Items cancelled outright, at their line total. */
    readonly items: Tally;
    /** Quantity reductions (R-ITEM-1), at what they took off. */
    readonly quantityReductions: Tally;
    /** Payments declined or net-cancelled (no charge), at what was asked. */
    readonly payments: Tally;
  };
}

export const unknownIssuer = "(unknown)";

export function zeroFigures(): SalesFigures {
  return {
    sessions: { closed: 0, cancelled: 0 },
    guests: 0,
    grossWon: 0,
    adjustments: { totalWon: 0, discountsWon: 0, chargesWon: 0, byKind: {}, byReason: {} },
    netSalesWon: 0,
    vat: { supplyWon: 0, vatWon: 0 },
    payments: { approvedWon: 0, byMethod: {}, byCardIssuer: {} },
    refunds: { refundedWon: 0, byMethod: {} },
    paidNetWon: 0,
    unpaidAtClose: zeroTally,
    voids: { items: zeroTally, quantityReductions: zeroTally, payments: zeroTally },
  };
}

const zeroTally: Tally = { count: 0, won: 0 };

/**
 * The figures of one finished (closed or called-off) session, folded from its journal.
 * `labels` names adjustment reason codes (store config); an unknown code is its own label.
 */
export function sessionFigures(state: SessionState, labels: ReadonlyMap<string, string>): SalesFigures {
  assert(state.status === "closed" || state.status === "cancelled", `a ${state.status} session is not finished`);
  const amounts = amountsOf(state);
  // What evolve makes a called-off session: nothing sold, nothing paid.
  assert(state.status === "closed" || (amounts.itemsTotal === 0 && amounts.approved === 0), `called-off session ${state.sessionId} holds money`);
  const byKind: Record<string, Tally> = {};
  const byReason: Record<string, ReasonTally> = {};
  for (const a of state.adjustments.values()) {
    add(byKind, a.kind, a.amount);
    const prior = byReason[a.reasonCode];
    byReason[a.reasonCode] = { label: labels.get(a.reasonCode) ?? a.reasonCode, count: (prior?.count ?? 0) + 1, won: (prior?.won ?? 0) + a.amount };
  }
  const paymentsByMethod: Record<string, Tally> = {};
  const byCardIssuer: Record<string, Tally> = {};
  let voidedPayments = zeroTally;
  for (const p of state.payments.values()) {
    if (p.approved > 0) add(paymentsByMethod, p.method, p.approved);
    if (p.approved > 0 && p.method === "card") add(byCardIssuer, p.provider?.cardIssuer ?? unknownIssuer, p.approved);
    if (p.status === "void") voidedPayments = plus(voidedPayments, p.requested);
  }
  const refundsByMethod: Record<string, Tally> = {};
  for (const r of state.refunds.values()) {
    if (r.status !== "completed") continue;
    add(refundsByMethod, state.payments.get(r.paymentId)!.method, r.amount);
  }
  const vat = splitVat(amounts.sessionTotal);
  const figures: SalesFigures = {
    sessions: { closed: state.status === "closed" ? 1 : 0, cancelled: state.status === "cancelled" ? 1 : 0 },
    guests: state.status === "closed" ? state.guests : 0,
    grossWon: amounts.itemsTotal,
    adjustments: { totalWon: amounts.adjustmentsTotal, discountsWon: amounts.discountsTotal, chargesWon: amounts.chargesTotal, byKind: sorted(byKind), byReason: sorted(byReason) },
    netSalesWon: amounts.sessionTotal,
    vat: { supplyWon: vat.supply, vatWon: vat.vat },
    payments: { approvedWon: amounts.approved, byMethod: sorted(paymentsByMethod), byCardIssuer: sorted(byCardIssuer) },
    refunds: { refundedWon: amounts.refunded, byMethod: sorted(refundsByMethod) },
    paidNetWon: amounts.paid,
    unpaidAtClose: amounts.outstanding === 0 ? zeroTally : { count: 1, won: amounts.outstanding },
    voids: { ...voidsOf(state), payments: voidedPayments },
  };
  // Postconditions, paired: the breakdowns add up to the session's own amounts.
  assert(sumWon(figures.refunds.byMethod) === amounts.refunded && sumWon(figures.payments.byMethod) === amounts.approved, `session ${state.sessionId}: tender breakdown does not add up`);
  assert(figures.paidNetWon + figures.unpaidAtClose.won === figures.netSalesWon && sumWon(byKind) === amounts.adjustmentsTotal, `session ${state.sessionId}: paid ${figures.paidNetWon} + unpaid != net ${figures.netSalesWon}`);
  return figures;
}

/** Cancelled lines: outright cancels, and the part of a line a quantity change took off. */
function voidsOf(state: SessionState): { items: Tally; quantityReductions: Tally } {
  let items = zeroTally;
  let quantityReductions = zeroTally;
  for (const item of state.items.values()) {
    if (item.state !== "cancelled") continue;
    if (item.replacedByItemId === null) {
      items = plus(items, item.lineTotal);
      continue;
    }
    const replacement = state.items.get(item.replacedByItemId);
    assert(replacement, `replacement ${item.replacedByItemId} of ${item.itemId} is missing`);
    if (replacement.lineTotal < item.lineTotal) quantityReductions = plus(quantityReductions, item.lineTotal - replacement.lineTotal);
  }
  return { items, quantityReductions };
}

/** The sum of two sets of figures, figure by figure and key by key. */
export function addFigures(a: SalesFigures, b: SalesFigures): SalesFigures {
  return {
    sessions: { closed: a.sessions.closed + b.sessions.closed, cancelled: a.sessions.cancelled + b.sessions.cancelled },
    guests: a.guests + b.guests,
    grossWon: a.grossWon + b.grossWon,
    adjustments: {
      totalWon: a.adjustments.totalWon + b.adjustments.totalWon,
      discountsWon: a.adjustments.discountsWon + b.adjustments.discountsWon,
      chargesWon: a.adjustments.chargesWon + b.adjustments.chargesWon,
      byKind: merge(a.adjustments.byKind, b.adjustments.byKind),
      byReason: merge(a.adjustments.byReason, b.adjustments.byReason, (x, y) => ({ label: x.label, count: x.count + y.count, won: x.won + y.won })),
    },
    netSalesWon: a.netSalesWon + b.netSalesWon,
    vat: { supplyWon: a.vat.supplyWon + b.vat.supplyWon, vatWon: a.vat.vatWon + b.vat.vatWon },
    payments: { approvedWon: a.payments.approvedWon + b.payments.approvedWon, byMethod: merge(a.payments.byMethod, b.payments.byMethod), byCardIssuer: merge(a.payments.byCardIssuer, b.payments.byCardIssuer) },
    refunds: { refundedWon: a.refunds.refundedWon + b.refunds.refundedWon, byMethod: merge(a.refunds.byMethod, b.refunds.byMethod) },
    paidNetWon: a.paidNetWon + b.paidNetWon,
    unpaidAtClose: sumTally(a.unpaidAtClose, b.unpaidAtClose),
    voids: { items: sumTally(a.voids.items, b.voids.items), quantityReductions: sumTally(a.voids.quantityReductions, b.voids.quantityReductions), payments: sumTally(a.voids.payments, b.voids.payments) },
  };
}

function add(into: Record<string, Tally>, key: string, won: number): void {
  into[key] = plus(into[key] ?? zeroTally, won);
}

function plus(t: Tally, won: number): Tally {
  return { count: t.count + 1, won: t.won + won };
}

function sumTally(a: Tally, b: Tally): Tally {
  return { count: a.count + b.count, won: a.won + b.won };
}

function sumWon(tallies: Readonly<Record<string, Tally>>): number {
  return Object.values(tallies).reduce((sum, t) => sum + t.won, 0);
}

function merge<T extends Tally>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>, combine: (x: T, y: T) => T = (x, y) => sumTally(x, y) as T): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = out[key] === undefined ? value : combine(out[key], value);
  return sorted(out);
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
