/**
 * The money ledger as a model-based property (SPEC R-INV-1..3, R-PAY-1..5, R-REF-1, R-VAL-1/2).
 * Random sequences of confirms, cancels, quantity changes, kitchen steps, adjustments of every kind and
 * scope, cash and card payments with random provider answers, refunds with random answers, closes and
 * reopens, by staff or admin. Every step, accepted or refused, is checked against:
 *  (a) a refusal is a typed error and leaves the state untouched;
 *  (b) after an acceptance the ledger invariants hold on the new state;
 *  (c) the whole event log folded from scratch equals the state reached step by step;
 *  (d) a separate tiny fold of the events (the model, written here) gives the same amounts as amountsOf.
 * Plus splitEqually and percentOf against exact arithmetic.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  AssertionError, amountsOf, buildMenu, decide, defaultMoneyPolicy, evolve, fold, initialSessionState, isActive, moneyLimits, percentOf, splitEqually, won,
  type ActorRef, type AdjustmentKind, type AdjustmentScope, type DecideContext, type LineRequest, type PaymentMethod, type SessionAmounts,
  type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { admin, at, cancelItem, changeQuantity, closeSession, confirmDraft, context, line, menu, openSession, staff } from "./fixtures.ts";
import { adjust, approve, cash, card, decline, refund, refundDone, refundFailed, removeAdjustment, reopen, voided } from "./money-fixtures.ts";

const { totalMax } = moneyLimits;

// ---------------------------------------------------------------- the plan of one step

/** An amount relative to what the state allows (payable, refundable), or a raw one (often refused). */
type AmountPlan = { mode: "all" } | { mode: "part"; percent: number } | { mode: "over"; extra: number } | { mode: "raw"; value: number };

type Plan =
  | { kind: "confirm"; lines: LineRequest[]; actor: ActorRef }
  | { kind: "cancel"; pick: number; actor: ActorRef }
  | { kind: "cancelBatch"; pick: number; actor: ActorRef }
  | { kind: "change"; pick: number; quantity: number; actor: ActorRef }
  | { kind: "advance"; pick: number; to: "cooking" | "cooked" | "served" }
  | {
    kind: "adjust"; adjustment: AdjustmentKind; scope: AdjustmentScope; pick: number; percent: number; amount: number; negative: boolean;
    reasonCode: string; actor: ActorRef; approved: boolean; reuseId: boolean;
  }
  | { kind: "removeAdjustment"; pick: number; actor: ActorRef; reason: string }
  | { kind: "pay"; method: PaymentMethod; amount: AmountPlan; extraTendered: number | null; months: number; actor: ActorRef; reuseId: boolean }
  | { kind: "paymentResult"; pick: number; result: "approved" | "partial" | "over" | "declined" | "voided"; part: number }
  | { kind: "refund"; pick: number; amount: AmountPlan; actor: ActorRef; reasonCode: string }
  | { kind: "refundResult"; pick: number; completed: boolean }
  | { kind: "close"; actor: ActorRef; reason: string }
  | { kind: "reopen"; actor: ActorRef; reason: string };

const actor = fc.constantFrom(staff, admin);
const demoLine: fc.Arbitrary<LineRequest> = fc.oneof(
  fc.record({ q: fc.integer({ min: 1, max: 5 }), spicy: fc.constantFrom("mild", "hot"), extras: fc.subarray(["egg", "ramen"]) })
    .map(({ q, spicy, extras }) => line("kimchi-stew", q, [spicy, ...extras])),
  fc.record({ q: fc.integer({ min: 1, max: 5 }), size: fc.constantFrom("500cc", "1000cc") }).map(({ q, size }) => line("draft-beer", q, [size])),
  fc.integer({ min: 1, max: 5 }).map((q) => line("egg-roll", q)),
);
const amountPlan: fc.Arbitrary<AmountPlan> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<AmountPlan>({ mode: "all" }) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 99 }).map((percent): AmountPlan => ({ mode: "part", percent })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((extra): AmountPlan => ({ mode: "over", extra })) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1000, 1.5, 50, 100, 30001, totalMax, totalMax + 1).map((value): AmountPlan => ({ mode: "raw", value })) },
);
const demoAdjustmentAmount = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1.5, 12_345, 30_000, 30_001, 100_000, totalMax, totalMax + 1) },
);

