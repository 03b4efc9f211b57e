/**
 * The customer receipt (영수증): rendered to ESC/POS, decoded back with the project's decoder, and
 * read like a customer would read it. VAT figures are recomputed here with BigInt, not splitVat.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { AssertionError } from "../../domain/assert.ts";
import { wonMax } from "../../domain/money.ts";
import { splitVat } from "../../domain/vat.ts";
import { EscPosDecoder, printerWidth, type Slip } from "../../printers/index.ts";
import {
  formatBusinessNo, formatWon, receiptLimits, receiptMarks, renderReceipt, type ReceiptData, type ReceiptPayment,
} from "../../printers/slip/receipt.ts";
import { decodeByteByByte, decodeSlips, hex } from "./fixtures.ts";

/** Dinner at table 7: 105,000 of food, 5,000 off, 2,000 service = 102,000; card, cash, easy pay; 10,000 open. */
function receiptData(overrides: Partial<ReceiptData> = {}): ReceiptData {
  return {
    store: { name: "한결식당", businessNo: "1234567890", owner: "김한결", address: "서울특별시 마포구 월드컵북로 123, 한결빌딩 1층", phone: "02-123-4567" },
    tableName: "테이블 7",
    receiptNo: "R-20250601-0007",
    sessionId: "ses_01HZX3K9",
    printedAt: "2025-06-01T03:34:56.000Z",
    items: [
      { name: "김치찌개", quantity: 2, unitPrice: 9_000, lineTotal: 20_000, options: ["계란 추가"] },
      { name: "해물파전", quantity: 1, unitPrice: 25_000, lineTotal: 25_000, options: [] },
      { name: "생맥주 500cc", quantity: 12, unitPrice: 5_000, lineTotal: 60_000, options: [] },
    ],
    adjustments: [{ label: "단골 할인", amount: -5_000 }, { label: "봉사료", amount: 2_000 }],
    total: 102_000,
    taxFree: 0,
    payments: [
      { method: "card", amount: 60_000, cardIssuer: "신한카드", maskedCardNo: "541707******1234", installmentMonths: 0, approvalNo: "12345678", approvedAt: "2025-06-01T03:35:10Z" },
      { method: "cash", amount: 30_000, tendered: 50_000, changeGiven: 20_000 },
      { method: "easy_pay", amount: 2_000, approvalNo: "87654321" },
    ],
    outstanding: 10_000,
    copy: 0,
    widthChars: 42,
    ...overrides,
  };
}

const decodeOne = (bytes: Buffer): { slip: Slip; decoder: EscPosDecoder } => {
  const decoder = new EscPosDecoder();
  const slips = decodeSlips(bytes, decoder);
  assert.is(slips.length, 1);
  return { slip: slips[0]!, decoder };
};
const texts = (data: ReceiptData) => decodeOne(renderReceipt(data).bytes).slip.lines.map((l) => l.text);
const isAssertion = (e: unknown) => e instanceof AssertionError;

/** The amount on the line that starts with `label` (a `label … 1,234원` pair), parsed back to a number. */
function amountOn(lines: string[], label: string): number | undefined {
  const line = lines.find((l) => l.startsWith(`${label} `) && l.endsWith("원"));
  if (line === undefined) return undefined;
  const figure = line.slice(label.length).trim();
  assert.match(figure, /^-?\d{1,3}(,\d{3})*원$/, `money is printed with thousands separators and 원: ${figure}`);
  return Number(figure.replaceAll(",", "").replace("원", ""));
}

/** The split recomputed independently: vat is the integer v with |taxable − 11v| < 11/2 (no ties exist). */
function expectedSplit(total: number, taxFree: number): { supply: number; vat: number } {
  const taxable = BigInt(total) - BigInt(taxFree);
  const q = taxable / 11n;
  const r = taxable - 11n * q;
  const vat = 2n * r > 11n ? q + 1n : 2n * r < -11n ? q - 1n : q;
  return { supply: Number(taxable - vat), vat: Number(vat) };
}

test("a receipt decodes back to exactly the lines we meant to print", () => {
  const rendered = renderReceipt(receiptData());
  const { slip, decoder } = decodeOne(rendered.bytes);
  assert.equal(slip.lines, rendered.lines);
  assert.is(slip.text, rendered.text);
  assert.is(slip.cut, "partial");
  assert.equal(decoder.counters, { unknownCommands: 0, extendedPairs: 0, invalidBytes: 0, droppedChars: 0, droppedLines: 0 });
  assert.equal(rendered.replaced, []);
  assert.equal(decodeByteByByte(rendered.bytes), [slip], "split into single bytes, it decodes the same");
});

