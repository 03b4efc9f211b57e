import { assert } from "./assert.ts";
import { wonMax } from "./money.ts";

/** Every bound the domain enforces, named once (house style: a limit on everything). */
export const orderLimits = {
  quantityMax: 99,
  draftLinesMax: 100,
  noteLengthMax: 140,
  optionsPerLineMax: 10,
  guestsMax: 99,
  reasonLengthMax: 200,
  itemsPerSessionMax: 2_000,
} as const;

/**
 * Money bounds, in whole won, decided here once: config validation refuses a menu outside them
 * and the decider refuses (amount_too_large) a command that would cross them.
 *
 * - unitPriceMax 100,000,000 (1억): the dearest one unit may be, base price plus the dearest
 *   options a line can choose together (each group within its maxSelect, at most
 *   optionsPerLineMax in all). Realistic menus (up to 10,000,000 a unit) fit ten times over.
 *   The cheapest a unit may be is 0: a line never goes below zero.
 * - totalMax = wonMax 10,000,000,000 (100억): the bound on every single amount, i.e. a line total,
 *   a draft (a confirm's batch) total and a session's confirmed total. A line of a config-accepted
 *   item always fits: unitPriceMax × quantityMax = 9,900,000,000.
 * - The worst bill a config can describe, worst line × itemsPerSessionMax, is at most
 *   9,900,000,000 × 2,000 ≈ 2×10^13, far below Number.MAX_SAFE_INTEGER (≈ 9×10^15), so the plain
 *   integer sums the decider does before it checks a bound are always exact.
 */
export const moneyLimits = {
  unitPriceMax: 100_000_000,
  totalMax: wonMax,
} as const;

// The bounds above only work together; a change to one that breaks this is a programming error.
assert(moneyLimits.unitPriceMax * orderLimits.quantityMax <= moneyLimits.totalMax, "a line of the dearest unit must fit in totalMax");
assert(moneyLimits.totalMax * (orderLimits.itemsPerSessionMax + orderLimits.draftLinesMax) <= Number.MAX_SAFE_INTEGER, "money sums must stay safe integers");
