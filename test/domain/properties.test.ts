import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  decide, evolve, fold, initialSessionState, type LineRequest, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";
import { accepted, cancelItem, changeQuantity, confirmDraft, context, line, menu, openSession } from "./fixtures.ts";

/** Any line the demo menu accepts. */
const validLine: fc.Arbitrary<LineRequest> = fc.oneof(
  fc.record({ q: fc.integer({ min: 1, max: 99 }), spicy: fc.constantFrom("mild", "hot"), extras: fc.subarray(["egg", "ramen"]) })
    .map(({ q, spicy, extras }) => line("kimchi-stew", q, [spicy, ...extras])),
  fc.record({ q: fc.integer({ min: 1, max: 99 }), size: fc.constantFrom("500cc", "1000cc") }).map(({ q, size }) => line("draft-beer", q, [size])),
  fc.integer({ min: 1, max: 99 }).map((q) => line("egg-roll", q)),
);

/** Steps pick their target item by index into the live items, so most of them hit something. */
type Step =
  | { kind: "confirm"; lines: LineRequest[] }
  | { kind: "cancel"; pick: number }
  | { kind: "change"; pick: number; quantity: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.array(validLine, { minLength: 1, maxLength: 5 }).map((lines): Step => ({ kind: "confirm", lines })) },
  { weight: 1, arbitrary: fc.nat().map((pick): Step => ({ kind: "cancel", pick })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), quantity: fc.integer({ min: 1, max: 99 }) }).map((r): Step => ({ kind: "change", ...r })) },
);

/** Independent oracle: the unit price with options, read from the menu data directly, not through priceLine. */
function expectedUnit(request: LineRequest): number {
  const item = menu.items.get(request.menuId)!;
  const deltas = item.optionGroups.flatMap((g) => g.choices).filter((c) => request.optionIds.includes(c.id)).reduce((s, c) => s + c.priceDelta, 0);
  return item.price + deltas;
}

interface OracleLine {
  readonly unit: number;
  readonly quantity: number;
}

function commandFor(s: Step, state: SessionState, n: number): SessionCommand | undefined {
  if (s.kind === "confirm") return confirmDraft(s.lines, { batchId: `b${n}` });
  const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const target = live[s.pick % Math.max(live.length, 1)];
  if (!target) return undefined;
  return s.kind === "cancel" ? cancelItem(target.itemId) : changeQuantity(target.itemId, s.quantity, `n${n}`);
}

/** The parts of a state that matter, as plain data (Maps flattened in insertion order). */
function view(state: SessionState) {
  return { ...state, items: [...state.items.entries()] };
}

function checkStep(state: SessionState, events: readonly SessionEvent[], oracle: ReadonlyMap<string, OracleLine>): void {
  const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const liveSum = live.reduce((s, i) => s + i.lineTotal, 0);
  assert.is(state.total, liveSum);
  assert.ok(Number.isSafeInteger(state.total) && state.total >= 0);
  assert.is(state.version, events.length);
  assert.equal(live.map((i) => [i.itemId, i.quantity, i.lineTotal]), [...oracle.entries()].map(([id, o]) => [id, o.quantity, o.unit * o.quantity]));
  assert.equal(view(fold(events, initialSessionState())), view(state));
}

test("after every step of random confirms, cancels and changes the total, version and rebuilt state agree", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
      let state = initialSessionState();
      const events: SessionEvent[] = [];
      const oracle = new Map<string, OracleLine>(); // live items, in the order the state keeps them
      const apply = (produced: readonly SessionEvent[]) => {
        for (const e of produced) state = evolve(state, e);
        events.push(...produced);
      };
      const opened = decide(openSession(), state, context);
      assert.ok(opened.ok);
      apply(opened.events);
      steps.forEach((s, n) => {
        const command = commandFor(s, state, n);
        if (!command) return;
        const decision = decide(command, state, context);
        assert.ok(decision.ok, JSON.stringify(decision));
        const before = state.total;
        apply(decision.events);
        if (command.type === "ConfirmDraft") {
          command.lines.forEach((l, i) => oracle.set(`${command.batchId}-${i + 1}`, { unit: expectedUnit(l), quantity: l.quantity }));
          assert.is(state.total - before, command.lines.reduce((sum, l) => sum + expectedUnit(l) * l.quantity, 0));
        } else if (command.type === "CancelItem") {
          oracle.delete(command.itemId);
        } else if (command.type === "ChangeItemQuantity") {
          const old = oracle.get(command.itemId)!;
          assert.is(decision.events.length, old.quantity === command.quantity ? 0 : 4);
          if (decision.events.length > 0) {
            oracle.delete(command.itemId);
            oracle.set(command.newItemId, { unit: old.unit, quantity: command.quantity });
          }
        }
        checkStep(state, events, oracle);
      });
    }),
    { numRuns: 200 },
  );
});

test("folding a JSON round trip of any valid history gives the same state", () => {
  fc.assert(
    fc.property(fc.array(fc.array(validLine, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (batches) => {
      const events: SessionEvent[] = accepted(openSession(), initialSessionState());
      let state = fold(events, initialSessionState());
      batches.forEach((lines, n) => {
        const produced = accepted(confirmDraft(lines, { batchId: `b${n}` }), state);
        state = fold(produced, state);
        events.push(...produced);
      });
      const replayed = fold(JSON.parse(JSON.stringify(events)) as SessionEvent[], initialSessionState());
      assert.equal(view(replayed), view(state));
    }),
    { numRuns: 100 },
  );
});

test("a quantity change by the same quantity is a no-op for any live item", () => {
  fc.assert(
    fc.property(fc.array(validLine, { minLength: 1, maxLength: 5 }), fc.nat(), (lines, pick) => {
      const opened = fold(accepted(openSession(), initialSessionState()), initialSessionState());
      const state = fold(accepted(confirmDraft(lines), opened), opened);
      const items = [...state.items.values()];
      const target = items[pick % items.length]!;
      assert.equal(decide(changeQuantity(target.itemId, target.quantity, "n"), state, context), { ok: true, events: [], state });
    }),
    { numRuns: 100 },
  );
});

test.run();
