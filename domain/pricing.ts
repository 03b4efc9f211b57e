import type { Menu, MenuItem, OptionChoice } from "./menu.ts";
import { addWon, mulWon, sumWon, type Won } from "./money.ts";
import { orderLimits } from "./limits.ts";
import type { DomainError } from "./session/errors.ts";

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
  const unitWithOptions = options.reduce((sum, o) => addWon(sum, o.priceDelta), item.price);
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
      lineTotal: mulWon(unitWithOptions, request.quantity),
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

export function linesTotal(lines: readonly { lineTotal: Won }[]): Won {
  return sumWon(lines.map((l) => l.lineTotal));
}

function fail(error: DomainError): PriceResult {
  return { ok: false, error };
}