test("the receipt starts with the double-byte Korean setup and ends with a cut", () => {
  const { bytes } = renderReceipt(receiptData());
  assert.equal(bytes.subarray(0, 10), hex("1b40 1b7400 1c26 1b520d"));
  assert.equal(bytes.subarray(-5), hex("1d5601 1b40"));
});

test("the header shows 상호, 사업자번호 as 000-00-00000, 대표자, 주소, 전화, table, Korean time and receipt number", () => {
  const lines = texts(receiptData());
  for (const expected of ["영수증", "상호: 한결식당", "사업자번호: 123-45-67890", "대표자: 김한결", "전화: 02-123-4567", "테이블: 테이블 7", "일시: 2025-06-01 12:34:56", "영수증번호: R-20250601-0007", "세션: ses_01HZX3K9"]) {
    assert.ok(lines.includes(expected), `missing ${expected}`);
  }
  assert.ok(lines.some((l) => l.startsWith("주소: 서울특별시 마포구")));
});

test("a business number is formatted 000-00-00000 from any spacing, and printed as given otherwise", () => {
  assert.is(formatBusinessNo("1234567890"), "123-45-67890");
  assert.is(formatBusinessNo("123-45-67890"), "123-45-67890");
  assert.is(formatBusinessNo(" 123 45 67890 "), "123-45-67890");
  assert.is(formatBusinessNo("12345"), "12345");
});

test("money is printed with thousands separators and 원, negatives with a minus", () => {
  assert.equal([0, 999, 1_000, 102_000, -5_000, wonMax, -wonMax].map(formatWon),
    ["0원", "999원", "1,000원", "102,000원", "-5,000원", "10,000,000,000원", "-10,000,000,000원"]);
});

test("item lines show name, quantity and amount, options indented; adjustments are signed", () => {
  const lines = texts(receiptData());
  assert.ok(lines.some((l) => /^김치찌개 +2 20,000원$/.test(l)));
  assert.ok(lines.some((l) => /^생맥주 500cc +12 60,000원$/.test(l)));
  assert.ok(lines.includes("  + 계란 추가"));
  assert.is(amountOn(lines, "단골 할인"), -5_000);
  assert.is(amountOn(lines, "봉사료"), 2_000);
});

test("합계, 공급가액 and 부가세 are the VAT split of the total, recomputed independently", () => {
  const lines = texts(receiptData());
  assert.is(amountOn(lines, "합계"), 102_000);
  assert.is(amountOn(lines, "공급가액"), 92_727);
  assert.is(amountOn(lines, "부가세"), 9_273);
  assert.equal(expectedSplit(102_000, 0), { supply: 92_727, vat: 9_273 });
  assert.not.ok(lines.some((l) => l.startsWith("면세")), "no 면세 line when nothing is tax-free");
});

for (const [total, supply, vat] of [[15_000, 13_636, 1_364], [30_000, 27_273, 2_727], [9_026, 8_205, 821], [25_000, 22_727, 2_273], [1_000, 909, 91]] as const) {
  test(`a ${total} won receipt prints 공급가액 ${supply} and 부가세 ${vat} (PAYMENTS-KR.md §3)`, () => {
    const items = [{ name: "정식", quantity: 1, unitPrice: total, lineTotal: total, options: [] }];
    const lines = texts(receiptData({ items, adjustments: [], total, payments: [], outstanding: total }));
    assert.equal([amountOn(lines, "합계"), amountOn(lines, "공급가액"), amountOn(lines, "부가세")], [total, supply, vat]);
  });
}

test("a tax-free part is printed as 면세 and left out of the VAT base", () => {
  const lines = texts(receiptData({ taxFree: 2_000 }));
  assert.is(amountOn(lines, "면세"), 2_000);
  assert.is(amountOn(lines, "공급가액"), 90_909); // 100,000 taxable: vat 9,091
  assert.is(amountOn(lines, "부가세"), 9_091);
});

test("a card payment shows issuer, masked number, 일시불 or N개월, 승인번호 and 승인일시 in Korean time", () => {
  const lines = texts(receiptData());
  assert.is(amountOn(lines, "카드"), 60_000);
  for (const expected of ["  카드사: 신한카드", "  카드번호: 541707******1234", "  할부: 일시불", "  승인번호: 12345678", "  승인일시: 2025-06-01 12:35:10"]) {
    assert.ok(lines.includes(expected), `missing ${expected}`);
  }
  const card: ReceiptPayment = { method: "card", amount: 60_000, installmentMonths: 3, approvedAt: "250601123510" };
  const three = texts(receiptData({ payments: [card], outstanding: 42_000 }));
  assert.ok(three.includes("  할부: 3개월"));
  assert.ok(three.includes("  승인일시: 250601123510"), "a VAN timestamp that is not ISO is printed as sent");
});

