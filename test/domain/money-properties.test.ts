/**
 * Issue #9 item 2, as a property: for any menu the config schema accepts and any sequence of
 * commands, the decider never throws (only typed refusals), and what it accepts always folds.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  buildMenu, decide, fold, initialSessionState, moneyLimits, priceLine, totalOf, won, wonMax,
  type LineRequest, type Menu, type MenuItem, type SessionCommand, type SessionState,
} from "../../domain/index.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { rawConfigSchema, type RawConfig } from "../../server/config/schema.ts";
import { admin, cancelItem, changeQuantity, closeSession, confirmDraft, openSession } from "./fixtures.ts";

const { unitPriceMax, totalMax } = moneyLimits;

/** Amounts around every bound (and past them), so the schema and the decider both meet their edges. */
const price = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: unitPriceMax }) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 9000, 10_000_000, unitPriceMax - 1, unitPriceMax) },
  { weight: 1, arbitrary: fc.constantFrom(unitPriceMax + 1, wonMax, -1) },
);
const priceDelta = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5_000, max: 5_000 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1000, unitPriceMax, -unitPriceMax, unitPriceMax / 2) },
  { weight: 1, arbitrary: fc.integer({ min: -unitPriceMax, max: unitPriceMax }) },
  { weight: 1, arbitrary: fc.constantFrom(wonMax, -wonMax) },
);

const rawGroup = (g: number) =>
  fc.record({
    minSelect: fc.integer({ min: 0, max: 2 }),
    maxSelect: fc.integer({ min: 0, max: 4 }),
    deltas: fc.array(priceDelta, { minLength: 1, maxLength: 4 }),
  }).map(({ minSelect, maxSelect, deltas }) => ({
    id: `g${g}`, name: `그룹${g}`, minSelect, maxSelect,
    choices: deltas.map((priceDelta, c) => ({ id: `g${g}c${c}`, name: `선택${c}`, priceDelta })),
  }));

const rawItem = (i: number) =>
  fc.record({ price, groups: fc.array(fc.nat(), { maxLength: 3 }) })
    .chain(({ price, groups }) => fc.tuple(...groups.map((_, g) => rawGroup(g))).map((optionGroups) => ({
      id: `m${i}`, name: `메뉴${i}`, price, stationId: "kitchen", optionGroups,
    })));

const rawMenu = fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rawItem(i))));

/** The store's menu as load.ts builds it, without hashing PINs (too slow for a property). */
function menuOf(raw: RawConfig): Menu {
  const store = raw.stores[0]!;
  const items: MenuItem[] = store.menu.map((item) => ({
    id: item.id, name: item.name, price: won(item.price), stationId: item.stationId, soldOut: item.soldOut,
    optionGroups: item.optionGroups.map((g) => ({
      id: g.id, name: g.name, minSelect: g.minSelect, maxSelect: g.maxSelect,
      choices: g.choices.map((c) => ({ id: c.id, name: c.name, priceDelta: won(c.priceDelta) })),
    })),
  }));
  return buildMenu(items, store.stations);
}

/** A line naming a (mostly) real item, a quantity biased to the bounds and any of its choices. */
const lineOn = (menu: Menu): fc.Arbitrary<LineRequest> => {
  const items = [...menu.items.values()];
  return fc.record({
    pick: fc.nat(),
    quantity: fc.oneof(fc.constantFrom(1, 2, 98, 99), fc.integer({ min: 0, max: 100 })),
    choose: fc.array(fc.boolean(), { maxLength: 12 }),
  }).map(({ pick, quantity, choose }) => {
    const item = items[pick % items.length]!;
    const choices = item.optionGroups.flatMap((g) => g.choices);
    return { menuId: item.id, quantity, optionIds: choices.filter((_, i) => choose[i]).map((c) => c.id), note: "" };
  });
};

type Step =
  | { kind: "confirm"; lines: LineRequest[] }
  | { kind: "cancel"; pick: number }
  | { kind: "change"; pick: number; quantity: number }
  | { kind: "close" };