/** The demo menu plus a dish at the dearest unit a config allows (1억; ×99 = 9.9e9, near the 100억 bound). */
const dearContext: DecideContext = {
  menu: buildMenu(
    [...menu.items.values(), { id: "caviar", name: "캐비어", price: won(moneyLimits.unitPriceMax), stationId: "kitchen", soldOut: false, optionGroups: [] }],
    [...menu.stations.values()],
  ),
};
const dearLine = fc.oneof(demoLine, fc.integer({ min: 1, max: 99 }).map((q) => line("caviar", q)));
const dearAdjustmentAmount = fc.oneof(demoAdjustmentAmount, fc.integer({ min: 1, max: totalMax }));
const reasonCode = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...defaultMoneyPolicy.adjustmentReasonCodes) },
  { weight: 1, arbitrary: fc.constant("bogus") },
);

const planOf = (validLine: fc.Arbitrary<LineRequest>, adjustmentAmount: fc.Arbitrary<number>): fc.Arbitrary<Plan> => fc.oneof(
  { weight: 4, arbitrary: fc.record({ lines: fc.array(validLine, { minLength: 1, maxLength: 3 }), actor }).map((r): Plan => ({ kind: "confirm", ...r })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), actor }).map((r): Plan => ({ kind: "cancel", ...r })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), actor }).map((r): Plan => ({ kind: "cancelBatch", ...r })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), quantity: fc.integer({ min: 1, max: 6 }), actor }).map((r): Plan => ({ kind: "change", ...r })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), to: fc.constantFrom("cooking", "cooked", "served") as fc.Arbitrary<"cooking" | "cooked" | "served"> }).map((r): Plan => ({ kind: "advance", ...r })) },
  {
    weight: 6,
    arbitrary: fc.record({
      adjustment: fc.constantFrom<AdjustmentKind>("percent_discount", "fixed_discount", "coupon", "comp", "service_charge", "correction"),
      scope: fc.constantFrom<AdjustmentScope>("session", "batch", "item"),
      pick: fc.nat(),
      percent: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 101, 2.5) }),
      amount: adjustmentAmount,
      negative: fc.boolean(),
      reasonCode,
      actor,
      approved: fc.boolean(),
      reuseId: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    }).map((r): Plan => ({ kind: "adjust", ...r })),
  },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), actor, reason: fc.constantFrom("잘못 적용", "") }).map((r): Plan => ({ kind: "removeAdjustment", ...r })) },
  {
    weight: 6,
    arbitrary: fc.record({
      method: fc.constantFrom<PaymentMethod>("cash", "cash", "card", "card", "easy_pay", "points"),
      amount: amountPlan,
      extraTendered: fc.oneof(fc.constant(null), fc.integer({ min: -1000, max: 50_000 })),
      months: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 13 }) }),
      actor,
      reuseId: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    }).map((r): Plan => ({ kind: "pay", ...r })),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      pick: fc.nat(),
      result: fc.constantFrom("approved", "approved", "approved", "partial", "over", "declined", "voided") as fc.Arbitrary<"approved" | "partial" | "over" | "declined" | "voided">,
      part: fc.integer({ min: 1, max: 99 }),
    }).map((r): Plan => ({ kind: "paymentResult", ...r })),
  },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(), amount: amountPlan, actor, reasonCode }).map((r): Plan => ({ kind: "refund", ...r })) },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(), completed: fc.boolean() }).map((r): Plan => ({ kind: "refundResult", ...r })) },
  { weight: 2, arbitrary: fc.record({ actor, reason: fc.constantFrom("마감", "", "먹튀") }).map((r): Plan => ({ kind: "close", ...r })) },
  { weight: 3, arbitrary: fc.record({ actor: fc.constantFrom(staff, admin, admin), reason: fc.constantFrom("영수증 정정", "", "재결제") }).map((r): Plan => ({ kind: "reopen", ...r })) },
);

