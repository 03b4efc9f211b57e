import { test } from "uvu";
import * as assert from "uvu/assert";
import { afterTake, decide, decideSetStock, stockRemainingMax, stockShortfall, type StockLevel } from "../../domain/index.ts";
import { confirmDraft, eggRollLine, history, menu, openSession, stewLine } from "./fixtures.ts";

// --- menu.stock: 86 and countdowns -------------------------------------------------------------

test("given an item not in the book, when it is 86'd, then the write is soldOut with no countdown and the audit's before is null", () => {
  assert.equal(decideSetStock({ menuId: "kimchi-stew", soldOut: true, remaining: null }, menu, undefined), {
    ok: true, write: { kind: "set", menuId: "kimchi-stew", soldOut: true, remaining: null }, before: null, after: { soldOut: true, remaining: null },
  });
});

test("given an 86'd item, when a countdown of 5 is set, then the write is exactly what was asked and before is the old level", () => {
  const before: StockLevel = { soldOut: true, remaining: null };
  assert.equal(decideSetStock({ menuId: "kimchi-stew", soldOut: false, remaining: 5 }, menu, before), {
    ok: true, write: { kind: "set", menuId: "kimchi-stew", soldOut: false, remaining: 5 }, before, after: { soldOut: false, remaining: 5 },
  });
});

test("given a countdown, when it is cleared (remaining null), then the item is no longer counted", () => {
  const decision = decideSetStock({ menuId: "egg-roll", soldOut: false, remaining: null }, menu, { soldOut: false, remaining: 3 });
  assert.equal(decision.ok && decision.write, { kind: "set", menuId: "egg-roll", soldOut: false, remaining: null });
});

test("when a countdown of 0 is set without 86, then it is written as asked (not normalised) and refuses every portion", () => {
  const decision = decideSetStock({ menuId: "egg-roll", soldOut: false, remaining: 0 }, menu, undefined);
  assert.equal(decision.ok && decision.write, { kind: "set", menuId: "egg-roll", soldOut: false, remaining: 0 });
  assert.equal(stockShortfall([{ menuId: "egg-roll", quantity: 1 }], new Map([["egg-roll", { soldOut: false, remaining: 0 }]])), { code: "sold_out", menuId: "egg-roll", remaining: 0 });
});

test("when an unknown menu item is set, then it is refused with unknown_menu_item", () => {
  assert.equal(decideSetStock({ menuId: "nope", soldOut: true, remaining: null }, menu, undefined), { ok: false, error: { code: "unknown_menu_item", menuId: "nope" } });
});

test("when remaining is negative, fractional, too large or not finite, then it is refused with invalid_remaining", () => {
  for (const remaining of [-1, 1.5, stockRemainingMax + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(decideSetStock({ menuId: "egg-roll", soldOut: false, remaining }, menu, undefined), { ok: false, error: { code: "invalid_remaining", max: stockRemainingMax } }, String(remaining));
  }
  assert.ok(decideSetStock({ menuId: "egg-roll", soldOut: false, remaining: stockRemainingMax }, menu, undefined).ok);
});

// --- takes: a countdown reaching 0 means sold out ----------------------------------------------

test("given a countdown of 3, when 2 are taken, then 1 is left and the item is still available", () => {
  assert.equal(afterTake({ soldOut: false, remaining: 3 }, 2), { ok: true, level: { soldOut: false, remaining: 1 } });
});

test("given a countdown of 2, when the last 2 are taken, then 0 are left and the item is sold out", () => {
  assert.equal(afterTake({ soldOut: false, remaining: 2 }, 2), { ok: true, level: { soldOut: true, remaining: 0 } });
});

test("given a countdown of 1, when 2 are taken, then the take is exhausted", () => {
  assert.equal(afterTake({ soldOut: false, remaining: 1 }, 2), { ok: false, exhausted: true });
});

test("given an 86'd item, counted or not, when any portion is taken, then the take is exhausted", () => {
  assert.equal(afterTake({ soldOut: true, remaining: 5 }, 1), { ok: false, exhausted: true });
  assert.equal(afterTake({ soldOut: true, remaining: null }, 1), { ok: false, exhausted: true });
});

test("given an item that is not counted, when portions are taken, then its level does not change", () => {
  assert.equal(afterTake(undefined, 7), { ok: true, level: undefined });
  assert.equal(afterTake({ soldOut: false, remaining: null }, 7), { ok: true, level: { soldOut: false, remaining: null } });
});

// --- does a set of lines fit the levels ---------------------------------------------------------

test("given no levels, when any lines are requested, then they fit", () => {
  assert.equal(stockShortfall([{ menuId: "kimchi-stew", quantity: 99 }], undefined), undefined);
  assert.equal(stockShortfall([{ menuId: "kimchi-stew", quantity: 99 }], new Map()), undefined);
});

test("given an 86'd item, when it is requested, then sold_out without remaining", () => {
  assert.equal(stockShortfall([{ menuId: "kimchi-stew", quantity: 1 }], new Map([["kimchi-stew", { soldOut: true, remaining: 4 }]])), { code: "sold_out", menuId: "kimchi-stew" });
});

test("given 3 left, when two lines want 2 each, then sold_out with remaining 3; when they want 3 in all, then they fit", () => {
  const levels = new Map([["kimchi-stew", { soldOut: false, remaining: 3 }]]);
  assert.equal(stockShortfall([{ menuId: "kimchi-stew", quantity: 2 }, { menuId: "kimchi-stew", quantity: 2 }], levels), { code: "sold_out", menuId: "kimchi-stew", remaining: 3 });
  assert.equal(stockShortfall([{ menuId: "kimchi-stew", quantity: 1 }, { menuId: "kimchi-stew", quantity: 2 }], levels), undefined);
});

test("decide refuses a confirm that does not fit with the same sold_out as stockShortfall", () => {
  const state = history(openSession()).state;
  const stock = new Map([["kimchi-stew", { soldOut: false, remaining: 1 }]]);
  const decision = decide(confirmDraft([eggRollLine(1), stewLine(2)]), state, { menu, stock });
  assert.equal(decision, { ok: false, error: { code: "sold_out", menuId: "kimchi-stew", remaining: 1 } });
  assert.equal(stockShortfall([{ menuId: "egg-roll", quantity: 1 }, { menuId: "kimchi-stew", quantity: 2 }], stock), { code: "sold_out", menuId: "kimchi-stew", remaining: 1 });
});

test.run();
