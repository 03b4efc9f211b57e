import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { AssertionError, addWon, mulWon, subWon, sumWon, won, wonMax, zeroWon, linesTotal } from "../../domain/index.ts";

for (const amount of [1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, wonMax + 1, -wonMax - 1, 2 ** 53]) {
  test(`won(${amount}) is refused with an AssertionError`, () => {
    assert.throws(() => won(amount), (e: unknown) => e instanceof AssertionError);
  });
}

test("won accepts zero, the bounds and negative amounts and returns them unchanged", () => {
  for (const amount of [0, 1, -1, 9000, wonMax, -wonMax]) assert.is(won(amount), amount);
  assert.is(zeroWon, 0);
});

test("adding past 100억 is refused with an AssertionError", () => {
  assert.throws(() => addWon(won(wonMax), won(1)), (e: unknown) => e instanceof AssertionError);
  assert.throws(() => subWon(won(-wonMax), won(1)), (e: unknown) => e instanceof AssertionError);
});

test("multiplying by a fractional or non-integer quantity is refused with an AssertionError", () => {
  assert.throws(() => mulWon(won(9000), 1.5), (e: unknown) => e instanceof AssertionError);
  assert.throws(() => mulWon(won(9000), Number.NaN), (e: unknown) => e instanceof AssertionError);
  assert.throws(() => mulWon(won(wonMax), 2), (e: unknown) => e instanceof AssertionError);
});

test("sums of won stay integers equal to the plain integer sum", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 200 }), (amounts) => {
      const total = sumWon(amounts.map(won));
      assert.ok(Number.isSafeInteger(total));
      assert.is(total, amounts.reduce((a, b) => a + b, 0));
      assert.is(linesTotal(amounts.map((a) => ({ lineTotal: won(a) }))), total);
    }),
    { numRuns: 200 },
  );
});

test("add then subtract returns the starting amount", () => {
  fc.assert(
    fc.property(fc.integer({ min: -wonMax / 2, max: wonMax / 2 }), fc.integer({ min: -wonMax / 2, max: wonMax / 2 }), (a, b) => {
      const sum = addWon(won(a), won(b));
      assert.ok(Number.isSafeInteger(sum));
      assert.is(subWon(sum, won(b)), a);
    }),
    { numRuns: 200 },
  );
});

test("a line total is the unit price times the quantity, an integer", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 99 }), (unit, quantity) => {
      const total = mulWon(won(unit), quantity);
      assert.ok(Number.isSafeInteger(total));
      assert.is(total, unit * quantity);
    }),
    { numRuns: 200 },
  );
});

test("the sum of the empty list is zero", () => {
  assert.is(sumWon([]), 0);
});

test.run();
