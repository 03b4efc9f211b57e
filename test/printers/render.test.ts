import { test } from "uvu";
import * as assert from "uvu/assert";
import { AssertionError } from "../../domain/assert.ts";
import { EscPosDecoder, printerWidth, renderSlip } from "../../printers/index.ts";
import { decodeSlips, hex, kitchenSlip } from "./fixtures.ts";

const decodeOne = (bytes: Buffer) => {
  const decoder = new EscPosDecoder();
  const slips = decodeSlips(bytes, decoder);
  assert.is(slips.length, 1);
  return { slip: slips[0]!, decoder };
};

test("a new slip decodes back to exactly the lines we meant to print", () => {
  const rendered = renderSlip(kitchenSlip());
  const { slip, decoder } = decodeOne(rendered.bytes);
  assert.equal(slip.lines, rendered.lines);
  assert.is(slip.text, rendered.text);
  assert.is(slip.cut, "partial");
  assert.is(decoder.unknownCommands, 0);
  assert.equal(rendered.replaced, []);
  assert.ok(slip.text.includes("#3 QR 주문"));
  assert.ok(slip.text.includes("06-01 12:34"), "createdAt is printed in Korean time");
});

test("the slip starts with the double-byte setup and ends with a cut", () => {
  const { bytes } = renderSlip(kitchenSlip());
  assert.equal(bytes.subarray(0, 10), hex("1b40 1b7400 1c26 1b520d"));
  assert.equal(bytes.subarray(-5), hex("1d5601 1b40"));
});

test("items are tall and bold; the table name is big", () => {
  const { slip } = decodeOne(renderSlip(kitchenSlip()).bytes);
  const item = slip.lines.find((l) => l.text.startsWith("김치찌개"))!;
  assert.equal([item.bold, item.doubleHeight, item.doubleWidth], [true, true, false]);
  const table = slip.lines.find((l) => l.text === "테이블 7")!;
  assert.equal([table.doubleHeight, table.doubleWidth, table.align], [true, true, "center"]);
});

test("a cancel slip says 취소 / CANCEL in large type and prefixes every item", () => {
  const rendered = renderSlip(kitchenSlip({ kind: "cancel" }));
  const { slip } = decodeOne(rendered.bytes);
  const mark = slip.lines.find((l) => l.text === "*** 취소 / CANCEL ***");
  assert.ok(mark);
  assert.equal([mark!.bold, mark!.doubleHeight, mark!.align], [true, true, "center"]);
  assert.ok(slip.lines.some((l) => l.text.startsWith("취소 김치찌개")));
  assert.ok(slip.lines.some((l) => l.text.startsWith("취소 생맥주 500cc")));
});

test("a reprint says 재출력 / REPRINT with its number", () => {
  const { slip } = decodeOne(renderSlip(kitchenSlip({ reprintCount: 2 })).bytes);
  assert.ok(slip.lines.some((l) => l.text === "*** 재출력 / REPRINT 2 ***"));
  const original = decodeOne(renderSlip(kitchenSlip()).bytes).slip;
  assert.not.ok(original.text.includes("REPRINT"));
});

test("a copy on a backup printer names the printer it stands in for", () => {
  const { slip } = decodeOne(renderSlip(kitchenSlip({ backupFrom: "주방-1" })).bytes);
  assert.ok(slip.lines.some((l) => l.text === "BACKUP FROM 주방-1"));
});

test("a change slip marks the old line 취소 and the new line 추가", () => {
  const items = [
    { name: "김치찌개", quantity: 2, options: [], note: "", cancelled: true },
    { name: "김치찌개", quantity: 3, options: [], note: "", replacesName: "김치찌개 x2" },
  ];
  const { slip } = decodeOne(renderSlip(kitchenSlip({ kind: "change", items })).bytes);
  const texts = slip.lines.map((l) => l.text);
  assert.ok(texts.includes("*** 변경 / CHANGE ***"));
  assert.ok(texts.some((t) => t.startsWith("취소 김치찌개") && t.endsWith("x2")));
  assert.ok(texts.some((t) => t.startsWith("추가 김치찌개") && t.endsWith("x3")));
  assert.ok(texts.includes("  (변경 전: 김치찌개 x2)"));
});

for (const widthChars of [42, 32]) {
  test(`two-column item lines are exactly ${widthChars} printer columns wide`, () => {
    const long = { name: "모둠 해물 파전 대자 반반 치즈 추가 특대 사이즈", quantity: 2, options: [], note: "" };
    const rendered = renderSlip(kitchenSlip({ widthChars, items: [...kitchenSlip().items, long] }));
    const { slip } = decodeOne(rendered.bytes);
    const quantityLines = slip.lines.filter((l) => / x\d+$/.test(l.text));
    assert.is(quantityLines.length, 4);
    for (const line of quantityLines) assert.is(printerWidth(line.text), widthChars, line.text);
    for (const line of slip.lines) {
      assert.ok(printerWidth(line.text) * (line.doubleWidth ? 2 : 1) <= widthChars, `fits: ${line.text}`);
    }
    assert.ok(slip.lines.some((l) => l.text.startsWith("모둠 해물")), "a long name wraps onto more lines");
  });
}

test("똠 and an emoji are printed as ? and reported; no CP949-only bytes go out", () => {
  const items = [{ name: "똠양꿍 😀", quantity: 1, options: [], note: "" }];
  const rendered = renderSlip(kitchenSlip({ items }));
  assert.equal(rendered.replaced, ["똠", "😀"]);
  const { slip, decoder } = decodeOne(rendered.bytes);
  assert.ok(slip.lines.some((l) => l.text.startsWith("?양꿍 ?")));
  assert.is(decoder.counters.extendedPairs, 0);
  assert.is(slip.text, rendered.text);
});

test("rendering twice gives the same bytes (a fresh library instance per slip)", () => {
  assert.equal(renderSlip(kitchenSlip()).bytes, renderSlip(kitchenSlip()).bytes);
});

test("an impossible slip is a bug and asserts", () => {
  assert.throws(() => renderSlip(kitchenSlip({ widthChars: 10 })), (e: unknown) => e instanceof AssertionError);
  assert.throws(() => renderSlip(kitchenSlip({ items: [] })), (e: unknown) => e instanceof AssertionError);
  const zero = [{ name: "김치찌개", quantity: 0, options: [], note: "" }];
  assert.throws(() => renderSlip(kitchenSlip({ items: zero })), (e: unknown) => e instanceof AssertionError);
});

test.run();
