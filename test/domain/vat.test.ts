/**
 * The receipt VAT rule (PAYMENTS-KR.md §3): vat = round(taxable / 11), supply = taxable − vat,
 * taxable = total − taxFree, in whole won, mirrored for refunds.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { AssertionError, wonMax } from "../../domain/index.ts";
import { splitVat } from "../../domain/vat.ts";

const isAssertion = (e: unknown) => e instanceof AssertionError;

/** Every published example in §3: [source, total, 공급가액 (or undefined when not given), 부가세]. */
const published: readonly [string, number, number | undefined, number][] = [
  ["Toss Payments", 15_000, 13_636, 1_364],
  ["Toss Payments", 30_000, 27_273, 2_727],
  ["Toss Payments", 9_026, 8_205, 821],
  ["Toss Pay create", 25_000, 22_727, 2_273],
  ["Hecto PG slip", 1_000, 909, 91],
  ["Kakao Pay sample", 2_200, undefined, 200],
];

for (const [source, total, supply, vat] of published) {
  test(`given the ${source} example, a ${total} won total splits into ${supply ?? "its"} supply and ${vat} VAT`, () => {
    const split = splitVat(total);
    assert.is(split.vat, vat);
    if (supply !== undefined) assert.is(split.supply, supply);
    assert.equal(split, { taxable: total, supply: total - vat, vat, taxFree: 0 });
  });
}

test("given 1,000 won, VAT rounds to 91, not the 90 that flooring would give", () => {
  assert.is(splitVat(1_000).vat, 91);
  assert.is.not(splitVat(1_000).vat, Math.floor(1_000 / 11));
});

test("given a tax-free part, VAT is taken on the taxable rest only", () => {
  assert.equal(splitVat(11_000, 1_000), { taxable: 10_000, supply: 9_091, vat: 909, taxFree: 1_000 });
});

test("given an all tax-free total, there is no VAT and no supply", () => {
  assert.equal(splitVat(5_000, 5_000), { taxable: 0, supply: 0, vat: 0, taxFree: 5_000 });
});

test("given zero, every part is zero and never negative zero", () => {
  for (const split of [splitVat(0), splitVat(-0), splitVat(0, -0)]) {
    for (const value of Object.values(split)) assert.ok(Object.is(value, 0), `expected +0, got ${value}`);
  }
});

test("given a refund, the split is the sale's split negated", () => {
  assert.equal(splitVat(-15_000), { taxable: -15_000, supply: -13_636, vat: -1_364, taxFree: 0 });
  assert.equal(splitVat(-11_000, -1_000), { taxable: -10_000, supply: -9_091, vat: -909, taxFree: -1_000 });
});

test("given the largest amount a table may spend, the split is exact", () => {
  // 10,000,000,000 / 11 = 909,090,909.09…
  assert.equal(splitVat(wonMax), { taxable: wonMax, supply: 9_090_909_091, vat: 909_090_909, taxFree: 0 });
  assert.equal(splitVat(-wonMax).vat, -909_090_909);
});

for (const [total, taxFree] of [
  [1.5, 0], [Number.NaN, 0], [Number.POSITIVE_INFINITY, 0], [2 ** 53, 0], [wonMax + 1, 0], [-wonMax - 1, 0],
  [1_000, 0.5], [1_000, Number.NaN],
] as const) {
  test(`splitVat(${total}, ${taxFree}) is a bug and asserts`, () => {
    assert.throws(() => splitVat(total, taxFree), isAssertion);
  });
}

test("a tax-free part larger than the total, or of the other sign, is a bug and asserts", () => {
  assert.throws(() => splitVat(1_000, 1_001), isAssertion);
  assert.throws(() => splitVat(-1_000, -1_001), isAssertion);
  assert.throws(() => splitVat(1_000, -1), isAssertion);
  assert.throws(() => splitVat(-1_000, 1), isAssertion);
  assert.throws(() => splitVat(0, 1), isAssertion);
});

// ---- properties -------------------------------------------------------------------------------