/** Picks among `preferred` first (twice as likely), then any of `all`; undefined when both are empty. */
function choose<T>(pick: number, preferred: readonly T[], all: readonly T[]): T | undefined {
  const pool = [...preferred, ...preferred, ...all];
  return pool.length === 0 ? undefined : pool[pick % pool.length];
}

function resolve(amount: AmountPlan, basis: number): number {
  if (amount.mode === "raw") return amount.value;
  const base = basis > 0 ? basis : 1000; // nothing allowed: ask anyway, expecting a refusal
  if (amount.mode === "over") return base + amount.extra;
  return amount.mode === "all" ? base : Math.max(1, Math.floor((base * amount.percent) / 100));
}

/** The command a plan means in this state (ids from the step number n). */
function commandFor(p: Plan, state: SessionState, n: number): SessionCommand {
  const items = [...state.items.values()];
  const live = items.filter((i) => i.state !== "cancelled");
  const itemId = (pick: number) => choose(pick, live, items)?.itemId ?? "b0-1";
  switch (p.kind) {
    case "confirm":
      return confirmDraft(p.lines, { batchId: `b${n}`, actor: p.actor });
    case "cancel":
      return cancelItem(itemId(p.pick), { actor: p.actor, reasonCode: p.pick % 3 === 0 ? "customer_request" : undefined });
    case "cancelBatch": {
      const batchId = choose(p.pick, state.batches.filter((b) => live.some((i) => i.batchId === b.batchId)), state.batches)?.batchId ?? "b0";
      return { type: "CancelBatch", batchId, reason: "테이블 착오", reasonCode: p.pick % 2 === 0 ? "wrong_order" : undefined, actor: p.actor, at };
    }
    case "change":
      return changeQuantity(itemId(p.pick), p.quantity, `n${n}`, { actor: p.actor });
    case "advance":
      return { type: "AdvanceItems", itemIds: [itemId(p.pick)], to: p.to, actor: staff, at };
    case "adjust": {
      const targetId = p.scope === "session" ? null
        : p.scope === "item" ? itemId(p.pick)
        : choose(p.pick, state.batches.filter((b) => live.some((i) => i.batchId === b.batchId)), state.batches)?.batchId ?? "b0";
      const usesPercent = p.adjustment === "percent_discount" || (p.adjustment === "service_charge" && p.pick % 2 === 0);
      const amount = p.adjustment === "correction" && p.negative ? -p.amount : p.amount;
      const adjustmentId = p.reuseId && state.adjustments.size > 0 ? [...state.adjustments.keys()][p.pick % state.adjustments.size]! : `a${n}`;
      return adjust(adjustmentId, {
        kind: p.adjustment, scope: p.scope, targetId, reasonCode: p.reasonCode, actor: p.actor, approvedBy: p.approved ? admin : undefined,
        ...(p.adjustment === "comp" ? {} : usesPercent ? { percent: p.percent } : { amount }),
      });
    }
    case "removeAdjustment": {
      const ids = [...state.adjustments.keys()];
      return removeAdjustment(ids.length === 0 ? "a0" : ids[p.pick % ids.length]!, { actor: p.actor, reason: p.reason });
    }
    case "pay": {
      const amount = resolve(p.amount, amountsOf(state).payable);
      const paymentId = p.reuseId && state.payments.size > 0 ? [...state.payments.keys()][0]! : `p${n}`;
      const fields = { actor: p.actor, method: p.method, installmentMonths: p.months === 0 ? undefined : p.months };
      return p.method === "cash"
        ? cash(paymentId, amount, { ...fields, tendered: p.extraTendered === null ? undefined : amount + p.extraTendered })
        : card(paymentId, amount, fields);
    }
    case "paymentResult": {
      const payments = [...state.payments.values()];
      const payment = choose(p.pick, payments.filter((x) => x.status === "pending"), payments);
      if (!payment) return approve("p0", 1000);
      if (p.result === "declined") return decline(payment.paymentId);
      if (p.result === "voided") return voided(payment.paymentId);
      const amount = p.result === "approved" ? payment.requested : p.result === "over" ? payment.requested + 1 : Math.max(1, Math.floor((payment.requested * p.part) / 100));
      return approve(payment.paymentId, amount);
    }
    case "refund": {
      const payments = [...state.payments.values()];
      const refundable = (x: (typeof payments)[number]) => x.approved - x.refunded - x.refundPending;
      const payment = choose(p.pick, payments.filter((x) => refundable(x) > 0), payments);
      if (!payment) return refund(`r${n}`, "p0", 1000, { actor: p.actor });
      return refund(`r${n}`, payment.paymentId, resolve(p.amount, refundable(payment)), { actor: p.actor, reasonCode: p.reasonCode });
    }
    case "refundResult": {
      const refunds = [...state.refunds.values()];
      const target = choose(p.pick, refunds.filter((r) => r.status === "pending"), refunds);
      const refundId = target?.refundId ?? "r0";
      return p.completed ? refundDone(refundId) : refundFailed(refundId);
    }
    case "close":
      return closeSession({ actor: p.actor, reason: p.reason });
    case "reopen":
      return reopen({ actor: p.actor, reason: p.reason });
  }
}

