import { test } from "uvu";
import * as assert from "uvu/assert";
import { AssertionError, decide, fold, orderLimits, type BatchConfirmed, type SessionEvent } from "../../domain/index.ts";
import {
  accepted, beerLine, confirmDraft, context, eggRollLine, errorCode, given, history, line, openSession, closeSession, stewLine, admin,
} from "./fixtures.ts";

const opened = () => given(...accepted(openSession(), given()));

test("confirming on no session is rejected with no_open_session", () => {
  const decision = decide(confirmDraft([stewLine()]), given(), context);
  assert.equal(decision, { ok: false, error: { code: "no_open_session" } });
});

test("confirming on a closed session is rejected with session_closed (a stay with nothing ordered ends cancelled)", () => {
  const { state } = history(openSession(), closeSession());
  const decision = decide(confirmDraft([stewLine()]), state, context);
  assert.equal(decision, { ok: false, error: { code: "session_closed", status: "cancelled" } });
});

test("confirming an empty draft is rejected with empty_draft", () => {
  assert.equal(decide(confirmDraft([]), opened(), context), { ok: false, error: { code: "empty_draft" } });
});

test("confirming more lines than the draft limit is rejected with too_many_lines", () => {
  const lines = Array.from({ length: orderLimits.draftLinesMax + 1 }, () => eggRollLine());
  assert.equal(decide(confirmDraft(lines), opened(), context), { ok: false, error: { code: "too_many_lines", max: orderLimits.draftLinesMax } });
});

test("confirming an unknown menu item is rejected with unknown_menu_item", () => {
  const decision = decide(confirmDraft([stewLine(), line("ghost", 1)]), opened(), context);
  assert.equal(decision, { ok: false, error: { code: "unknown_menu_item", menuId: "ghost" } });
});

test("confirming a sold-out item is rejected with sold_out", () => {
  const decision = decide(confirmDraft([line("pancake", 1)]), opened(), context);
  assert.equal(decision, { ok: false, error: { code: "sold_out", menuId: "pancake" } });
});

for (const quantity of [0, 100, 1.5, -1, Number.NaN]) {
  test(`confirming quantity ${quantity} is rejected with invalid_quantity`, () => {
    const decision = decide(confirmDraft([eggRollLine(quantity)]), opened(), context);
    assert.equal(decision, { ok: false, error: { code: "invalid_quantity", min: 1, max: orderLimits.quantityMax } });
  });
}

test("confirming quantities 1 and 99 is accepted", () => {
  const decision = decide(confirmDraft([eggRollLine(1), eggRollLine(99)]), opened(), context);
  assert.ok(decision.ok);
});

test("confirming a note longer than the limit is rejected with note_too_long", () => {
  const decision = decide(confirmDraft([line("egg-roll", 1, [], "가".repeat(orderLimits.noteLengthMax + 1))]), opened(), context);
  assert.equal(decision, { ok: false, error: { code: "note_too_long", max: orderLimits.noteLengthMax } });
});

const badOptions: [string, readonly string[]][] = [
  ["a missing required option", []],
  ["two choices in a pick-one group", ["mild", "hot"]],
  ["an unknown option", ["mild", "cheese"]],
  ["an option of another item", ["mild", "1000cc"]],
  ["a duplicate option", ["mild", "egg", "egg"]],
  ["more options than a line may carry", ["mild", ...Array.from({ length: orderLimits.optionsPerLineMax }, (_, i) => `x${i}`)]],
];
for (const [what, optionIds] of badOptions) {
  test(`confirming ${what} is rejected with invalid_options`, () => {
    const decision = decide(confirmDraft([line("kimchi-stew", 1, optionIds)]), opened(), context);
    assert.is(errorCode(decision), "invalid_options");
    assert.is(!decision.ok && decision.error.code === "invalid_options" && decision.error.menuId, "kimchi-stew");
  });
}

test("confirming options on an item without option groups is rejected with invalid_options", () => {
  assert.is(errorCode(decide(confirmDraft([line("egg-roll", 1, ["egg"])]), opened(), context)), "invalid_options");
});

test("confirming with a stale expectedVersion is rejected with version_conflict", () => {
  const state = opened();
  const decision = decide(confirmDraft([stewLine()], { expectedVersion: 0 }), state, context);
  assert.equal(decision, { ok: false, error: { code: "version_conflict", expected: 0, actual: 1 } });
});

test("confirming with the current expectedVersion is accepted", () => {
  assert.ok(decide(confirmDraft([stewLine()], { expectedVersion: 1 }), opened(), context).ok);
});

test("a refused line refuses the whole draft with no events", () => {
  const decision = decide(confirmDraft([stewLine(), eggRollLine(), line("pancake", 1)]), opened(), context);
  assert.is(decision.ok, false);
  assert.not.ok("events" in decision);
});