/** Amounts biased to the edges: near zero, near multiples of 11 (the rounding boundary), near ±wonMax. */
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -wonMax, max: wonMax }) },
  { weight: 3, arbitrary: fc.integer({ min: -2_000, max: 2_000 }) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -909_090_909, max: 909_090_909 }), fc.integer({ min: -6, max: 6 })).map(([k, d]) => 11 * k + d) },
  { weight: 1, arbitrary: fc.integer({ min: wonMax - 30, max: wonMax }).map((n) => (n % 2 === 0 ? n : -n)) },
).filter((n) => Math.abs(n) <= wonMax);

/** A total and a tax-free part of the same sign, no larger than it. */
const totalAndTaxFree = fc
  .tuple(amount, fc.oneof(fc.constant(0), fc.integer({ min: 0, max: wonMax }), fc.constant(wonMax)))
  .map(([total, pick]) => {
    const part = pick % (Math.abs(total) + 1); // 0 ≤ part ≤ |total|; pick = wonMax often gives all of it
    return [total, part === 0 ? 0 : Math.sign(total) * part] as const;
  });

/** round(t / 11) by exact rational reasoning on BigInt: the integer v with |t − 11v| < 11/2 (no ties exist). */
function exactRoundElevenths(t: bigint): bigint {
  const q = t / 11n; // truncates toward zero
  const r = t - 11n * q; // same sign as t, |r| ≤ 10
  const v = 2n * r > 11n ? q + 1n : 2n * r < -11n ? q - 1n : q;
  const gap = t - 11n * v;
  if (2n * (gap < 0n ? -gap : gap) >= 11n) throw new Error("reference rounding is wrong");
  return v;
}

test("for every total and tax-free part, supply + vat = taxable and taxable + taxFree = total", () => {
  fc.assert(
    fc.property(totalAndTaxFree, ([total, taxFree]) => {
      const split = splitVat(total, taxFree);
      assert.is(split.supply + split.vat, split.taxable);
      assert.is(split.taxable + split.taxFree, total);
      assert.is(split.taxFree, taxFree);
      for (const value of Object.values(split)) assert.ok(Number.isSafeInteger(value));
    }),
    { numRuns: 2_000 },
  );
});

test("for every taxable amount, vat is round(taxable / 11) computed exactly with BigInt", () => {
  fc.assert(
    fc.property(totalAndTaxFree, ([total, taxFree]) => {
      const split = splitVat(total, taxFree);
      assert.is(BigInt(split.vat), exactRoundElevenths(BigInt(total) - BigInt(taxFree)));
    }),
    { numRuns: 5_000 },
  );
});

test("for every amount, vat is never the floor when the remainder is 6..10 elevenths (rounding, not truncation)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 909_090_908 }), fc.integer({ min: 0, max: 10 }), (k, r) => {
      assert.is(splitVat(11 * k + r).vat, r >= 6 ? k + 1 : k);
    }),
    { numRuns: 1_000 },
  );
});

test("for every amount, a refund's split is the sale's split negated", () => {
  fc.assert(
    fc.property(totalAndTaxFree, ([total, taxFree]) => {
      const sale = splitVat(total, taxFree);
      const refund = splitVat(-total, -taxFree);
      assert.equal(refund, { taxable: 0 - sale.taxable, supply: 0 - sale.supply, vat: 0 - sale.vat, taxFree: 0 - sale.taxFree });
    }),
    { numRuns: 2_000 },
  );
});

test("for every two totals, a larger total never has less VAT or less supply", () => {
  fc.assert(
    fc.property(amount, amount, (a, b) => {
      const [low, high] = a <= b ? [splitVat(a), splitVat(b)] : [splitVat(b), splitVat(a)];
      assert.ok(low.vat <= high.vat, `vat ${low.vat} > ${high.vat}`);
      assert.ok(low.supply <= high.supply, `supply ${low.supply} > ${high.supply}`);
    }),
    { numRuns: 2_000 },
  );
});

test("adding one won moves VAT by at most one won and supply by at most one won", () => {
  fc.assert(
    fc.property(amount.filter((n) => n < wonMax), (t) => {
      const [a, b] = [splitVat(t), splitVat(t + 1)];
      assert.ok(b.vat - a.vat === 0 || b.vat - a.vat === 1);
      assert.is(b.vat - a.vat + (b.supply - a.supply), 1);
    }),
    { numRuns: 2_000 },
  );
});

test.run();
