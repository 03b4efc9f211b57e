import type { Menu, MenuItem, OptionChoice } from "./menu.ts";
import { sumWon, won, type Won } from "./money.ts";
import { moneyLimits, orderLimits } from "./limits.ts";
import type { AmountKind, DomainError } from "./session/errors.ts";

/** What a terminal asks for: a menu id, a quantity, chosen option ids, a note. */
export interface LineRequest {
  readonly menuId: string;
  readonly quantity: number;
  readonly optionIds: readonly string[];
  readonly note: string;
}

/** A line priced against the menu at the moment it is checked. */
export interface PricedLine {
  readonly menuId: string;
  readonly name: string;
  readonly stationId: string;
  readonly quantity: number;
  readonly unitPrice: Won;
  readonly options: readonly OptionChoice[];
  readonly note: string;
  /** (unit price + option deltas) × quantity. */
  readonly lineTotal: Won;
}

export type PriceResult = { ok: true; line: PricedLine } | { ok: false; error: DomainError };

/** Validates a line against the menu (R-ORD-2: menu exists, not sold out, sane quantity and options). */
export function priceLine(menu: Menu, request: LineRequest): PriceResult {
  const item = menu.items.get(request.menuId);
  if (!item) return fail({ code: "unknown_menu_item", menuId: request.menuId });
  if (item.soldOut) return fail({ code: "sold_out", menuId: item.id });
  const quantityError = checkQuantity(request.quantity);
  if (quantityError) return fail(quantityError);
  if (request.note.length > orderLimits.noteLengthMax) return fail({ code: "note_too_long", max: orderLimits.noteLengthMax });
  const options = resolveOptions(item, request.optionIds);
  if (!Array.isArray(options)) return fail(options);
  // Plain safe integers first (|price|, |delta| ≤ wonMax, ≤ optionsPerLineMax options, quantity ≤ 99),
  // so a business input out of bounds is a typed refusal here, never won()'s assertion.
  const unitWithOptions = options.reduce<number>((sum, o) => sum + o.priceDelta, item.price);
  if (unitWithOptions < 0) return fail({ code: "invalid_options", menuId: item.id, detail: "options bring the unit price below zero" });
  const lineTotal = unitWithOptions * request.quantity;
  const tooLarge = checkAmount("line", lineTotal);
  if (tooLarge) return fail(tooLarge);
  return {
    ok: true,
    line: {
      menuId: item.id,
      name: item.name,
      stationId: item.stationId,
      quantity: request.quantity,
      unitPrice: item.price,
      options,
      note: request.note,
      lineTotal: won(lineTotal),
    },
  };
}

export function checkQuantity(quantity: number): DomainError | undefined {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > orderLimits.quantityMax) {
    return { code: "invalid_quantity", min: 1, max: orderLimits.quantityMax };
  }
  return undefined;
}

function resolveOptions(item: MenuItem, optionIds: readonly string[]): OptionChoice[] | DomainError {
  if (optionIds.length > orderLimits.optionsPerLineMax || new Set(optionIds).size !== optionIds.length) {
    return { code: "invalid_options", menuId: item.id, detail: "duplicate or too many options" };
  }
  const chosen: OptionChoice[] = [];
  for (const group of item.optionGroups) {
    const inGroup = group.choices.filter((c) => optionIds.includes(c.id));
    if (inGroup.length < group.minSelect || inGroup.length > group.maxSelect) {
      return { code: "invalid_options", menuId: item.id, detail: `group ${group.id} needs ${group.minSelect}..${group.maxSelect}` };
    }
    chosen.push(...inGroup);
  }
  if (chosen.length !== optionIds.length) {
    return { code: "invalid_options", menuId: item.id, detail: "unknown option id" };
  }
  return chosen;
}

/** Sums amounts already known to fit (asserts otherwise); for a total that may not fit use totalOf. */
export function linesTotal(lines: readonly { lineTotal: Won }[]): Won {
  return sumWon(lines.map((l) => l.lineTotal));
}

export type TotalResult = { ok: true; total: Won } | { ok: false; error: DomainError };

/**
 * Adds amounts (each a Won or a sum of a few) as plain integers, then checks the bound: past
 * moneyLimits.totalMax the result is amount_too_large for `what`, a typed refusal. Use it for the
 * draft and batch totals and for a session total after a change.
 */
export function totalOf(what: AmountKind, amounts: Iterable<number>): TotalResult {
  let total = 0;
  for (const amount of amounts) total += amount;
  const tooLarge = checkAmount(what, total);
  return tooLarge ? { ok: false, error: tooLarge } : { ok: true, total: won(total) };
}

/** amount_too_large when `amount` is out of ±moneyLimits.totalMax (or not a safe integer); otherwise undefined. */
export function checkAmount(what: AmountKind, amount: number): DomainError | undefined {
  const max = moneyLimits.totalMax;
  if (Number.isSafeInteger(amount) && Math.abs(amount) <= max) return undefined;
  return { code: "amount_too_large", what, max, amount };
}

/** The shape unitPriceRange reads: a MenuItem, or a config file's item before it becomes one. */
export interface PricedItemShape {
  readonly price: number;
  readonly optionGroups: readonly { readonly minSelect: number; readonly maxSelect: number; readonly choices: readonly { readonly priceDelta: number }[] }[];
}

/**
 * The cheapest and the dearest one unit of `item` can be, over every option set a line may choose
 * (each group within minSelect..maxSelect, at most optionsPerLineMax options in all), as plain numbers.
 * Config validation bounds both by 0..moneyLimits.unitPriceMax.
 */
export function unitPriceRange(item: PricedItemShape): { min: number; max: number } {
  return { min: item.price + extremeDeltas(item, -1), max: item.price + extremeDeltas(item, 1) };
}

/**
 * The largest (sign 1) or smallest (sign -1) sum of option deltas one line can carry. Every group's
 * required picks are its minSelect best ones; the rest of the optionsPerLineMax budget goes greedily
 * to the best remaining improving picks within each group's maxSelect (exact: per group, sorted picks
 * have shrinking gains).
 */
function extremeDeltas(item: PricedItemShape, sign: 1 | -1): number {
  let sum = 0;
  let count = 0;
  const optional: number[] = [];
  for (const group of item.optionGroups) {
    const gains = group.choices.map((c) => sign * c.priceDelta).sort((a, b) => b - a);
    const required = Math.min(Math.max(group.minSelect, 0), gains.length);
    const allowed = Math.min(Math.max(group.maxSelect, required), gains.length);
    for (let i = 0; i < required; i++) sum += gains[i]!;
    count += required;
    for (let i = required; i < allowed; i++) if (gains[i]! > 0) optional.push(gains[i]!);
  }
  optional.sort((a, b) => b - a);
  for (const gain of optional) {
    if (count >= orderLimits.optionsPerLineMax) break;
    sum += gain;
    count += 1;
  }
  return sign * sum;
}

function fail(error: DomainError): PriceResult {
  return { ok: false, error };
}
