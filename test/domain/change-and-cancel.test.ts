import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AssertionError, amountsOf, decide, fold, initialSessionState, type Decision, orderLimits,
  type ItemAdded, type ItemCancelled, type KitchenTicketCreated,
  type SessionCommand,
} from "../../domain/index.ts";
import {
  accepted, admin, beerLine, cancelItem, changeQuantity, closeSession, confirmDraft, context, eggRollLine, errorCode,
  given, history, openSession, stewLine,
} from "./fixtures.ts";

/** Open, then one batch b1: b1-1 = 김치찌개 ×2 with 계란 (20000), b1-2 = 생맥주 ×1 (5000). */
const ordered = () => history(openSession(), confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1" }));

test("cancelling without a reason is rejected with reason_required", () => {
  const { state } = ordered();
  assert.equal(decide(cancelItem("b1-1", { reason: "" }), state, context), { ok: false, error: { code: "reason_required" } });
  assert.equal(decide(cancelItem("b1-1", { reason: "   " }), state, context), { ok: false, error: { code: "reason_required" } });
});

test("cancelling with a reason longer than the limit is rejected with note_too_long", () => {
  const decision = decide(cancelItem("b1-1", { reason: "x".repeat(orderLimits.reasonLengthMax + 1) }), ordered().state, context);
  assert.equal(decision, { ok: false, error: { code: "note_too_long", max: orderLimits.reasonLengthMax } });
});

test("cancelling an unknown item is rejected with unknown_item", () => {
  assert.equal(decide(cancelItem("b9-1"), ordered().state, context), { ok: false, error: { code: "unknown_item", itemId: "b9-1" } });
});

test("cancelling on no session is rejected with no_open_session", () => {
  assert.equal(decide(cancelItem("b1-1"), initialSessionState(), context), { ok: false, error: { code: "no_open_session" } });
});

test("cancelling an item emits ItemCancelled and a cancel ticket, and the total drops by its line", () => {
  const { state } = ordered();
  const events = accepted(cancelItem("b1-1"), state);
  assert.equal(events.map((e) => e.type), ["ItemCancelled", "KitchenTicketCreated", "TicketPrintRequested"]);
  const cancelled = events[0] as ItemCancelled;
  assert.equal([cancelled.itemId, cancelled.batchId, cancelled.reason, cancelled.replacedByItemId, cancelled.lineTotal], ["b1-1", "b1", "손님 요청", null, 20000]);
  const ticket = events[1] as KitchenTicketCreated;
  assert.equal([ticket.ticketId, ticket.stationId, ticket.kind, ticket.itemIds, ticket.batchNo], [`b1-kitchen-v${state.version + 1}`, "kitchen", "cancel", ["b1-1"], 1]);
  const after = fold(events, state);
  assert.is(after.total, 5000);
  assert.is(after.items.get("b1-1")?.state, "cancelled");
});

test("cancelling the same item twice is rejected with item_already_cancelled", () => {
  const { state } = ordered();
  const after = fold(accepted(cancelItem("b1-1"), state), state);
  assert.equal(decide(cancelItem("b1-1"), after, context), { ok: false, error: { code: "item_already_cancelled", itemId: "b1-1" } });
});

test("two cancels in one batch get distinct ticket ids", () => {
  const { state } = history(openSession(), confirmDraft([stewLine(), eggRollLine()]));
  const first = accepted(cancelItem("b1-1"), state);
  const mid = fold(first, state);
  const second = accepted(cancelItem("b1-2"), mid);
  const ids = [...first, ...second].filter((e): e is KitchenTicketCreated => e.type === "KitchenTicketCreated").map((t) => t.ticketId);
  assert.is(new Set(ids).size, 2);
});

test("changing the quantity emits a linked cancel and add plus a change ticket, and the total moves by the difference", () => {
  const { state } = ordered();
  const events = accepted(changeQuantity("b1-1", 3, "n1"), state);
  assert.equal(events.map((e) => e.type), ["ItemCancelled", "ItemAdded", "KitchenTicketCreated", "TicketPrintRequested"]);
  const cancelled = events[0] as ItemCancelled;
  const added = events[1] as ItemAdded;
  assert.is(cancelled.replacedByItemId, "n1");
  assert.is(added.replacesItemId, "b1-1");
  assert.equal([added.item.itemId, added.item.quantity, added.item.lineTotal, added.batchId], ["n1", 3, 30000, "b1"]);
  assert.equal(added.item.options.map((o) => o.id), ["mild", "egg"]);
  const ticket = events[2] as KitchenTicketCreated;
  assert.equal([ticket.kind, ticket.itemIds, ticket.stationId], ["change", ["b1-1", "n1"], "kitchen"]);
  const after = fold(events, state);
  assert.is(after.total, state.total + 10000);
});

test("changing to a smaller quantity lowers the total by the difference", () => {
  const { state } = ordered();
  const after = fold(accepted(changeQuantity("b1-1", 1, "n1"), state), state);
  assert.is(after.total, state.total - 10000);
});

test("changing to the same quantity emits zero events", () => {
  const { state } = ordered();
  assert.equal(decide(changeQuantity("b1-1", 2, "n1"), state, context), { ok: true, events: [], state });
});

test("changing to an invalid quantity is rejected with invalid_quantity", () => {
  const { state } = ordered();
  for (const quantity of [0, 100, 1.5]) {
    assert.is(errorCode(decide(changeQuantity("b1-1", quantity, "n1"), state, context)), "invalid_quantity");
  }
});

test("changing a cancelled item is rejected with item_already_cancelled", () => {
  const { state } = ordered();
  const after = fold(accepted(cancelItem("b1-2"), state), state);
  assert.is(errorCode(decide(changeQuantity("b1-2", 3, "n1"), after, context)), "item_already_cancelled");
});

test("changing an item without a reason is rejected with reason_required", () => {
  assert.is(errorCode(decide(changeQuantity("b1-1", 3, "n1", { reason: "" }), ordered().state, context)), "reason_required");
});

test("history rebuilt with fold shows the old line cancelled and the new one linked both ways", () => {
  const { events } = history(
    openSession(),
    confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1" }),
    changeQuantity("b1-1", 3, "n1"),
    changeQuantity("n1", 1, "n2"),
  );
  const state = given(...events);
  const [old, mid, latest] = ["b1-1", "n1", "n2"].map((id) => state.items.get(id));
  assert.equal([old?.state, old?.replacesItemId, old?.replacedByItemId], ["cancelled", null, "n1"]);
  assert.equal([mid?.state, mid?.replacesItemId, mid?.replacedByItemId], ["cancelled", "b1-1", "n2"]);
  assert.equal([latest?.state, latest?.replacesItemId, latest?.replacedByItemId, latest?.quantity], ["waiting", "n1", null, 1]);
  assert.equal([latest?.batchId, latest?.batchNo, latest?.source], ["b1", 1, "pos"]);
  assert.is(state.total, 10000 + 5000);
  assert.is(state.version, events.length);
});

test("closing with an outstanding balance as staff is rejected with balance_outstanding", () => {
  const decision = decide(closeSession({ reason: "손님 떠남" }), ordered().state, context);
  assert.equal(decision, { ok: false, error: { code: "balance_outstanding", outstanding: 25000 } });
});

test("closing with outstanding items as admin without a reason is rejected with reason_required", () => {
  assert.equal(decide(closeSession({ actor: admin, reason: " " }), ordered().state, context), { ok: false, error: { code: "reason_required" } });
});

test("closing with a balance as admin with a reason writes the balance off as a correction, then closes", () => {
  const { state } = ordered();
  const events = accepted(closeSession({ actor: admin, reason: "먹튀" }), state);
  const shape = events.map((e) => [e.type, "reason" in e ? e.reason : undefined, "amount" in e ? e.amount : undefined]);
  assert.equal(shape, [["AdjustmentApplied", undefined, -25000], ["SessionClosed", "먹튀", undefined]]);
  const after = fold(events, state);
  assert.is(after.status, "closed");
  assert.is(amountsOf(after).outstanding, 0);
});

test("closing as staff after every item was cancelled emits SessionClosed", () => {
  const { state } = history(openSession(), confirmDraft([stewLine()]), cancelItem("b1-1"));
  assert.is(state.total, 0);
  const decision = decide(closeSession(), state, context);
  assert.ok(decision.ok && decision.events.length === 1 && decision.events[0]?.type === "SessionClosed");
});

test("after close every command is refused with session_closed", () => {
  const { state } = history(openSession(), confirmDraft([stewLine(), beerLine()]), closeSession({ actor: admin, reason: "마감" }));
  const commands: SessionCommand[] = [
    confirmDraft([stewLine()], { batchId: "b2" }),
    cancelItem("b1-1"),
    changeQuantity("b1-1", 3, "n1"),
    closeSession({ actor: admin, reason: "again" }),
  ];
  for (const command of commands) {
    assert.equal(decide(command, state, context), { ok: false, error: { code: "session_closed", status: "closed" } }, command.type);
  }
});

test("a version check comes before the closed check", () => {
  const { state } = history(openSession(), closeSession());
  assert.is(errorCode(decide(cancelItem("b1-1", { expectedVersion: 0 }), state, context)), "version_conflict");
});

test("opening on a closed state starts a fresh session with no items, and the version keeps counting", () => {
  const { state: closed } = history(openSession(), confirmDraft([stewLine()]), cancelItem("b1-1"), closeSession());
  const events = accepted(openSession({ sessionId: "s-2", guests: 4 }), closed);
  assert.equal(events.map((e) => e.type), ["SessionOpened"]);
  const reopened = fold(events, closed);
  assert.equal(
    [reopened.sessionId, reopened.status, reopened.items.size, reopened.batches.length, reopened.total, reopened.guests],
    ["s-2", "open", 0, 0, 0, 4],
  );
  assert.is(reopened.version, closed.version + 1);
  const next = fold(accepted(confirmDraft([beerLine()], { batchId: "c1" }), reopened), reopened);
  assert.is(next.batches[0]?.batchNo, 1);
  assert.is(next.total, 5000);
});

// Ids come in with the command; a clash must be refused, or evolve would overwrite lines (R-INV-1).
test("changing a quantity with a newItemId that is already taken is refused", () => {
  const { state } = ordered();
  for (const newItemId of ["b1-2", "b1-1"]) {
    const decision = refusedOrAsserted(() => decide(changeQuantity("b1-1", 3, newItemId), state, context));
    assert.is(decision, "refused", `newItemId ${newItemId}`);
  }
});

/** A command whose ids clash must not yield events: either a refusal or a precondition assert. */
function refusedOrAsserted(run: () => Decision): "refused" | "accepted" {
  try {
    return run().ok ? "accepted" : "refused";
  } catch (error) {
    if (error instanceof AssertionError) return "refused";
    throw error;
  }
}

test.run();