test("cash shows 받은 돈 and 거스름돈; every method is named in Korean", () => {
  const lines = texts(receiptData());
  assert.equal([amountOn(lines, "현금"), amountOn(lines, "  받은 돈"), amountOn(lines, "  거스름돈")], [30_000, 50_000, 20_000]);
  assert.is(amountOn(lines, "간편결제"), 2_000);
  const points = texts(receiptData({ payments: [{ method: "points", amount: 1_000 }], outstanding: 0 }));
  assert.is(amountOn(points, "포인트"), 1_000);
});

test("a partial approval and refunds are marked", () => {
  const payments: ReceiptPayment[] = [
    { method: "card", amount: 30_000, partial: true, refunded: 5_000 },
    { method: "easy_pay", amount: 20_000, refunded: 20_000 },
  ];
  const lines = texts(receiptData({ payments, outstanding: 52_000 }));
  assert.is(amountOn(lines, "카드 (부분승인)"), 30_000);
  assert.is(amountOn(lines, "  부분 취소"), -5_000);
  assert.is(amountOn(lines, "  전액 취소"), -20_000);
  assert.not.ok(texts(receiptData()).some((l) => l.includes("취소") || l.includes("부분승인")), "nothing is marked on a plain receipt");
});

test("a cash receipt prints its purpose, approval number and masked identity", () => {
  const lines = texts(receiptData({ cashReceipt: { approvalNo: "20250601", purpose: "expense_proof", identityMasked: "123-45-*****" } }));
  assert.ok(lines.includes("현금영수증 (지출증빙)"));
  assert.ok(lines.includes("  승인번호: 20250601"));
  assert.ok(lines.includes("  식별번호: 123-45-*****"));
  const deduction = texts(receiptData({ cashReceipt: { approvalNo: "1", purpose: "income_deduction", identityMasked: "010****1234" } }));
  assert.ok(deduction.includes("현금영수증 (소득공제)"));
  assert.not.ok(texts(receiptData()).some((l) => l.startsWith("현금영수증")));
});

test("미결제 잔액 is printed only while something is outstanding", () => {
  assert.is(amountOn(texts(receiptData()), "미결제 잔액"), 10_000);
  for (const outstanding of [0, -3_000]) { // -3,000: overpaid after a late discount
    assert.not.ok(texts(receiptData({ outstanding })).some((l) => l.includes("미결제")), `outstanding ${outstanding}`);
  }
});

test("the copy mark appears at top and bottom of a copy, and never on the original", () => {
  const original = renderReceipt(receiptData()).text;
  assert.not.ok(original.includes("재발행") || original.includes("COPY"));
  const { slip } = decodeOne(renderReceipt(receiptData({ copy: 3 })).bytes);
  const marks = slip.lines.filter((l) => l.text === receiptMarks.copy(3));
  assert.is(marks.length, 2);
  assert.is(slip.lines[0]!.text, "*** 재발행 / COPY 3 ***");
  assert.is(slip.lines.at(-1)!.text, "*** 재발행 / COPY 3 ***");
  assert.equal([marks[0]!.bold, marks[0]!.doubleHeight, marks[0]!.align], [true, true, "center"]);
});

test("Korean text round-trips exactly; 똠, an emoji and control bytes become ? and are reported", () => {
  const items = [
    { name: "순두부찌개 (뚝배기)", quantity: 1, unitPrice: 10_000, lineTotal: 10_000, options: ["공기밥 추가", "맵기: 아주 매운맛"] },
    { name: "똠양꿍 😀\u001b@", quantity: 1, unitPrice: 2_000, lineTotal: 2_000, options: [] },
  ];
  const rendered = renderReceipt(receiptData({ items, adjustments: [], total: 12_000, payments: [], outstanding: 12_000 }));
  const { slip, decoder } = decodeOne(rendered.bytes);
  assert.equal(rendered.replaced, ["똠", "😀", "\u001b"]);
  assert.is(decoder.counters.extendedPairs, 0, "no CP949-only byte pairs go out");
  assert.is(decoder.unknownCommands, 0, "a name cannot smuggle an ESC command");
  const lines = slip.lines.map((l) => l.text);
  assert.ok(lines.some((l) => l.startsWith("순두부찌개 (뚝배기) ")));
  assert.ok(lines.includes("  + 맵기: 아주 매운맛"));
  assert.ok(lines.some((l) => l.startsWith("?양꿍 ??@ ")));
});