const steps = (menu: Menu): fc.Arbitrary<Step[]> =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.array(lineOn(menu), { minLength: 1, maxLength: 4 }).map((lines): Step => ({ kind: "confirm", lines })) },
      { weight: 1, arbitrary: fc.nat().map((pick): Step => ({ kind: "cancel", pick })) },
      { weight: 2, arbitrary: fc.record({ pick: fc.nat(), quantity: fc.oneof(fc.constantFrom(1, 99), fc.integer({ min: 1, max: 99 })) }).map((r): Step => ({ kind: "change", ...r })) },
      { weight: 1, arbitrary: fc.constant<Step>({ kind: "close" }) },
    ),
    { maxLength: 12 },
  );

function commandFor(s: Step, state: SessionState, n: number): SessionCommand | undefined {
  if (s.kind === "confirm") return confirmDraft(s.lines, { batchId: `b${n}` });
  if (s.kind === "close") return closeSession({ actor: admin, reason: "마감" });
  const live = [...state.items.values()].filter((i) => i.state !== "cancelled");
  const target = live[s.pick % Math.max(live.length, 1)];
  if (!target) return undefined;
  return s.kind === "cancel" ? cancelItem(target.itemId) : changeQuantity(target.itemId, s.quantity, `n${n}`);
}

/** The config with this menu, parsed by the real schema; undefined when the schema refuses it. */
function accept(menu: unknown): RawConfig | undefined {
  const raw: any = structuredClone(demoRawConfig);
  raw.stores[0].menu = menu;
  const result = rawConfigSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

test("for any menu the config accepts and any commands, decide never throws and what it accepts folds within the bounds", () => {
  let refusedForAmount = 0;
  let accepted = 0;
  fc.assert(
    fc.property(rawMenu.map(accept).filter((raw): raw is RawConfig => raw !== undefined).chain((raw) => {
      const menu = menuOf(raw);
      return fc.tuple(fc.constant(menu), steps(menu));
    }), ([menu, plan]) => {
      const context = { menu };
      let state = fold(decideOk(openSession(), initialSessionState(), menu), initialSessionState());
      plan.forEach((s, n) => {
        const command = commandFor(s, state, n);
        if (!command) return;
        if (command.type === "ConfirmDraft") {
          // The room's draft path: every line priced, then the draft total checked; neither may throw.
          const priced = command.lines.map((l) => priceLine(menu, l));
          totalOf("draft", priced.flatMap((p) => (p.ok ? [p.line.lineTotal] : [])));
        }
        const decision = decide(command, state, context); // a throw fails the property
        if (!decision.ok) {
          assert.type(decision.error.code, "string");
          if (decision.error.code === "amount_too_large") refusedForAmount += 1;
          return;
        }
        accepted += 1;
        state = fold(decision.events, state); // checks the total against the live lines
        assert.ok(Number.isSafeInteger(state.total) && state.total >= 0 && state.total <= totalMax, `total ${state.total}`);
        for (const item of state.items.values()) assert.ok(item.lineTotal >= 0 && item.lineTotal <= totalMax, `line ${item.lineTotal}`);
      });
    }),
    { numRuns: 300 },
  );
  // The generators must actually reach the bound, or the property proves little.
  assert.ok(refusedForAmount > 0, "no command was refused for its amount");
  assert.ok(accepted > 0, "no command was accepted");
});

function decideOk(command: SessionCommand, state: SessionState, menu: Menu) {
  const decision = decide(command, state, { menu });
  if (!decision.ok) throw new Error(`expected ${command.type} to be accepted, got ${decision.error.code}`);
  return decision.events;
}

test("the schema refuses every menu whose dearest line could pass the bound or whose unit could go below zero", () => {
  fc.assert(
    fc.property(rawMenu, (items) => {
      const raw = accept(items);
      if (raw === undefined) return;
      const menu = menuOf(raw);
      for (const item of menu.items.values()) {
        // Brute force over every option set a line may carry: the line bound holds at quantityMax.
        const choices = item.optionGroups.flatMap((g) => g.choices.map((c) => c.id));
        for (let mask = 0; mask < 2 ** choices.length; mask++) {
          const optionIds = choices.filter((_, i) => mask & (1 << i));
          const priced = priceLine(menu, { menuId: item.id, quantity: 99, optionIds, note: "" });
          if (!priced.ok) {
            assert.is(priced.error.code, "invalid_options", JSON.stringify(priced.error)); // not a money refusal
            continue;
          }
          assert.ok(priced.line.lineTotal >= 0 && priced.line.lineTotal <= unitPriceMax * 99, `line ${priced.line.lineTotal}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test.run();
