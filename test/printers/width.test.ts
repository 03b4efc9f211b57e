import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  displayWidth, fitToWidth, isPrintable, padToWidth, printerWidth, sanitizeForPrinter, splitAtWidth, twoColumns, wrapToWidth,
} from "../../printers/index.ts";

test("Hangul counts two columns and ASCII one", () => {
  assert.is(displayWidth("김치찌개"), 8);
  assert.is(displayWidth("abc"), 3);
  assert.is(displayWidth("생맥주 500cc"), 12);
  assert.is(displayWidth("x2"), 2);
});

test("emoji and fullwidth forms count two, combining marks zero", () => {
  assert.is(displayWidth("😀"), 2);
  assert.is(displayWidth("ＡＢ"), 4);
  assert.is(displayWidth("e\u0301"), 1);
});

test("on the printer every double-byte glyph is two columns, even ones Unicode calls narrow", () => {
  assert.is(displayWidth("·"), 1);
  assert.is(printerWidth("·"), 2);
  assert.is(printerWidth("김치 x2"), 7);
});

test("padToWidth pads to exactly the width in every alignment", () => {
  assert.is(padToWidth("김치", 6), "김치  ");
  assert.is(padToWidth("김치", 6, "right"), "  김치");
  assert.is(padToWidth("김치", 7, "center"), " 김치  ");
  assert.throws(() => padToWidth("김치찌개", 7));
});

test("a wide char never straddles the edge: fitToWidth pads instead", () => {
  assert.equal(splitAtWidth("가나다", 5), ["가나", "다"]);
  assert.is(fitToWidth("가나다", 5), "가나 ");
  assert.is(displayWidth(fitToWidth("가나다", 5)), 5);
  assert.is(fitToWidth("ab", 4), "ab  ");
});

test("wrapToWidth breaks at the last space and keeps every line within the width", () => {
  const lines = wrapToWidth("모둠 해물 파전 대자 반반", 10);
  assert.equal(lines, ["모둠 해물", "파전 대자", "반반"]);
  for (const line of wrapToWidth("가".repeat(13), 10)) assert.ok(displayWidth(line) <= 10);
  assert.equal(wrapToWidth("", 10), [""]);
});

test("twoColumns fills the line exactly and refuses a too-wide right column", () => {
  const line = twoColumns("김치찌개", "x2", 20);
  assert.is(line, "김치찌개          x2");
  assert.is(displayWidth(line), 20);
  assert.throws(() => twoColumns("a", "x".repeat(21), 20));
});

test("isPrintable accepts ASCII and KS X 1001 and rejects CP949-only syllables, emoji and controls", () => {
  for (const ch of ["A", " ", "~", "김", "찌", "볶", "·", "₩", "※"]) assert.ok(isPrintable(ch), ch);
  for (const ch of ["똠", "😀", "\n", "\t", "\u007f", "\\", "é"]) assert.not.ok(isPrintable(ch), JSON.stringify(ch));
});

test("sanitizeForPrinter replaces unprintable chars with ? and reports each once", () => {
  const result = sanitizeForPrinter("똠얌 😀 똠");
  assert.is(result.text, "?얌 ? ?");
  assert.equal(result.replaced, ["똠", "😀"]);
  assert.equal(sanitizeForPrinter("김치찌개 x2"), { text: "김치찌개 x2", replaced: [] });
});

test("decomposed Hangul is composed before the check", () => {
  assert.equal(sanitizeForPrinter("김치".normalize("NFD")), { text: "김치", replaced: [] });
});

test.run();