for (const widthChars of [42, 32]) {
  test(`at ${widthChars} columns every line fits, two-column lines fill it exactly, and long names wrap`, () => {
    const long = "모둠 해물 파전 대자 반반 치즈 추가 특대 사이즈 스페셜 에디션";
    const items = [
      ...receiptData().items,
      { name: long, quantity: 198_000, unitPrice: 50_000, lineTotal: 9_900_000_000, options: [`${long} 옵션`] },
    ];
    const data = receiptData({ widthChars, items, total: 9_900_102_000, outstanding: 9_900_010_000, store: { ...receiptData().store, address: long.repeat(3) } });
    const { slip } = decodeOne(renderReceipt(data).bytes);
    for (const line of slip.lines) assert.ok(printerWidth(line.text) <= widthChars, `too wide: ${line.text}`);
    const pairs = slip.lines.filter((l) => /\d원$/.test(l.text));
    assert.ok(pairs.length >= 12);
    for (const line of pairs) assert.is(printerWidth(line.text), widthChars, line.text);
    const at = slip.lines.findIndex((l) => l.text.startsWith("모둠"));
    const nameLines = slip.lines.slice(at).map((l) => l.text).slice(0, slip.lines.slice(at).findIndex((l) => l.text.startsWith("  + ")));
    assert.ok(nameLines.length >= 2, "the long name wraps");
    assert.is(nameLines.join(" ").replace(/ +198000 9,900,000,000원/, "").replace(/\s+/g, " ").trim(), long, "the whole name is printed");
    assert.ok(nameLines.some((l) => / 198000 9,900,000,000원$/.test(l)), "quantity and amount are printed with it");
    assert.ok(nameLines.length <= 4, `the name is not squeezed into a narrow strip: ${nameLines.join(" | ")}`);
    assert.is(amountOn(slip.lines.map((l) => l.text), "합계"), 9_900_102_000);
  });
}

test("a text over textCharsMax characters is cut there and ends with ..", () => {
  const name = "가".repeat(receiptLimits.textCharsMax) + "나다라";
  const lines = texts(receiptData({ tableName: name }));
  const [from, to] = [lines.findIndex((l) => l.startsWith("테이블:")), lines.findIndex((l) => l.startsWith("일시: "))];
  assert.ok(from >= 0 && to > from + 1, "the long table name wraps onto its own lines");
  const printed = lines.slice(from, to).join("").replace("테이블:", "").replaceAll(" ", "");
  assert.is(printed, "가".repeat(receiptLimits.textCharsMax) + "..");
  assert.is(texts(receiptData({ tableName: "가".repeat(receiptLimits.textCharsMax) })).join("\n").includes(".."), false, "a text at the limit is not cut");
});

test("huge strings never throw: they are cut, wrapped and kept within the width", () => {
  const huge = "가나다라마바사 ".repeat(2_000); // 16,000 chars: 80× textCharsMax
  for (const widthChars of [24, 32, 42, 64]) {
    const data = receiptData({
      widthChars, tableName: huge, receiptNo: "x".repeat(100_000), sessionId: huge,
      store: { name: huge, businessNo: huge, owner: huge, address: huge, phone: huge },
      items: [{ name: huge, quantity: 1, unitPrice: 102_000, lineTotal: 102_000, options: [huge, huge] }],
      payments: [{ method: "card", amount: 1, cardIssuer: huge, maskedCardNo: huge, approvalNo: huge, approvedAt: huge }],
      outstanding: 101_999, adjustments: [],
    });
    const rendered = renderReceipt(data);
    const { slip } = decodeOne(rendered.bytes);
    for (const line of slip.lines) assert.ok(printerWidth(line.text) <= widthChars, `too wide at ${widthChars}: ${line.text}`);
    assert.ok(rendered.bytes.length < 60_000, `bounded output, got ${rendered.bytes.length} bytes`);
    assert.ok(slip.text.includes(".."), "a cut text says so");
  }
});

test("a receipt whose figures cannot be printed truthfully is a bug and asserts", () => {
  const bad: Partial<ReceiptData>[] = [
    { widthChars: 10 }, { copy: -1 }, { copy: 1.5 }, { printedAt: "yesterday" }, { printedAt: "2025-06-01 12:00" },
    { total: 102_001 }, { taxFree: 102_001 }, { outstanding: wonMax + 1 }, { outstanding: 0.5 },
    { payments: [{ method: "card", amount: 1_000, refunded: 1_001 }] },
    { payments: [{ method: "cash", amount: 1_000, tendered: 5_000, changeGiven: 3_000 }] },
    { payments: [{ method: "card", amount: 1_000, installmentMonths: 1.5 }] },
    { payments: [{ method: "toString" as ReceiptPayment["method"], amount: 1 }] },
    { items: [{ name: "x", quantity: 0, unitPrice: 0, lineTotal: 0, options: [] }], adjustments: [], total: 0 },
  ];
  for (const overrides of bad) assert.throws(() => renderReceipt(receiptData(overrides)), isAssertion, JSON.stringify(overrides));
});