// ---------------------------------------------------------------- the model: a separate tiny fold of the events

/** Money as the events alone tell it (no state, no domain helpers). */
class Ledger {
  private items = new Map<string, number>();
  private adjustments = new Map<string, number>();
  private payments = new Map<string, { requested: number; approved: number; refunded: number; pending: boolean }>();
  private refunds = new Map<string, { paymentId: string; amount: number; pending: boolean }>();

  apply(e: SessionEvent): void {
    switch (e.type) {
      case "SessionOpened":
        this.items.clear(); this.adjustments.clear(); this.payments.clear(); this.refunds.clear();
        return;
      case "BatchConfirmed":
        for (const item of e.items) this.items.set(item.itemId, item.lineTotal);
        return;
      case "ItemAdded":
        this.items.set(e.item.itemId, e.item.lineTotal);
        return;
      case "ItemCancelled":
        assert.is(this.items.get(e.itemId), e.lineTotal, `cancelled line ${e.itemId}`);
        this.items.delete(e.itemId);
        return;
      case "AdjustmentApplied":
        this.adjustments.set(e.adjustmentId, e.amount);
        return;
      case "AdjustmentRemoved":
        assert.is(this.adjustments.get(e.adjustmentId), e.amount, `removed adjustment ${e.adjustmentId}`);
        this.adjustments.delete(e.adjustmentId);
        return;
      case "PaymentRequested":
        this.payments.set(e.paymentId, { requested: e.amount, approved: 0, refunded: 0, pending: true });
        return;
      case "PaymentApproved": {
        const p = this.payments.get(e.paymentId)!;
        assert.ok(p.pending && e.amount <= p.requested && e.partial === e.amount < p.requested, `approval ${e.paymentId}`);
        if (e.tendered !== 0 || e.change !== 0) assert.is(e.tendered - e.change, e.amount, "cash: tendered − change = amount");
        p.approved = e.amount; p.pending = false;
        return;
      }
      case "PaymentDeclined":
      case "PaymentVoided":
        this.payments.get(e.paymentId)!.pending = false;
        return;
      case "RefundRequested":
        this.refunds.set(e.refundId, { paymentId: e.paymentId, amount: e.amount, pending: true });
        return;
      case "RefundCompleted": {
        const r = this.refunds.get(e.refundId)!;
        assert.is(e.amount, r.amount);
        r.pending = false;
        this.payments.get(r.paymentId)!.refunded += r.amount;
        return;
      }
      case "RefundFailed":
        this.refunds.get(e.refundId)!.pending = false;
        return;
      default:
        return;
    }
  }

