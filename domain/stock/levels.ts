import type { Menu } from "../menu.ts";
import type { DomainError } from "../session/errors.ts";
import type { StockLevel } from "../session/decide.ts";

/** Largest countdown a kitchen may set (the wire schema of `menu.stock` uses the same bound). */
export const stockRemainingMax = 9_999;

/** `menu.stock`: 86 an item and/or set (`remaining` ≥ 0) or clear (`null`) its countdown, store-wide. */
export interface SetStock {
  readonly menuId: string;
  readonly soldOut: boolean;
  readonly remaining: number | null;
}

/** The row storage writes as given (no normalising: a countdown set to 0 stays `soldOut: false`, and refuses every portion). */
export interface StockSet {
  readonly kind: "set";
  readonly menuId: string;
  readonly soldOut: boolean;
  readonly remaining: number | null;
}

export type StockRefusal =
  | { readonly code: "unknown_menu_item"; readonly menuId: string }
  | { readonly code: "invalid_remaining"; readonly max: number };

export type SetStockDecision =
  | { readonly ok: true; readonly write: StockSet; readonly before: StockLevel | null; readonly after: StockLevel }
  | { readonly ok: false; readonly error: StockRefusal };

/**
 * Decides a `menu.stock` command against the menu and the item's current level (for the audit row's
 * `before`). Any config item may be set, whatever its level; `remaining` must be null or an integer
 * in 0..{@link stockRemainingMax}.
 */
export function decideSetStock(command: SetStock, menu: Menu, current: StockLevel | undefined): SetStockDecision {
  const { menuId, soldOut, remaining } = command;
  if (!menu.items.has(menuId)) return { ok: false, error: { code: "unknown_menu_item", menuId } };
  if (remaining !== null && !(Number.isSafeInteger(remaining) && remaining >= 0 && remaining <= stockRemainingMax)) {
    return { ok: false, error: { code: "invalid_remaining", max: stockRemainingMax } };
  }
  return { ok: true, write: { kind: "set", menuId, soldOut, remaining }, before: current ?? null, after: { soldOut, remaining } };
}

/**
 * What a take of `quantity` portions does to a level (mirrored by the guarded update in
 * `storage/stock.ts`, which is the final word): an uncounted item (no level or `remaining: null`)
 * is not rationed and stays as it is; a counted one must be not 86'd and have `quantity` left,
 * else `exhausted`; reaching 0 means sold out.
 */
export function afterTake(level: StockLevel | undefined, quantity: number): { readonly ok: true; readonly level: StockLevel | undefined } | { readonly ok: false; readonly exhausted: true } {
  if (!level || level.remaining === null) {
    return level?.soldOut ? { ok: false, exhausted: true } : { ok: true, level };
  }
  if (level.soldOut || level.remaining < quantity) return { ok: false, exhausted: true };
  const remaining = level.remaining - quantity;
  return { ok: true, level: { soldOut: remaining === 0 ? true : level.soldOut, remaining } };
}

/**
 * Whether the requested quantities fit the current levels: quantities are summed per menu item
 * across lines, in order first seen; an 86'd item → `sold_out`; a countdown below the wanted total →
 * `sold_out` with `remaining`. Items without a level are not rationed.
 */
export function stockShortfall(
  lines: readonly { readonly menuId: string; readonly quantity: number }[],
  levels: ReadonlyMap<string, StockLevel> | undefined,
): Extract<DomainError, { code: "sold_out" }> | undefined {
  if (!levels) return undefined;
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.menuId, (wanted.get(line.menuId) ?? 0) + line.quantity);
  for (const [menuId, quantity] of wanted) {
    const level = levels.get(menuId);
    if (!level) continue;
    if (level.soldOut) return { code: "sold_out", menuId };
    if (level.remaining !== null && level.remaining < quantity) return { code: "sold_out", menuId, remaining: level.remaining };
  }
  return undefined;
}
