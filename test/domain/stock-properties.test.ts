import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  afterTake, decide, fold, stockShortfall, stockTakes,
  type LineRequest, type SessionCommand, type SessionState, type StockLevel,
} from "../../domain/index.ts";
import { cancelItem, changeQuantity, confirmDraft, context, history, line, menu, openSession } from "./fixtures.ts";

const menuIds = ["kimchi-stew", "draft-beer", "egg-roll"] as const;

const validLine: fc.Arbitrary<LineRequest> = fc.oneof(
  fc.integer({ min: 1, max: 99 }).map((q) => line("kimchi-stew", q, ["mild"])),
  fc.integer({ min: 1, max: 99 }).map((q) => line("draft-beer", q, ["500cc"])),
  fc.integer({ min: 1, max: 99 }).map((q) => line("egg-roll", q)),
);

const level: fc.Arbitrary<StockLevel> = fc.record({ soldOut: fc.boolean(), remaining: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }) });
const levels: fc.Arbitrary<Map<string, StockLevel>> = fc
  .record({ "kimchi-stew": fc.option(level, { nil: undefined }), "draft-beer": fc.option(level, { nil: undefined }), "egg-roll": fc.option(level, { nil: undefined }) })
  .map((r) => new Map(menuIds.flatMap((id) => (r[id] ? [[id, r[id]] as const] : []))));

type Step = { kind: "confirm"; lines: LineRequest[] } | { kind: "cancel"; pick: number } | { kind: "change"; pick: number; quantity: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.array(validLine, { minLength: 1, maxLength: 4 }).map((lines): Step => ({ kind: "confirm", lines })),
  fc.nat().map((pick): Step => ({ kind: "cancel", pick })),
  fc.record({ pick: fc.nat(), quantity: fc.integer({ min: 1, max: 99 }) }).map((r): Step => ({ kind: "change", ...r })),
);

function commandFor(s: Step, state: SessionState, n: number): SessionCommand | undefined {
  if (s.kind === "confirm") return confirmDraft(s.lines, { batchId: `b${n}` });
  const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const target = live[s.pick % Math.max(live.length, 1)];
  if (!target) return undefined;
  return s.kind === "cancel" ? cancelItem(target.itemId) : changeQuantity(target.itemId, s.quantity, `n${n}`);
}

test("over random confirms, changes and cancels: every take is a positive integer on a counted item, and per item the total taken equals the confirmed quantities plus the increases", () => {
  fc.assert(
    fc.property(levels, fc.array(step, { maxLength: 20 }), (book, steps) => {
      let state = history(openSession()).state;
      const taken = new Map<string, number>();
      const increases = new Map<string, number>(); // independent oracle: confirmed quantities + positive changes
      steps.forEach((s, n) => {
        const command = commandFor(s, state, n);
        if (!command) return;
        const decision = decide(command, state, context);
        if (!decision.ok) return;
        const takes = stockTakes(decision.events, book, state);
        for (const t of takes) {
          assert.ok(Number.isSafeInteger(t.quantity) && t.quantity > 0, "a take is a positive integer");
          assert.ok(book.get(t.menuId)?.remaining != null, "only counted items are taken");
          taken.set(t.menuId, (taken.get(t.menuId) ?? 0) + t.quantity);
        }
        assert.is(new Set(takes.map((t) => t.menuId)).size, takes.length, "one take per item per commit");
        if (s.kind === "cancel") assert.equal(takes, [], "a cancel takes nothing and gives nothing back");
        if (s.kind === "confirm") for (const l of s.lines) increases.set(l.menuId, (increases.get(l.menuId) ?? 0) + l.quantity);
        if (s.kind === "change" && command.type === "ChangeItemQuantity") {
          const old = state.items.get(command.itemId)!;
          if (s.quantity > old.quantity) increases.set(old.menuId, (increases.get(old.menuId) ?? 0) + s.quantity - old.quantity);
        }
        state = fold(decision.events, state);
      });
      for (const id of menuIds) {
        const expected = book.get(id)?.remaining != null ? (increases.get(id) ?? 0) : 0;
        assert.is(taken.get(id) ?? 0, expected, id);
      }
    }),
  );
});

test("stockShortfall gives exactly decide's stock refusal at confirm (the two must not drift)", () => {
  fc.assert(
    fc.property(levels, fc.array(validLine, { minLength: 1, maxLength: 6 }), (book, lines) => {
      const state = history(openSession()).state;
      const decision = decide(confirmDraft(lines), state, { menu, stock: book });
      const shortfall = stockShortfall(lines, book);
      if (shortfall) assert.equal(decision, { ok: false, error: shortfall });
      else assert.ok(decision.ok || decision.error.code !== "sold_out");
    }),
  );
});

test("a run of takes never drives a countdown below 0, takes at most what it started with, and 0 left means sold out", () => {
  fc.assert(
    fc.property(level, fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }), (start, quantities) => {
      let current: StockLevel | undefined = start;
      let total = 0;
      for (const q of quantities) {
        const result = afterTake(current, q);
        if (!result.ok) continue;
        current = result.level;
        total += q;
        if (current?.remaining != null) {
          assert.ok(current.remaining >= 0);
          if (current.remaining === 0) assert.ok(current.soldOut);
        }
      }
      if (start.remaining !== null) assert.ok(total <= start.remaining);
      if (start.soldOut) assert.is(total, 0);
    }),
  );
});

test.run();