  amounts(): SessionAmounts {
    const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
    const adj = [...this.adjustments.values()];
    const pays = [...this.payments.values()];
    const itemsTotal = sum(this.items.values());
    const adjustmentsTotal = sum(adj);
    const sessionTotal = itemsTotal + adjustmentsTotal;
    const approved = sum(pays.map((p) => p.approved));
    const refunded = sum(pays.map((p) => p.refunded));
    const pending = sum(pays.filter((p) => p.pending).map((p) => p.requested));
    const outstanding = sessionTotal - (approved - refunded);
    return {
      itemsTotal, adjustmentsTotal, discountsTotal: sum(adj.filter((a) => a < 0)), chargesTotal: sum(adj.filter((a) => a >= 0)), sessionTotal,
      approved, refunded, paid: approved - refunded, pending, refundPending: sum([...this.refunds.values()].filter((r) => r.pending).map((r) => r.amount)),
      outstanding, payable: outstanding - pending,
    };
  }
}

// ---------------------------------------------------------------- checks

/** The state as plain data, Maps as entry lists in order, so a difference shows where. */
function view(s: SessionState) {
  return { ...s, items: [...s.items], tickets: [...s.tickets], adjustments: [...s.adjustments], payments: [...s.payments], refunds: [...s.refunds] };
}

const settled = (a: SessionAmounts) => a.paid > 0 && a.outstanding === 0 && a.pending === 0 && a.refundPending === 0;

/** (b): the ledger invariants, recomputed here from the state's parts. */
function checkInvariants(state: SessionState, label: string): void {
  const a = amountsOf(state);
  const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const liveTotal = live.reduce((s, i) => s + i.lineTotal, 0);
  const adjustments = [...state.adjustments.values()];
  const adjOn = (scope: AdjustmentScope, id: string) => adjustments.filter((x) => x.scope === scope && x.targetId === id).reduce((s, x) => s + x.amount, 0);
  const payments = [...state.payments.values()];
  const refunds = [...state.refunds.values()];

  // R-INV-1
  assert.is(state.total, liveTotal, `${label}: total = live items`);
  assert.is(a.sessionTotal, liveTotal + adjustments.reduce((s, x) => s + x.amount, 0), `${label}: R-INV-1`);
  assert.ok(a.sessionTotal >= 0, `${label}: session total ${a.sessionTotal} below zero`);
  // R-INV-2 (and the per-payment refunds agree with the refund records)
  assert.is(a.paid, payments.reduce((s, p) => s + p.approved, 0) - payments.reduce((s, p) => s + p.refunded, 0), `${label}: R-INV-2`);
  for (const p of payments) {
    const mine = refunds.filter((r) => r.paymentId === p.paymentId);
    assert.is(p.refunded, mine.filter((r) => r.status === "completed").reduce((s, r) => s + r.amount, 0), `${label}: refunded of ${p.paymentId}`);
    assert.is(p.refundPending, mine.filter((r) => r.status === "pending").reduce((s, r) => s + r.amount, 0), `${label}: refundPending of ${p.paymentId}`);
    assert.ok(p.refunded + p.refundPending <= p.approved, `${label}: refunds ${p.refunded}+${p.refundPending} > approved ${p.approved} on ${p.paymentId}`);
    assert.ok(p.approved <= p.requested, `${label}: approved above requested on ${p.paymentId}`);
    const expectedStatus = {
      pending: p.approved === 0 && p.refunded === 0,
      void: p.approved === 0 && p.refunded === 0,
      approved: p.approved === p.requested && p.refunded < p.approved,
      partially_approved: p.approved > 0 && p.approved < p.requested && p.refunded < p.approved,
      refunded: p.approved > 0 && p.refunded === p.approved,
    }[p.status];
    assert.ok(expectedStatus, `${label}: payment ${p.paymentId} ${p.status} with approved ${p.approved}/${p.requested}, refunded ${p.refunded}`);
  }
  // R-VAL-2
  assert.is(a.outstanding, a.sessionTotal - a.paid, `${label}: R-VAL-2`);
  assert.is(a.payable, a.outstanding - a.pending, `${label}: payable`);
  if (a.pending > 0) assert.ok(a.pending <= a.outstanding, `${label}: ${a.pending} in flight above ${a.outstanding} outstanding`);
  if (state.status === "closed" || state.status === "cancelled") {
    assert.is(a.outstanding, 0, `${label}: ${state.status} with ${a.outstanding} outstanding`);
    assert.is(a.pending + a.refundPending, 0, `${label}: ${state.status} with money in flight`);
  }
  // No adjustment target below zero, and every target still there.
  for (const x of adjustments) {
    let value: number | undefined;
    if (x.scope === "session") value = a.sessionTotal;
    else if (x.scope === "item") {
      const item = state.items.get(x.targetId!);
      value = item && item.state !== "cancelled" ? item.lineTotal + adjOn("item", item.itemId) : undefined;
    } else {
      const inBatch = live.filter((i) => i.batchId === x.targetId);
      value = inBatch.length === 0 ? undefined : inBatch.reduce((s, i) => s + i.lineTotal + adjOn("item", i.itemId), adjOn("batch", x.targetId!));
    }
    assert.ok(value !== undefined && value >= 0, `${label}: adjustment ${x.adjustmentId} on ${x.scope} ${x.targetId} worth ${value}`);
  }
  // Session status follows from what the session holds while it is active.
  if (isActive(state.status)) {
    const expected = payments.some((p) => p.status !== "void") ? "paying" : state.batches.length > 0 ? "in_kitchen" : "open";
    assert.is(state.status, expected, `${label}: status`);
  }
  // Every amount a safe integer within the bound (the gross discount and charge sums for reports are only
  // safe integers: 100억 of charges against 100억 of discounts is a legal session).
  for (const x of [a.discountsTotal, a.chargesTotal]) assert.ok(Number.isSafeInteger(x), `${label}: amount ${x}`);
  const { discountsTotal: _d, chargesTotal: _c, ...net } = a;
  const amounts = [
    ...Object.values(net), ...[...state.items.values()].flatMap((i) => [i.lineTotal, i.unitPrice]), ...adjustments.map((x) => x.amount),
    ...payments.flatMap((p) => [p.requested, p.approved, p.tendered, p.change, p.refunded, p.refundPending]), ...refunds.map((r) => r.amount),
  ];
  for (const x of amounts) assert.ok(Number.isSafeInteger(x) && Math.abs(x) <= totalMax, `${label}: amount ${x}`);
}

