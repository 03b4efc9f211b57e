import { test } from "uvu";
import * as assert from "uvu/assert";
import { EscPosDecoder, renderSlip, sanitizeForPrinter } from "../../printers/index.ts";
import { decodeSlips, kitchenSlip } from "./fixtures.ts";

const decodeOne = (bytes: Buffer) => {
  const decoder = new EscPosDecoder();
  const slips = decodeSlips(bytes, decoder);
  assert.is(slips.length, 1);
  assert.is(decoder.counters.extendedPairs, 0, "no CP949-only glyphs: a KS X 1001 printer prints every character");
  return slips[0]!;
};

test("a copy whose earlier attempt may have printed says 중복 가능 / MAY BE DUPLICATE, in large type, and not REPRINT", () => {
  const rendered = renderSlip(kitchenSlip({ mayBeDuplicate: true }));
  const slip = decodeOne(rendered.bytes);
  const mark = slip.lines.find((l) => l.text === "*** 중복 가능 / MAY BE DUPLICATE ***");
  assert.ok(mark, slip.text);
  assert.equal([mark.bold, mark.doubleHeight, mark.align], [true, true, "center"]);
  assert.not.ok(slip.text.includes("REPRINT"), "its own wording, not an admin reprint's");
  assert.not.ok(slip.text.includes("재출력"));
  assert.equal(rendered.replaced, []);
  assert.is(slip.text, rendered.text);
});

test("an admin reprint and a may-be-duplicate copy of the same slip read differently; the wording is KS X 1001 as is", () => {
  const reprint = decodeOne(renderSlip(kitchenSlip({ reprintCount: 1 })).bytes);
  const maybe = decodeOne(renderSlip(kitchenSlip({ mayBeDuplicate: true })).bytes);
  assert.ok(reprint.lines.some((l) => l.text === "*** 재출력 / REPRINT 1 ***"));
  assert.not.ok(reprint.text.includes("DUPLICATE"));
  assert.ok(maybe.lines.some((l) => l.text === "*** 중복 가능 / MAY BE DUPLICATE ***"));
  assert.not.ok(maybe.text.includes("REPRINT"));
  assert.not.ok(decodeOne(renderSlip(kitchenSlip()).bytes).text.includes("DUPLICATE"), "an original carries no mark");
  assert.equal(sanitizeForPrinter("*** 중복 가능 / MAY BE DUPLICATE ***").replaced, []);
});

test("on 58 mm paper (32 columns) the MAY BE DUPLICATE mark wraps at a space and stays whole", () => {
  const slip = decodeOne(renderSlip(kitchenSlip({ mayBeDuplicate: true, widthChars: 32 })).bytes);
  const marks = slip.lines.filter((l) => l.bold && l.doubleHeight && l.align === "center" && /중복|DUPLICATE/.test(l.text)).map((l) => l.text);
  assert.ok(marks.length >= 1);
  assert.is(marks.join(" ").replace(/\s+/g, " "), "*** 중복 가능 / MAY BE DUPLICATE ***");
});

test.run();
