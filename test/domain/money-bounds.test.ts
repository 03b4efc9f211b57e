/**
 * Issue #9 item 2: money past the bounds is a typed refusal (amount_too_large), never won()'s
 * AssertionError, which would dispose the whole table room.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  buildMenu, checkAmount, decide, fold, initialSessionState, moneyLimits, orderLimits, priceLine, totalOf, unitPriceRange, won, wonMax,
  type Decision, type DomainError, type SessionCommand, type SessionState,
} from "../../domain/index.ts";
import { changeQuantity, confirmDraft, line, openSession } from "./fixtures.ts";

const { unitPriceMax, totalMax } = moneyLimits;
const { quantityMax } = orderLimits;

/**
 * gold 100억 (the old documented maximum price, as a menu built without config validation).
 * over: 100억 − 1000 with an optional +2000 topping. caviar: unitPriceMax − 1000 with an optional
 * +1000 garnish, so its dearest unit is exactly unitPriceMax. coupon-dish: 1000 with a required −2000 coupon.
 */
const menu = buildMenu(
  [
    { id: "gold", name: "금", price: won(wonMax), stationId: "kitchen", soldOut: false, optionGroups: [] },
    {
      id: "over", name: "초과", price: won(wonMax - 1000), stationId: "kitchen", soldOut: false,
      optionGroups: [{ id: "top", name: "토핑", minSelect: 0, maxSelect: 1, choices: [{ id: "topping", name: "토핑", priceDelta: won(2000) }] }],
    },
    {
      id: "caviar", name: "캐비어", price: won(unitPriceMax - 1000), stationId: "kitchen", soldOut: false,
      optionGroups: [{ id: "garnish", name: "가니쉬", minSelect: 0, maxSelect: 1, choices: [{ id: "gold-leaf", name: "금박", priceDelta: won(1000) }] }],
    },
    {
      id: "coupon-dish", name: "쿠폰", price: won(1000), stationId: "kitchen", soldOut: false,
      optionGroups: [{ id: "coupon", name: "쿠폰", minSelect: 1, maxSelect: 1, choices: [{ id: "coupon", name: "쿠폰", priceDelta: won(-2000) }] }],
    },
  ],
  [{ id: "kitchen", name: "주방" }],
);
const context = { menu };

/** The dearest line a config-accepted item allows: unitPriceMax × quantityMax = 9,900,000,000. */
const dearestLine = (quantity: number = quantityMax) => line("caviar", quantity, ["gold-leaf"]);

/** Decides, turning a thrown error into a failure that names it (the bug was a throw). */
function decideSafely(command: SessionCommand, state: SessionState): Decision {
  try {
    return decide(command, state, context);
  } catch (error) {
    assert.unreachable(`decide threw ${String(error)}`);
    throw error;
  }
}

function accepted(command: SessionCommand, state: SessionState): SessionState {
  const decision = decideSafely(command, state);
  if (!decision.ok) throw new Error(`expected ${command.type} to be accepted, got ${JSON.stringify(decision.error)}`);
  return fold(decision.events, state);
}

function given(...commands: SessionCommand[]): SessionState {
  return commands.reduce((state, command) => accepted(command, state), initialSessionState());
}

function refusal(what: "line" | "draft" | "session", amount: number): Decision {
  return { ok: false, error: { code: "amount_too_large", what, max: totalMax, amount } };
}

/** Plain data, so "unchanged" can be checked with a deep equal. */
function snapshot(state: SessionState) {
  return JSON.parse(JSON.stringify({ ...state, items: [...state.items.entries()], tickets: [...state.tickets.entries()] }));
}

for (const quantity of [2, 50, quantityMax]) {
  test(`a draft line of the 100억 item ×${quantity} is refused with amount_too_large, not an AssertionError`, () => {
    assert.equal(priceLine(menu, line("gold", quantity)), { ok: false, error: { code: "amount_too_large", what: "line", max: totalMax, amount: wonMax * quantity } });
  });

  test(`confirming the 100억 item ×${quantity} is refused with amount_too_large, not an AssertionError`, () => {
    const state = given(openSession());
    assert.equal(decideSafely(confirmDraft([line("gold", quantity)]), state), refusal("line", wonMax * quantity));
  });
}

test("a line of exactly 100억 is accepted", () => {
  const state = given(openSession(), confirmDraft([line("gold", 1)]));
  assert.is(state.total, wonMax);
});

test("an option delta that takes a unit past 100억 is refused with amount_too_large, not an AssertionError", () => {
  assert.equal(priceLine(menu, line("over", 1, ["topping"])), { ok: false, error: { code: "amount_too_large", what: "line", max: totalMax, amount: wonMax + 1000 } });
});

test("a line at the dearest unit × quantityMax is accepted with its exact total", () => {
  const priced = priceLine(menu, dearestLine());
  assert.ok(priced.ok);
  assert.is(priced.line.lineTotal, unitPriceMax * quantityMax);
});

test("options that take a unit below zero are refused with invalid_options", () => {
  const priced = priceLine(menu, line("coupon-dish", 1, ["coupon"]));
  assert.equal(priced, { ok: false, error: { code: "invalid_options", menuId: "coupon-dish", detail: "options bring the unit price below zero" } });
});

