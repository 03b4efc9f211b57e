import { test } from "uvu";
import * as assert from "uvu/assert";
import { stockTakes, type StockLevel } from "../../domain/index.ts";
import { accepted, beerLine, cancelItem, changeQuantity, confirmDraft, eggRollLine, history, openSession, stewLine } from "./fixtures.ts";

/** 김치찌개 counted (10 left), 생맥주 86'd but not counted, 계란말이 not in the book. */
const levels = new Map<string, StockLevel>([
  ["kimchi-stew", { soldOut: false, remaining: 10 }],
  ["draft-beer", { soldOut: true, remaining: null }],
]);

/** Open, then b1: b1-1 = 김치찌개 ×2, b1-2 = 생맥주 ×1, b1-3 = 계란말이 ×1. */
const ordered = () => history(openSession(), confirmDraft([stewLine(2), beerLine(1), eggRollLine(1)], { batchId: "b1" })).state;

test("given a counted item, when a batch is confirmed, then each counted item's quantity is taken", () => {
  const state = history(openSession()).state;
  const events = accepted(confirmDraft([stewLine(2), eggRollLine(3)]), state);
  assert.equal(stockTakes(events, levels, state), [{ kind: "take", menuId: "kimchi-stew", quantity: 2 }]);
});

test("given two lines of one counted item, when confirmed, then one take of their sum", () => {
  const state = history(openSession()).state;
  const events = accepted(confirmDraft([stewLine(2), stewLine(3, ["egg"])]), state);
  assert.equal(stockTakes(events, levels, state), [{ kind: "take", menuId: "kimchi-stew", quantity: 5 }]);
});

test("given items that are not counted (86'd without a countdown, or not in the book), when confirmed, then nothing is taken", () => {
  const state = history(openSession()).state;
  const events = accepted(confirmDraft([beerLine(1), eggRollLine(2)]), state);
  assert.equal(stockTakes(events, levels, state), []);
  assert.equal(stockTakes(events, new Map(), state), []);
});

test("given a counted item, when its quantity is raised from 2 to 5, then only the increase (3) is taken", () => {
  const state = ordered();
  const events = accepted(changeQuantity("b1-1", 5, "b1-1a"), state);
  assert.equal(stockTakes(events, levels, state), [{ kind: "take", menuId: "kimchi-stew", quantity: 3 }]);
});

test("given a counted item, when its quantity is lowered, then nothing is taken and nothing given back", () => {
  const state = ordered();
  const events = accepted(changeQuantity("b1-1", 1, "b1-1a"), state);
  assert.equal(stockTakes(events, levels, state), []);
});

test("given a counted item, when it is cancelled, then no portion is given back", () => {
  const state = ordered();
  const events = accepted(cancelItem("b1-1"), state);
  assert.equal(stockTakes(events, levels, state), []);
});

test.run();
