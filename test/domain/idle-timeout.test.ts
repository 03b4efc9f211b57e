/**
 * R-OFF-1, the idle timeout as a decider rule: a session idle for the store's timeout moves to
 * timed_out (system actor only); it takes no new order until staff resume it, but the kitchen,
 * payments, refunds and close keep working, and no money figure ever moves because of it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  amountsOf, decide, fold, type ActorRef, type LineRequest, type ResumeSession, type SessionCommand, type SessionState, type TimeOutSession,
} from "../../domain/index.ts";
import { accepted, admin, at, beerLine, changeQuantity, closeSession, confirmDraft, context, eggRollLine, errorCode, history, openSession, staff, stewLine } from "./fixtures.ts";
import { adjust, approve, card, cash, decideIn, ordered, refund, run } from "./money-fixtures.ts";

const system: ActorRef = { id: "system", role: "system", name: "유휴 시간초과" };
const kitchen: ActorRef = { id: "kitchen-1", role: "kitchen", name: "주방" };
const threeHours = 3 * 3600;
/** Three hours after the fixtures' `at`, when every fixture event happened. */
const later = "2026-11-26T15:00:00.000Z";

function timeOut(state: SessionState, overrides: Partial<TimeOutSession> = {}): TimeOutSession {
  return { type: "TimeOutSession", lastActivityAt: state.lastActivityAt, idleTimeoutSeconds: threeHours, actor: system, at: later, ...overrides };
}

function resume(overrides: Partial<ResumeSession> = {}): ResumeSession {
  return { type: "ResumeSession", reason: "손님 돌아옴", actor: staff, at: later, ...overrides };
}

const timedOut = (state: SessionState) => run(state, timeOut(state));

test("every event is activity: lastActivityAt is the time of the last event folded", () => {
  const { state } = history(openSession(), confirmDraft([stewLine()], { at: "2026-11-26T12:30:00.000Z" }));
  assert.is(state.lastActivityAt, "2026-11-26T12:30:00.000Z");
});

test("a session idle for the timeout times out: status timed_out, the balance recorded and still due", () => {
  const { state } = ordered();
  const decision = decideIn(timeOut(state), state);
  assert.ok(decision.ok);
  assert.equal(decision.events.map((e) => e.type), ["SessionTimedOut"]);
  assert.equal(decision.events[0], { type: "SessionTimedOut", v: 1, at: later, actor: system, lastActivityAt: at, outstanding: 25_000 });
  assert.is(decision.state.status, "timed_out");
  assert.equal(amountsOf(decision.state), amountsOf(state));
});

test("a session not idle long enough is left alone (session_not_idle)", () => {
  const { state } = ordered();
  assert.is(errorCode(decideIn(timeOut(state, { at: "2026-11-26T14:59:59.999Z" }), state)), "session_not_idle");
});

test("activity since the sweeper looked wins: a stale lastActivityAt is refused (session_not_idle)", () => {
  const { state } = ordered();
  const seen = state.lastActivityAt;
  const moved = run(state, cash("p1", 5_000, { at: "2026-11-26T12:10:00.000Z" }));
  assert.is(errorCode(decideIn(timeOut(moved, { lastActivityAt: seen }), moved)), "session_not_idle");
  // Even once idle long enough since that activity: the sweeper decides again on what it sees next pass.
  const muchLater = "2026-11-26T16:00:00.000Z";
  assert.is(errorCode(decideIn(timeOut(moved, { lastActivityAt: seen, at: muchLater }), moved)), "session_not_idle");
  assert.ok(decideIn(timeOut(moved, { at: muchLater }), moved).ok);
});

test("only the system times a session out (role_not_allowed for staff and admin)", () => {
  const { state } = ordered();
  for (const actor of [staff, admin]) assert.is(errorCode(decideIn(timeOut(state, { actor }), state)), "role_not_allowed");
});