interface Real {
  context: DecideContext;
  state: SessionState;
  events: SessionEvent[];
  n: number;
}

interface Model {
  ledger: Ledger;
}

/** What the generators reached, summed over a whole run, so the property cannot pass by doing nothing. */
const reached = new Map<string, number>();
const count = (key: string) => reached.set(key, (reached.get(key) ?? 0) + 1);

class Step implements fc.Command<Model, Real> {
  constructor(readonly plan: Plan) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const before = real.state;
    const n = real.n++;
    const command = commandFor(this.plan, before, n);
    const label = `step ${n} ${command.type}`;
    const snapshot = structuredClone(before);
    let decision;
    try {
      decision = decide(command, before, real.context);
    } catch (error) {
      assert.unreachable(`${label} threw ${error instanceof AssertionError ? "an AssertionError" : "an error"}: ${String(error)}`);
      throw error;
    }
    const a0 = amountsOf(before);

    if (!decision.ok) {
      // (a) a typed refusal, and the state it was decided on is untouched.
      assert.type(decision.error.code, "string", label);
      assert.equal(view(before), view(snapshot), `${label}: refused but the state changed`);
      count(`refused ${decision.error.code}`);
      // R-INV-3 / R-VAL-1: a closed session refuses everything but a reopen.
      if (!isActive(before.status) && command.type !== "ReopenSession") assert.is(decision.error.code, "session_closed", label);
      if (decision.error.code === "amount_exceeds_due" && command.type === "RequestPayment") {
        assert.ok(command.method === "cash" ? a0.payable <= 0 : command.amount > a0.payable, `${label}: amount_exceeds_due with ${a0.payable} payable`);
      }
      return;
    }

