import { assert } from "./assert.ts";

declare const wonBrand: unique symbol;
/**
 * Whole Korean won. Arithmetic on money happens here, or (where a business input may cross a
 * bound) on plain safe integers checked by pricing.ts checkAmount/totalOf before won() wraps them.
 */
export type Won = number & { readonly [wonBrand]: true };

/**
 * 100억: no table spends more; keeps every sum far inside the safe-integer range. The bound on any
 * single amount (moneyLimits.totalMax in limits.ts): the decider refuses a command that would cross
 * it with amount_too_large before it wraps anything here, so won()'s assertion only catches bugs.
 */
export const wonMax = 10_000_000_000;

export function won(amount: number): Won {
  assert(Number.isSafeInteger(amount), `won must be an integer, got ${amount}`);
  assert(Math.abs(amount) <= wonMax, `won out of range: ${amount}`);
  return amount as Won;
}

export const zeroWon: Won = won(0);

export function addWon(a: Won, b: Won): Won {
  return won(a + b);
}

export function subWon(a: Won, b: Won): Won {
  return won(a - b);
}

export function mulWon(unit: Won, quantity: number): Won {
  assert(Number.isSafeInteger(quantity), "quantity must be an integer");
  return won(unit * quantity);
}

export function sumWon(amounts: readonly Won[]): Won {
  let total = 0;
  for (const a of amounts) total += a;
  return won(total);
}