test("timing out a timed-out session again changes nothing; a closed one is refused", () => {
  const state = timedOut(ordered().state);
  const again = decideIn(timeOut(state, { at: "2026-11-27T15:00:00.000Z" }), state);
  assert.ok(again.ok && again.events.length === 0);
  const closed = run(ordered().state, cash("p1", 25_000));
  assert.is(closed.status, "closed");
  assert.is(errorCode(decideIn(timeOut(closed), closed)), "session_closed");
});

test("a timed-out session refuses new orders (session_timed_out) and keeps the table (session_already_open)", () => {
  const state = timedOut(ordered().state);
  assert.equal(decideIn(confirmDraft([beerLine()], { batchId: "b2" }), state), { ok: false, error: { code: "session_timed_out" } });
  assert.is(errorCode(decideIn(changeQuantity("b1-2", 3, "n1"), state)), "session_timed_out");
  assert.is(errorCode(decideIn(openSession({ sessionId: "s-2" }), state)), "session_already_open");
});

test("the kitchen keeps working on a timed-out session; it stays timed out", () => {
  const state = timedOut(ordered().state);
  const cooked = run(state, { type: "AdvanceItems", itemIds: ["b1-1"], to: "cooking", actor: kitchen, at: later });
  assert.is(cooked.status, "timed_out");
  assert.is(cooked.items.get("b1-1")!.state, "cooking");
});

test("guests pay a timed-out session: a part keeps it timed out, the rest closes it (R-PAY-5)", () => {
  const state = timedOut(ordered().state);
  const part = run(state, cash("p1", 10_000));
  assert.is(part.status, "timed_out");
  assert.is(amountsOf(part).outstanding, 15_000);
  const paid = run(part, card("p2", 15_000), approve("p2", 15_000));
  assert.is(paid.status, "closed");
  assert.is(amountsOf(paid).outstanding, 0);
});

test("refunds and adjustments work while timed out; the money rules still hold", () => {
  const state = run(timedOut(ordered().state), cash("p1", 10_000));
  const refunded = run(state, refund("r1", "p1", 5_000));
  assert.is(amountsOf(refunded).paid, 5_000);
  const discounted = run(refunded, adjust("a1", { kind: "fixed_discount", amount: 1_000 }));
  assert.is(amountsOf(discounted).outstanding, 19_000);
  assert.is(discounted.status, "timed_out");
});

test("closing a timed-out session: staff need it settled, an admin writes the balance off with a reason", () => {
  const state = timedOut(ordered().state);
  assert.equal(decideIn(closeSession(), state), { ok: false, error: { code: "balance_outstanding", outstanding: 25_000 } });
  const closed = run(state, closeSession({ actor: admin, reason: "손님 이탈" }));
  assert.is(closed.status, "closed");
  assert.is(amountsOf(closed).outstanding, 0);
  assert.is(amountsOf(closed).adjustmentsTotal, -25_000);
});

test("staff resume a timed-out session to the status its contents give: open, in kitchen, paying", () => {
  const seated = history(openSession()).state;
  assert.is(run(timedOut(seated), resume()).status, "open");
  assert.is(run(timedOut(ordered().state), resume()).status, "in_kitchen");
  assert.is(run(timedOut(run(ordered().state, cash("p1", 5_000))), resume({ actor: admin })).status, "paying");
});

test("after a resume the session takes orders again, and the idle time counts from the resume", () => {
  const resumed = run(timedOut(ordered().state), resume());
  assert.is(resumed.lastActivityAt, later);
  const decision = decideIn(confirmDraft([beerLine()], { batchId: "b2", at: later }), resumed);
  assert.ok(decision.ok);
  assert.is(errorCode(decideIn(timeOut(resumed, { at: "2026-11-26T17:59:59.000Z" }), resumed)), "session_not_idle");
});