test("a good confirm emits BatchConfirmed then one ticket and print request per station in first-appearance order", () => {
  const lines = [beerLine(2, "1000cc"), stewLine(2, ["egg", "ramen"]), beerLine(1), eggRollLine(3)];
  const events = accepted(confirmDraft(lines, { batchId: "B7" }), opened());
  assert.equal(events.map((e) => e.type), [
    "BatchConfirmed", "KitchenTicketCreated", "TicketPrintRequested", "KitchenTicketCreated", "TicketPrintRequested",
  ]);
  const batch = events[0] as BatchConfirmed;
  assert.equal(batch.items.map((i) => i.itemId), ["B7-1", "B7-2", "B7-3", "B7-4"]);
  assert.is(batch.batchNo, 1);
  // (5000+4000)×2 + (9000+1000+1500)×2 + 5000×1 + 8000×3
  assert.equal(batch.items.map((i) => i.lineTotal), [18000, 23000, 5000, 24000]);
  assert.is(batch.total, 70000);
  const tickets = events.filter((e) => e.type === "KitchenTicketCreated");
  assert.equal(tickets.map((t) => [t.ticketId, t.stationId, t.kind, t.itemIds]), [
    ["B7-bar", "bar", "new", ["B7-1", "B7-3"]],
    ["B7-kitchen", "kitchen", "new", ["B7-2", "B7-4"]],
  ]);
  const prints = events.filter((e) => e.type === "TicketPrintRequested");
  assert.equal(prints.map((p) => [p.ticketId, p.stationId, p.slipKey]), [
    ["B7-bar", "bar", "B7-bar:new"],
    ["B7-kitchen", "kitchen", "B7-kitchen:new"],
  ]);
});

test("a confirmed line keeps the chosen options in menu order with their deltas", () => {
  const events = accepted(confirmDraft([line("kimchi-stew", 1, ["ramen", "hot"], "덜 짜게")]), opened());
  const item = (events[0] as BatchConfirmed).items[0]!;
  assert.equal(item.options.map((o) => [o.id, o.priceDelta]), [["hot", 0], ["ramen", 1500]]);
  assert.is(item.unitPrice, 9000);
  assert.is(item.note, "덜 짜게");
  assert.is(item.lineTotal, 10500);
});

test("a confirm carries the command's time and actor on every event", () => {
  const events = accepted(confirmDraft([stewLine(), beerLine()], { at: "2026-11-26T13:00:00.000Z", actor: admin }), opened());
  assert.ok(events.length >= 3, `a batch, its items' tickets and the status change: ${events.map((e) => e.type).join(",")}`);
  assert.ok(events.every((e) => e.at === "2026-11-26T13:00:00.000Z" && e.actor === admin && e.v === 1));
});

test("confirming moves the session to in_kitchen with the batch total added", () => {
  const state = opened();
  const after = fold(accepted(confirmDraft([stewLine(), beerLine()]), state), state);
  assert.is(after.status, "in_kitchen");
  assert.is(after.total, 14000);
  assert.is(after.version, state.version + 5);
  assert.equal([...after.items.keys()], ["b1-1", "b1-2"]);
  assert.ok([...after.items.values()].every((i) => i.state === "waiting" && i.batchNo === 1 && i.source === "pos"));
});

test("batchNo increments across confirms and the totals add up", () => {
  const { events, state } = history(
    openSession(),
    confirmDraft([stewLine()], { batchId: "b1" }),
    confirmDraft([beerLine(2)], { batchId: "b2", source: "qr" }),
    confirmDraft([eggRollLine()], { batchId: "b3" }),
  );
  const batches = events.filter((e): e is BatchConfirmed => e.type === "BatchConfirmed");
  assert.equal(batches.map((b) => b.batchNo), [1, 2, 3]);
  assert.equal(state.batches.map((b) => [b.batchId, b.batchNo, b.source, b.total]), [
    ["b1", 1, "pos", 9000], ["b2", 2, "qr", 10000], ["b3", 3, "pos", 8000],
  ]);
  assert.is(state.total, 27000);
  assert.is(state.version, events.length);
});

test("opening twice is rejected with session_already_open", () => {
  const decision = decide(openSession({ sessionId: "s-2" }), opened(), context);
  assert.equal(decision, { ok: false, error: { code: "session_already_open", sessionId: "s-1" } });
});

for (const guests of [-1, 100, 2.5]) {
  test(`opening with ${guests} guests is rejected with invalid_guests`, () => {
    const decision = decide(openSession({ guests }), given(), context);
    assert.equal(decision, { ok: false, error: { code: "invalid_guests", max: orderLimits.guestsMax } });
  });
}

test("the events of a confirm survive a JSON round trip and fold to the same state", () => {
  const { events, state } = history(openSession(), confirmDraft([stewLine(2, ["egg"]), beerLine()]));
  const replayed = given(...(JSON.parse(JSON.stringify(events)) as SessionEvent[]));
  assert.is(replayed.total, state.total);
  assert.equal([...replayed.items.values()], [...state.items.values()]);
});

// Ids come in with the command; a clash must be refused, or evolve would overwrite lines (R-INV-1).
test("confirming with a batchId that was already used is refused", () => {
  const { state } = history(openSession(), confirmDraft([stewLine(), beerLine()], { batchId: "b1" }));
  let outcome: "refused" | "accepted";
  try {
    outcome = decide(confirmDraft([stewLine()], { batchId: "b1" }), state, context).ok ? "accepted" : "refused";
  } catch (error) {
    if (!(error instanceof AssertionError)) throw error;
    outcome = "refused";
  }
  assert.is(outcome, "refused");
});

test.run();
