import { assert } from "./assert.ts";
import { wonMax } from "./money.ts";

/**
 * The VAT split of one VAT-inclusive amount (PAYMENTS-KR.md §3), in whole won.
 * taxable = total − taxFree; vat = round(taxable / 11); supply (공급가액) = taxable − vat.
 */
export interface VatSplit {
  /** 과세 amount, VAT included (공급대가). */
  taxable: number;
  /** 공급가액. */
  supply: number;
  /** 부가세. */
  vat: number;
  /** 면세 amount, carries no VAT. */
  taxFree: number;
}

/**
 * Splits a VAT-inclusive total (10 %) into 공급가액 and 부가세, once per receipt or tender.
 *
 * Rule: vat = round(taxable / 11), the split Toss, Toss Pay, Hecto and Kakao Pay print
 * (15,000 → 13,636 + 1,364; 1,000 → 909 + 91). Not floor: floor gives 1,000 → 90, which no
 * source uses. taxable / 11 never ends in exactly .5, so "round" needs no tie rule, and
 * round(t / 11) = t − round(t / 1.1), the gnuboard KCP/Inicis form.
 *
 * Integers only: for t ≥ 0, round(t / 11) = floor((2t + 11) / 22), computed with an exact
 * remainder. A negative amount (a refund or cancel) is the mirror of its positive: splitVat(−t, −f)
 * = −splitVat(t, f), so a full refund's VAT cancels the sale's to the won.
 *
 * Bounds are a caller's bug, asserted: both amounts safe integers within ±wonMax, taxFree of the
 * total's sign (or 0) and no larger than it (`taxFree > total` is refused, mirrored for refunds).
 *
 * @example splitVat(15_000) // { taxable: 15000, supply: 13636, vat: 1364, taxFree: 0 }
 * @example splitVat(11_000, 1_000) // { taxable: 10000, supply: 9091, vat: 909, taxFree: 1000 }
 */
export function splitVat(totalInclusive: number, taxFree = 0): VatSplit {
  const totalOk = Number.isSafeInteger(totalInclusive) && Math.abs(totalInclusive) <= wonMax;
  assert(totalOk, `VAT total must be an integer within ±wonMax, got ${totalInclusive}`);
  assert(Number.isSafeInteger(taxFree) && Math.abs(taxFree) <= wonMax, `tax-free amount must be an integer within ±wonMax, got ${taxFree}`);
  const sign = totalInclusive < 0 || taxFree < 0 ? -1 : 1;
  const total = sign * totalInclusive + 0; // + 0 turns a −0 input into 0
  const free = sign * taxFree + 0;
  assert(total >= 0 && free >= 0, `tax-free amount ${taxFree} must have the sign of the total ${totalInclusive}`);
  assert(free <= total, `tax-free amount ${taxFree} exceeds the total ${totalInclusive}`);

  const taxable = total - free;
  const vat = roundElevenths(taxable);
  const supply = taxable - vat;
  // Postconditions, paired: the parts add up, and vat is the nearest whole won to taxable / 11.
  assert(supply + vat === taxable && supply >= 0 && vat >= 0, "supply + vat must equal taxable");
  assert(Math.abs(taxable - 11 * vat) <= 5, "vat must be within half a won of taxable / 11");
  return { taxable: mirror(sign, taxable), supply: mirror(sign, supply), vat: mirror(sign, vat), taxFree: mirror(sign, free) };
}

/** round(t / 11) for 0 ≤ t ≤ wonMax: floor((2t + 11) / 22), the remainder taken off first so the division is exact. */
function roundElevenths(t: number): number {
  assert(Number.isSafeInteger(t) && t >= 0 && t <= wonMax, "roundElevenths takes a non-negative amount within wonMax");
  const twice = 2 * t + 11; // ≤ 2·10^10 + 11: exact
  const quotient = (twice - (twice % 22)) / 22;
  assert(Number.isSafeInteger(quotient), "an exact division stays an integer");
  return quotient;
}

/** sign · n without producing −0 (so a zero refund compares equal to a zero sale with Object.is too). */
function mirror(sign: 1 | -1, n: number): number {
  return sign === 1 ? n : 0 - n;
}