test("resume: kitchen, customers and the system may not; a live session needs none; a closed one is refused", () => {
  const state = timedOut(ordered().state);
  for (const role of ["kitchen", "customer", "system"] as const) {
    assert.is(errorCode(decideIn(resume({ actor: { id: "x", role, name: "x" } }), state)), "role_not_allowed");
  }
  const live = decideIn(resume(), ordered().state);
  assert.ok(live.ok && live.events.length === 0);
  const closed = run(state, closeSession({ actor: admin, reason: "손님 이탈" }));
  assert.is(errorCode(decideIn(resume(), closed)), "session_closed");
  assert.is(errorCode(decideIn(resume({ reason: "x".repeat(201) }), state)), "note_too_long");
});

// ---------------------------------------------------------------- property

type Step = { kind: "confirm"; lines: LineRequest[] } | { kind: "cash"; percent: number } | { kind: "card"; percent: number; approved: boolean }
  | { kind: "discount"; amount: number } | { kind: "cancel"; pick: number };

const lineArb = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((q) => stewLine(q)),
  fc.integer({ min: 1, max: 4 }).map((q) => beerLine(q)),
  fc.integer({ min: 1, max: 4 }).map((q) => eggRollLine(q)),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.array(lineArb, { minLength: 1, maxLength: 3 }).map((lines): Step => ({ kind: "confirm", lines })),
  fc.integer({ min: 1, max: 100 }).map((percent): Step => ({ kind: "cash", percent })),
  fc.record({ percent: fc.integer({ min: 1, max: 100 }), approved: fc.boolean() }).map((r): Step => ({ kind: "card", ...r })),
  fc.integer({ min: 1, max: 5_000 }).map((amount): Step => ({ kind: "discount", amount })),
  fc.nat().map((pick): Step => ({ kind: "cancel", pick })),
);

/** The commands of one step against the current state (a card may stay pending). */
function commandsOf(step: Step, state: SessionState, n: number): SessionCommand[] {
  const payable = amountsOf(state).payable;
  const part = (percent: number) => Math.max(1, Math.floor((payable * percent) / 100));
  switch (step.kind) {
    case "confirm":
      return [confirmDraft(step.lines, { batchId: `b${n}` })];
    case "cash":
      return [cash(`p${n}`, part(step.percent))];
    case "card":
      return step.approved ? [card(`p${n}`, part(step.percent)), approve(`p${n}`, part(step.percent))] : [card(`p${n}`, part(step.percent))];
    case "discount":
      return [adjust(`a${n}`, { kind: "fixed_discount", amount: step.amount })];
    case "cancel": {
      const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
      return live.length === 0 ? [] : [{ type: "CancelItem", itemId: live[step.pick % live.length]!.itemId, reason: "취소", actor: staff, at }];
    }
  }
}

/** Applies what the decider accepts, skipping refusals (a refusal changes nothing). */
function play(steps: readonly Step[]): SessionState {
  let state = history(openSession()).state;
  steps.forEach((step, n) => {
    for (const command of commandsOf(step, state, n)) {
      const decision = decide(command, state, context);
      if (decision.ok) state = decision.state;
    }
  });
  return state;
}

test("property: timing out and resuming never changes a money figure, and resume restores the status", () => {
  fc.assert(fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
    const before = play(steps);
    fc.pre(before.status === "open" || before.status === "in_kitchen" || before.status === "paying");
    const out = decide(timeOut(before), before, context);
    assert.ok(out.ok, JSON.stringify(out));
    assert.is(out.state.status, "timed_out");
    assert.equal(amountsOf(out.state), amountsOf(before));
    const back = decide(resume(), out.state, context);
    assert.ok(back.ok);
    assert.equal(amountsOf(back.state), amountsOf(before));
    assert.is(back.state.status, before.status);
    assert.equal([...back.state.items.values()], [...before.items.values()]);
    assert.equal([...back.state.payments.values()], [...before.payments.values()]);
    // The journal folds to the same state from scratch.
    const events = [...accepted(timeOut(before), before), ...accepted(resume(), out.state)];
    assert.equal(amountsOf(fold(events, before)), amountsOf(before));
  }), { numRuns: 300 });
});

test.run();