test("rendering twice gives the same bytes (a fresh library instance per receipt)", () => {
  assert.equal(renderReceipt(receiptData()).bytes, renderReceipt(receiptData()).bytes);
});

// ---- property --------------------------------------------------------------------------------

const names = fc.constantFrom("김치찌개", "제육볶음", "생맥주 500cc", "Coke", "모둠 해물 파전 대자 반반 치즈 추가", "계란말이", "공기밥", "😀 스페셜", "똠얌");
const itemArb = fc.record({
  name: names,
  quantity: fc.integer({ min: 1, max: 99 }),
  unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
  options: fc.array(names, { maxLength: 2 }),
}).map((i) => ({ ...i, lineTotal: i.unitPrice * i.quantity }));

/** Random items, adjustments, payments and width: the totals block must always be splitVat of the total. */
const receiptArb = fc.record({
  items: fc.array(itemArb, { minLength: 1, maxLength: 8 }),
  adjustments: fc.array(fc.record({ label: names, amount: fc.integer({ min: -5_000, max: 50_000 }) }), { maxLength: 3 }),
  freeShare: fc.integer({ min: 0, max: 4 }),
  payments: fc.array(fc.record({
    method: fc.constantFrom("cash", "card", "easy_pay", "points") as fc.Arbitrary<ReceiptPayment["method"]>,
    amount: fc.integer({ min: 0, max: 10_000_000 }),
    months: fc.option(fc.integer({ min: 0, max: 36 }), { nil: undefined }),
    partial: fc.boolean(),
  }), { maxLength: 4 }),
  widthChars: fc.oneof(fc.constantFrom(32, 42), fc.integer({ min: 24, max: 64 })),
  copy: fc.integer({ min: 0, max: 3 }),
}).map((r): ReceiptData => {
  const itemsTotal = r.items.reduce((s, i) => s + i.lineTotal, 0);
  // Keep the total non-negative: a discount never takes more than the items.
  const adjustments = r.adjustments.map((a) => ({ ...a, amount: Math.max(a.amount, -itemsTotal) })).slice(0, itemsTotal === 0 ? 0 : 3);
  const total = itemsTotal + adjustments.reduce((s, a) => s + a.amount, 0);
  const safeAdjustments = total >= 0 ? adjustments : [];
  const finalTotal = total >= 0 ? total : itemsTotal;
  const payments = r.payments.map((p) => ({ method: p.method, amount: p.amount, partial: p.partial, ...(p.months === undefined ? {} : { installmentMonths: p.months }) }));
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  return receiptData({
    items: r.items, adjustments: safeAdjustments, total: finalTotal, taxFree: Math.floor((finalTotal * r.freeShare) / 8),
    payments, outstanding: Math.max(0, finalTotal - paid), widthChars: r.widthChars, copy: r.copy,
  });
});

test("for random receipts, the decoded 합계, 공급가액 and 부가세 are splitVat of the total, and every line fits", () => {
  fc.assert(
    fc.property(receiptArb, (data) => {
      const rendered = renderReceipt(data);
      const { slip, decoder } = decodeOne(rendered.bytes);
      assert.is(slip.text, rendered.text);
      assert.is(decoder.counters.extendedPairs, 0);
      const lines = slip.lines.map((l) => l.text);
      const expected = expectedSplit(data.total, data.taxFree);
      const split = splitVat(data.total, data.taxFree);
      assert.is(amountOn(lines, "합계"), data.total);
      assert.is(amountOn(lines, "공급가액"), expected.supply);
      assert.is(amountOn(lines, "부가세"), expected.vat);
      assert.equal({ supply: split.supply, vat: split.vat }, expected);
      assert.is(amountOn(lines, "면세"), data.taxFree > 0 ? data.taxFree : undefined);
      for (const line of lines) assert.ok(printerWidth(line) <= data.widthChars, `too wide: ${line}`);
      assert.is(lines.filter((l) => l.startsWith("*** 재발행")).length, data.copy > 0 ? 2 : 0);
    }),
    { numRuns: 300 },
  );
});

test.run();