    // (b) the events fold onto the previous state into the state decide returned.
    const stepped = decision.events.reduce(evolve, before);
    assert.equal(view(decision.state), view(stepped), `${label}: decide's state vs evolve`);
    real.state = decision.state;
    real.events.push(...decision.events);
    for (const e of decision.events) model.ledger.apply(e);
    count(`accepted ${command.type}`);
    for (const e of decision.events) if (["SessionClosed", "AdjustmentRemoved", "RefundCompleted", "PaymentDeclined", "SessionReopened"].includes(e.type)) count(`event ${e.type}`);

    const a1 = amountsOf(real.state);
    checkInvariants(real.state, label);
    // What each money command may do, predicted from the state before it.
    if (command.type === "RequestPayment") {
      const requested = decision.events[0]!;
      assert.ok(requested.type === "PaymentRequested", label);
      const onBill = command.method === "cash" ? Math.min(command.amount, a0.payable) : command.amount;
      assert.is(requested.amount, onBill, `${label}: the amount on the bill`);
      assert.ok(onBill <= a0.payable, `${label}: paid ${onBill} with ${a0.payable} payable`);
    }
    if (command.type === "RequestRefund") {
      const p = before.payments.get(command.paymentId)!;
      assert.ok(command.amount <= p.approved - p.refunded - p.refundPending, `${label}: refund above what is left`);
    }
    // R-PAY-5: the step that settles an open session closes it, in the same decision.
    if (isActive(before.status) && !settled(a0) && settled(a1)) {
      assert.is(real.state.status, "closed", `${label}: settled but not closed`);
      count("auto-close");
    }
    // (c) the whole log from scratch equals the state reached step by step.
    assert.equal(view(fold(real.events, initialSessionState())), view(real.state), `${label}: fold from scratch`);
    assert.is(real.state.version, real.events.length, label);
    // (d) the model's amounts, from the events alone, equal amountsOf.
    assert.equal(model.ledger.amounts(), a1, `${label}: model vs amountsOf`);
  }

  toString(): string {
    return JSON.stringify(this.plan);
  }
}

/** Runs the model over random plans from an opened session (what the generators reached is counted in `reached`). */
function ledgerProperty(context: DecideContext, plans: fc.Arbitrary<Plan>, numRuns: number): void {
  fc.assert(
    fc.property(fc.commands([plans.map((p) => new Step(p))], { maxCommands: 50, size: "medium" }), (steps) => {
      const setup = () => {
        const real: Real = { context, state: initialSessionState(), events: [], n: 1 };
        const model: Model = { ledger: new Ledger() };
        const opened = decide(openSession(), real.state, context);
        assert.ok(opened.ok);
        real.state = opened.state;
        real.events.push(...opened.events);
        for (const e of opened.events) model.ledger.apply(e);
        return { model, real };
      };
      fc.modelRun(setup, steps);
    }),
    { numRuns },
  );
  if (process.env["MONEY_LEDGER_STATS"]) console.log([...reached].sort((x, y) => y[1] - x[1]));
}

const runs = (fallback: number) => Number(process.env["MONEY_LEDGER_RUNS"] ?? fallback);

test("money ledger: every step of random money commands keeps R-INV-1/2, R-VAL-2 and the fold, and matches the model", () => {
  reached.clear();
  ledgerProperty(context, planOf(demoLine, demoAdjustmentAmount), runs(300));
  // The generators must reach the interesting places, or the property proves little.
  for (const key of [
    "accepted ConfirmDraft", "accepted CancelItem", "accepted CancelBatch", "accepted ChangeItemQuantity", "accepted ApplyAdjustment",
    "accepted RemoveAdjustment", "accepted RequestPayment", "accepted RecordPaymentResult", "accepted RequestRefund", "accepted RecordRefundResult",
    "accepted CloseSession", "accepted ReopenSession", "event AdjustmentRemoved", "event RefundCompleted", "event PaymentDeclined", "auto-close",
    "refused below_zero", "refused payment_in_progress", "refused refund_due", "refused balance_outstanding", "refused amount_exceeds_due",
    "refused approval_required", "refused refund_exceeds_payment", "refused session_closed",
  ]) {
    assert.ok((reached.get(key) ?? 0) > 0, `never reached: ${key} (${JSON.stringify([...reached])})`);
  }
});

