import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { batchStatus, batchStatuses, decide, fold, initialSessionState, type SessionCommand, type SessionState } from "../../domain/index.ts";
import { syncSession } from "../../rooms/table/state-sync.ts";
import { TableState } from "../../rooms/table-state.ts";
import { at, beerLine, cancelItem, changeQuantity, closeSession, confirmDraft, context, openSession, staff, stewLine } from "../domain/fixtures.ts";

/**
 * The room state is synced in place after every change, skipping work a change cannot need
 * (removal scans within one session, per-batch status walks). Whatever the history, the synced
 * state must equal a fresh sync of the same domain state.
 */
type Step =
  | { kind: "confirm"; lines: 1 | 2 }
  | { kind: "cancel"; pick: number }
  | { kind: "quantity"; pick: number; quantity: number }
  | { kind: "advance"; pick: number; to: "cooking" | "cooked" | "served" }
  | { kind: "closeAndReopen" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("confirm" as const), lines: fc.constantFrom(1 as const, 2 as const) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("quantity" as const), pick: fc.nat(), quantity: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("advance" as const), pick: fc.nat(), to: fc.constantFrom("cooking" as const, "cooked" as const, "served" as const) }),
  fc.record({ kind: fc.constant("closeAndReopen" as const) }),
);

let ids = 0;
const nextId = (prefix: string) => `${prefix}-${++ids}`;

function commandsFor(step: Step, state: SessionState): SessionCommand[] {
  const items = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const item = items.length > 0 ? items[("pick" in step ? step.pick : 0) % items.length] : undefined;
  switch (step.kind) {
    case "confirm":
      return [confirmDraft(step.lines === 1 ? [stewLine()] : [stewLine(), beerLine(2)], { batchId: nextId("b") })];
    case "cancel":
      return item ? [cancelItem(item.itemId)] : [];
    case "quantity":
      return item ? [changeQuantity(item.itemId, step.quantity, nextId("i"))] : [];
    case "advance":
      return item ? [{ type: "AdvanceItems", itemIds: [item.itemId], to: step.to, actor: staff, at }] : [];
    case "closeAndReopen":
      // Cancel what is left so the session may close; a new party sits down and orders before the
      // next sync (the view may then hold fewer rows than the new session, all of them stale).
      return [
        ...items.map((i) => cancelItem(i.itemId)), closeSession(), openSession({ sessionId: nextId("s") }),
        ...Array.from({ length: 3 }, () => confirmDraft([stewLine(), beerLine()], { batchId: nextId("b") })),
      ];
  }
}

function json(view: TableState): unknown {
  return JSON.parse(JSON.stringify(view.toJSON()));
}

test("the in-place sync equals a fresh sync after every step, across sessions", () => {
  fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
    let state = fold(decideOk(openSession({ sessionId: nextId("s") }), initialSessionState()), initialSessionState());
    const view = new TableState();
    syncSession(view, state);
    for (const step of steps) {
      for (const command of commandsFor(step, state)) {
        const decision = decide(command, state, context);
        if (!decision.ok) continue;
        state = decision.state;
      }
      syncSession(view, state);
      const fresh = new TableState();
      syncSession(fresh, state);
      assert.equal(json(view), json(fresh));
      const statuses = batchStatuses(state);
      for (const batch of state.batches) assert.is(statuses.get(batch.batchId), batchStatus(state, batch.batchId));
    }
  }), { numRuns: 60 });
});

function decideOk(command: SessionCommand, state: SessionState) {
  const decision = decide(command, state, context);
  if (!decision.ok) throw new Error(decision.error.code);
  return decision.events;
}

test.run();