test("one confirm whose lines add up past 100억 is refused as a draft, and nothing changes", () => {
  const state = given(openSession());
  const before = snapshot(state);
  assert.equal(decideSafely(confirmDraft([dearestLine(), dearestLine()]), state), refusal("draft", 2 * unitPriceMax * quantityMax));
  assert.equal(snapshot(state), before);
});

test("a second confirm that would push the session total past 100억 is refused, and the state is unchanged", () => {
  // given a session holding the dearest line (9,900,000,000)
  const state = given(openSession(), confirmDraft([dearestLine()], { batchId: "b1" }));
  const before = snapshot(state);
  // when the same line is confirmed again
  const decision = decideSafely(confirmDraft([dearestLine()], { batchId: "b2" }), state);
  // then it is refused with the limit, and the session still holds only the first batch
  assert.equal(decision, refusal("session", 2 * unitPriceMax * quantityMax));
  assert.equal(snapshot(state), before);
  assert.is(state.total, unitPriceMax * quantityMax);
  assert.is(state.batches.length, 1);
});

test("a second confirm that brings the session total to exactly 100억 is accepted", () => {
  const state = given(openSession(), confirmDraft([dearestLine()], { batchId: "b1" }), confirmDraft([dearestLine(1)], { batchId: "b2" }));
  assert.is(state.total, totalMax);
});

test("a quantity change that would push the session total past 100억 is refused, and the state is unchanged", () => {
  // given 9,900,000,000 + 100,000,000 = exactly 100억
  const state = given(openSession(), confirmDraft([dearestLine()], { batchId: "b1" }), confirmDraft([dearestLine(1)], { batchId: "b2" }));
  const before = snapshot(state);
  const decision = decideSafely(changeQuantity("b2-1", 2, "n1"), state);
  assert.equal(decision, refusal("session", totalMax + unitPriceMax));
  assert.equal(snapshot(state), before);
});

test("a quantity change that would make one line past 100억 is refused with amount_too_large, not an AssertionError", () => {
  const state = given(openSession(), confirmDraft([line("gold", 1)]));
  assert.equal(decideSafely(changeQuantity("b1-1", 2, "n1"), state), refusal("line", 2 * wonMax));
});

test("a quantity change down, after a refusal, is still accepted and the totals agree", () => {
  const state = given(openSession(), confirmDraft([dearestLine()], { batchId: "b1" }), confirmDraft([dearestLine(1)], { batchId: "b2" }));
  const after = accepted(changeQuantity("b1-1", 1, "n1"), state);
  assert.is(after.total, 2 * unitPriceMax);
});

test("totalOf adds plain integers and refuses past the bound (the draft path of the room uses it)", () => {
  assert.equal(totalOf("draft", [unitPriceMax * quantityMax, unitPriceMax]), { ok: true, total: won(totalMax) });
  assert.equal(totalOf("draft", [unitPriceMax * quantityMax, unitPriceMax + 1]), { ok: false, error: { code: "amount_too_large", what: "draft", max: totalMax, amount: totalMax + 1 } });
  assert.equal(totalOf("draft", []), { ok: true, total: won(0) });
  const tooLarge: DomainError | undefined = checkAmount("session", Number.MAX_SAFE_INTEGER + 2);
  assert.is(tooLarge?.code, "amount_too_large");
  assert.is(checkAmount("line", -totalMax), undefined);
});

test("unitPriceRange respects minSelect, maxSelect and optionsPerLineMax", () => {
  const group = (minSelect: number, maxSelect: number, deltas: number[]) => ({ minSelect, maxSelect, choices: deltas.map((priceDelta) => ({ priceDelta })) });
  assert.equal(unitPriceRange({ price: 1000, optionGroups: [] }), { min: 1000, max: 1000 });
  // pick-one: the dearest and the cheapest single choice
  assert.equal(unitPriceRange({ price: 1000, optionGroups: [group(1, 1, [-500, 0, 700])] }), { min: 500, max: 1700 });
  // up to two of three: the two dearest; optional negatives only count for the minimum
  assert.equal(unitPriceRange({ price: 1000, optionGroups: [group(0, 2, [300, 200, 100, -50])] }), { min: 950, max: 1500 });
  // a required pick counts even when it lowers the maximum
  assert.equal(unitPriceRange({ price: 1000, optionGroups: [group(1, 1, [-100, -200])] }), { min: 800, max: 900 });
  // at most optionsPerLineMax options in all: 12 choosable +100s give only 10 × 100
  const many = Array.from({ length: 12 }, () => 100);
  assert.equal(unitPriceRange({ price: 0, optionGroups: [group(0, 12, many)] }).max, orderLimits.optionsPerLineMax * 100);
});

test("the bounds fit together: the dearest line fits in totalMax and the worst bill is a safe integer", () => {
  assert.ok(unitPriceMax * quantityMax <= totalMax);
  assert.ok(totalMax * orderLimits.itemsPerSessionMax <= Number.MAX_SAFE_INTEGER);
  assert.ok(unitPriceMax >= 10_000_000, "a 10,000,000 won unit is a realistic menu");
  assert.is(totalMax, wonMax);
});

test.run();