test("money ledger near the 100억 bound: dear dishes and huge adjustments are typed refusals, never a throw, and the ledger still holds", () => {
  reached.clear();
  ledgerProperty(dearContext, planOf(dearLine, dearAdjustmentAmount), runs(150));
  assert.ok((reached.get("refused amount_too_large") ?? 0) > 0, "the bound was never reached");
});

// ---------------------------------------------------------------- splitEqually and percentOf

const amount = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: totalMax }),
  fc.constantFrom(0, 1, 99, 100, 101, 25_000, totalMax - 1, totalMax),
);

test("splitEqually: N shares that add up to the amount, differ by at most 1 won, the extra won going to the first shares", () => {
  fc.assert(
    fc.property(amount, fc.integer({ min: 1, max: 99 }), (total, ways) => {
      const shares = splitEqually(total, ways);
      assert.is(shares.length, ways);
      assert.is(shares.reduce((s, x) => s + x, 0), total);
      const low = Math.min(...shares);
      assert.ok(Math.max(...shares) - low <= 1);
      for (const share of shares) assert.ok(Number.isSafeInteger(share) && share >= 0);
      assert.is(low, Number(BigInt(total) / BigInt(ways)), "every share is at least the floor");
      // The extra won go to the first shares: never a bigger share after a smaller one, and as many as the remainder.
      for (let i = 1; i < ways; i++) assert.ok(shares[i - 1]! >= shares[i]!, `share ${i + 1} above share ${i}: ${shares}`);
      assert.is(shares.filter((x) => x > low).length, Number(BigInt(total) % BigInt(ways)));
    }),
    { numRuns: 2000 },
  );
});

test("splitEqually refuses a non-integer or negative amount and ways below 1 with an AssertionError", () => {
  for (const [total, ways] of [[-1, 2], [1.5, 2], [100, 0], [100, 1.5], [Number.NaN, 2]] as const) {
    assert.throws(() => splitEqually(total, ways), (e: unknown) => e instanceof AssertionError, `${total} / ${ways}`);
  }
});

test("percentOf rounds half up, exactly as BigInt arithmetic does, over the whole money range", () => {
  const exact = (value: number, percent: number) => {
    const product = BigInt(value) * BigInt(percent);
    const q = product / 100n;
    return Number(product % 100n >= 50n ? q + 1n : q);
  };
  fc.assert(
    fc.property(fc.oneof(amount, fc.integer({ min: 0, max: 2 * totalMax })), fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 1, 10, 50, 99, 100)), (value, percent) => {
      assert.is(percentOf(value, percent), exact(value, percent), `${percent} % of ${value}`);
    }),
    { numRuns: 5000 },
  );
  // The exact half-won cases, and the documented example.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: totalMax / 10 - 1 }), (k) => {
      assert.is(percentOf(10 * k + 5, 10), k + 1, `10 % of ${10 * k + 5}`); // k + 0.5 → k + 1
      assert.is(percentOf(10 * k + 4, 10), k, `10 % of ${10 * k + 4}`);
    }),
    { numRuns: 2000 },
  );
  assert.is(percentOf(12_345, 10), 1_235);
});

test("percentOf refuses a negative or fractional base and a percent outside 0..100 with an AssertionError", () => {
  for (const [value, percent] of [[-1, 10], [1.5, 10], [100, -1], [100, 101], [100, 2.5]] as const) {
    assert.throws(() => percentOf(value, percent), (e: unknown) => e instanceof AssertionError, `${percent} % of ${value}`);
  }
});

test.run();
