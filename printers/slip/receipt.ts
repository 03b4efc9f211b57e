import { assert } from "../../domain/assert.ts";
import { wonMax } from "../../domain/money.ts";
import { splitVat } from "../../domain/vat.ts";
import type { Align, SlipLine } from "../escpos/decoder.ts";
import { slipLimits } from "../limits.ts";
import { sanitizeForPrinter } from "./ksx1001.ts";
import { encodeKoreanLines } from "./korean-escpos.ts";
import type { RenderedSlip } from "./render.ts";
import { padToWidth, printerWidth, twoColumns, wrapToWidth } from "./width.ts";

export type ReceiptPaymentMethod = "cash" | "card" | "easy_pay" | "points";

/** One tender on the receipt, as the provider reported it (PAYMENTS-KR.md §1.3). */
export interface ReceiptPayment {
  method: ReceiptPaymentMethod;
  /** Approved amount applied to this bill (below the request on a partial approval). */
  amount: number;
  /** Cash: handed over; tendered − changeGiven = amount when both are given. */
  tendered?: number;
  changeGiven?: number;
  cardIssuer?: string;
  maskedCardNo?: string;
  approvalNo?: string;
  /** 0 = 일시불. */
  installmentMonths?: number;
  /** ISO 8601 with a zone is printed as Korean time; anything else (a VAN's YYMMDDhhmmss) as sent. */
  approvedAt?: string;
  partial?: boolean;
  /** Cancelled so far (부분취소 / 전액취소), 0..amount. */
  refunded?: number;
}

/** The customer receipt (영수증) of one table session. */
export interface ReceiptData {
  store: { name: string; businessNo: string; owner: string; address: string; phone: string };
  tableName: string;
  /** Our id, printed. */
  receiptNo: string;
  sessionId: string;
  /** ISO 8601 with a zone; printed as Korean local time. */
  printedAt: string;
  /** lineTotal is what the line costs (options included); unitPrice is not printed. */
  items: { name: string; quantity: number; unitPrice: number; lineTotal: number; options: string[] }[];
  /** Signed: a discount is negative, a service charge positive. */
  adjustments: { label: string; amount: number }[];
  /** VAT-inclusive total after adjustments: Σ lineTotal + Σ adjustments (asserted). */
  total: number;
  /** 면세 part of total, usually 0. */
  taxFree: number;
  payments: ReceiptPayment[];
  cashReceipt?: { approvalNo: string; purpose: "income_deduction" | "expense_proof"; identityMasked: string };
  /** total − net paid; 미결제 잔액 is printed only when above 0 (below 0 = overpaid, refund due). */
  outstanding: number;
  /** 0 = original; n ≥ 1 = the n-th reprint, marked `receiptMarks.copy(n)` at top and bottom. */
  copy: number;
  /** Columns of font A: 42 on 80 mm paper, 32 on 58 mm. */
  widthChars: number;
}

/** Bounds of a receipt; text over textCharsMax is cut, never refused. */
export const receiptLimits = {
  /** One receipt covers a whole session (orderLimits.itemsPerSessionMax). */
  itemsMax: 2_000,
  optionsPerItemMax: slipLimits.optionsPerItemMax,
  adjustmentsMax: 20,
  paymentsMax: 50,
  /** A receipt may merge a session's lines of one menu item: 2,000 lines × 99. */
  quantityMax: 198_000,
  installmentMonthsMax: 99,
  textCharsMax: slipLimits.textCharsMax,
  copyMax: slipLimits.reprintCountMax,
} as const;

/** The copy mark (like slipMarks.reprint): every character is KS X 1001 printable. */
export const receiptMarks = {
  copy: (n: number) => `*** 재발행 / COPY ${n} ***`,
} as const;

export const paymentMethodLabels: Record<ReceiptPaymentMethod, string> = { cash: "현금", card: "카드", easy_pay: "간편결제", points: "포인트" };
const cashReceiptPurposes = { income_deduction: "소득공제", expense_proof: "지출증빙" } as const;

const receiptTimeZone = "Asia/Seoul";
const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const clipMark = "..";

type Size = "normal" | "tall";
/** GS ! n: low nibble = height − 1 (setTextSize swaps the nibbles, so we send GS ! ourselves). */
const sizeBytes: Record<Size, number> = { normal: 0x00, tall: 0x01 };
interface Style {
  bold: boolean;
  size: Size;
  align: Align;
}
interface Line extends Style {
  text: string;
}
const plain: Style = { bold: false, size: "normal", align: "left" };
const strong: Style = { bold: true, size: "tall", align: "left" };
const mark: Style = { bold: true, size: "tall", align: "center" };

/** Renders the customer receipt to ESC/POS bytes for a Korean (KS X 1001) Epson-compatible printer. */
export function renderReceipt(data: ReceiptData): RenderedSlip {
  validate(data);
  const replaced: string[] = [];
  const clean = (text: string): string => {
    const result = sanitizeForPrinter(clip(text));
    for (const ch of result.replaced) if (!replaced.includes(ch)) replaced.push(ch);
    return result.text;
  };
  const sheet = new Sheet(data.widthChars);
  layout(data, clean, sheet);
  const bytes = encode(sheet.lines, data.widthChars);
  const lines = sheet.lines.map(toSlipLine);
  return { bytes, text: lines.map((l) => l.text).join("\n"), replaced, lines };
}

function validate(data: ReceiptData): void {
  const { widthChars, copy, items, adjustments, payments } = data;
  assert(Number.isInteger(widthChars) && widthChars >= slipLimits.widthCharsMin && widthChars <= slipLimits.widthCharsMax, "widthChars out of range");
  assert(Number.isInteger(copy) && copy >= 0 && copy <= receiptLimits.copyMax, "bad copy number");
  assert(isoWithZone.test(data.printedAt) && !Number.isNaN(Date.parse(data.printedAt)), "printedAt must be ISO 8601 with a zone");
  assert(items.length <= receiptLimits.itemsMax && adjustments.length <= receiptLimits.adjustmentsMax, "too many lines");
  assert(payments.length <= receiptLimits.paymentsMax, "too many payments");
  for (const item of items) {
    assert(Number.isInteger(item.quantity) && item.quantity >= 1 && item.quantity <= receiptLimits.quantityMax, "bad quantity");
    assert(isAmount(item.unitPrice, 0) && isAmount(item.lineTotal, 0), "item amounts must be whole won in 0..wonMax");
    assert(item.options.length <= receiptLimits.optionsPerItemMax, "too many options");
  }
  for (const adjustment of adjustments) assert(isAmount(adjustment.amount, -wonMax), "adjustment must be whole won within ±wonMax");
  // outstanding < 0 is an overpaid session (a discount after full payment): printed without 미결제 잔액.
  assert(isAmount(data.total, -wonMax) && isAmount(data.outstanding, -wonMax), "total and outstanding must be whole won within ±wonMax");
  // Every figure on paper must add up: the lines and adjustments are the total (plain safe integers).
  const sum = items.reduce((s, i) => s + i.lineTotal, 0) + adjustments.reduce((s, a) => s + a.amount, 0);
  assert(sum === data.total, `items and adjustments sum to ${sum}, not the total ${data.total}`);
  for (const payment of payments) validatePayment(payment);
  assert(data.cashReceipt === undefined || Object.hasOwn(cashReceiptPurposes, data.cashReceipt.purpose), "unknown cash receipt purpose");
}

function validatePayment(p: ReceiptPayment): void {
  assert(Object.hasOwn(paymentMethodLabels, p.method), "unknown payment method");
  assert(isAmount(p.amount, 0), "payment amount must be whole won in 0..wonMax");
  for (const value of [p.tendered, p.changeGiven, p.refunded]) assert(value === undefined || isAmount(value, 0), "payment figures must be whole won in 0..wonMax");
  assert((p.refunded ?? 0) <= p.amount, "cannot refund more than was paid");
  if (p.tendered !== undefined && p.changeGiven !== undefined) assert(p.tendered - p.changeGiven === p.amount, "tendered − change must equal the cash amount");
  const months = p.installmentMonths;
  assert(months === undefined || (Number.isInteger(months) && months >= 0 && months <= receiptLimits.installmentMonthsMax), "bad installment months");
}

const isAmount = (n: number, min: number) => Number.isSafeInteger(n) && n >= min && n <= wonMax;

/** Cuts free text to textCharsMax code points, so a huge string costs bounded paper and time. */
function clip(text: string): string {
  let out = "";
  let count = 0;
  for (const ch of text) {
    if (count === receiptLimits.textCharsMax) return out + clipMark;
    out += ch;
    count++;
  }
  return out;
}

/** Lines of exactly-known width; everything is laid out by printer width (Hangul = 2 columns). */
class Sheet {
  readonly lines: Line[] = [];
  constructor(readonly width: number) {}

  /** Wrapped text; continuation lines get `hanging` in front. */
  text(text: string, style: Style = plain, hanging = ""): void {
    const [first = "", ...rest] = wrapToWidth(text, this.width, printerWidth);
    this.lines.push({ text: first, ...style });
    if (rest.length === 0) return;
    // wrapToWidth dropped at most the one space it broke at; rewrap the rest narrower.
    const tail = text.slice(first.length).replace(/^ /, "");
    for (const part of wrapToWidth(tail, this.width - printerWidth(hanging), printerWidth)) {
      this.lines.push({ text: hanging + part, ...style });
    }
  }

  /**
   * `left … right` on one line. A left too long wraps below it; when the figures leave the left
   * less than half the line, the left goes on its own lines and the figures right-aligned under it.
   */
  pair(left: string, right: string, style: Style = plain): void {
    const leftWidth = this.width - printerWidth(right) - 1;
    if (leftWidth < 2 || (printerWidth(left) > leftWidth && 2 * leftWidth < this.width)) {
      this.text(left, style);
      for (const part of wrapToWidth(right, this.width, printerWidth)) this.lines.push({ text: padToWidth(part, this.width, "right", printerWidth), ...style });
      return;
    }
    const [first = "", ...rest] = wrapToWidth(left, leftWidth, printerWidth);
    this.lines.push({ text: twoColumns(first, right, this.width, printerWidth), ...style });
    for (const part of rest) this.lines.push({ text: part, ...style });
  }

  rule(char = "-"): void {
    this.lines.push({ text: char.repeat(this.width), ...plain });
  }
}

function layout(data: ReceiptData, clean: (text: string) => string, sheet: Sheet): void {
  if (data.copy > 0) sheet.text(receiptMarks.copy(data.copy), mark);
  sheet.text("영수증", mark);
  const { store } = data;
  sheet.text(`상호: ${clean(store.name)}`, plain, "  ");
  sheet.text(`사업자번호: ${formatBusinessNo(store.businessNo, clean)}`, plain, "  ");
  sheet.text(`대표자: ${clean(store.owner)}`, plain, "  ");
  sheet.text(`주소: ${clean(store.address)}`, plain, "  ");
  sheet.text(`전화: ${clean(store.phone)}`, plain, "  ");
  sheet.rule();
  sheet.text(`테이블: ${clean(data.tableName)}`, plain, "  ");
  sheet.text(`일시: ${formatKoreanTime(data.printedAt)}`);
  sheet.text(`영수증번호: ${clean(data.receiptNo)}`, plain, "  ");
  sheet.rule();
  layoutItems(data, clean, sheet);
  layoutTotals(data, sheet);
  for (const payment of data.payments) layoutPayment(payment, clean, sheet);
  if (data.cashReceipt !== undefined) {
    const { approvalNo, purpose, identityMasked } = data.cashReceipt;
    sheet.text(`현금영수증 (${cashReceiptPurposes[purpose]})`);
    sheet.text(`  승인번호: ${clean(approvalNo)}`, plain, "    ");
    sheet.text(`  식별번호: ${clean(identityMasked)}`, plain, "    ");
  }
  if (data.outstanding > 0) {
    sheet.rule();
    sheet.pair("미결제 잔액", formatWon(data.outstanding), strong);
  }
  sheet.rule();
  sheet.text(`세션: ${clean(data.sessionId)}`, plain, "  ");
  if (data.copy > 0) sheet.text(receiptMarks.copy(data.copy), mark);
}

/** 품명 … 수량 금액, the quantity column as wide as the widest quantity so the figures line up. */
function layoutItems(data: ReceiptData, clean: (text: string) => string, sheet: Sheet): void {
  const quantities = data.items.map((i) => String(i.quantity));
  const amounts = data.items.map((i) => formatWon(i.lineTotal));
  const quantityWidth = Math.max(printerWidth("수량"), ...quantities.map((q) => printerWidth(q)));
  const amountWidth = Math.max(printerWidth("금액"), ...amounts.map((a) => printerWidth(a)));
  const right = (q: string, a: string) => `${padToWidth(q, quantityWidth, "right", printerWidth)} ${padToWidth(a, amountWidth, "right", printerWidth)}`;
  sheet.pair("품명", right("수량", "금액"));
  sheet.rule();
  data.items.forEach((item, i) => {
    sheet.pair(clean(item.name), right(quantities[i]!, amounts[i]!));
    for (const option of item.options) sheet.text(`  + ${clean(option)}`, plain, "    ");
  });
  sheet.rule();
  for (const adjustment of data.adjustments) sheet.pair(clean(adjustment.label), formatWon(adjustment.amount));
  if (data.adjustments.length > 0) sheet.rule();
}

/** 합계, then the VAT split of the whole receipt (one rounding per receipt, PAYMENTS-KR.md §3). */
function layoutTotals(data: ReceiptData, sheet: Sheet): void {
  const split = splitVat(data.total, data.taxFree);
  sheet.pair("합계", formatWon(data.total), strong);
  sheet.pair("공급가액", formatWon(split.supply));
  sheet.pair("부가세", formatWon(split.vat));
  if (split.taxFree !== 0) sheet.pair("면세", formatWon(split.taxFree));
  sheet.rule();
}

function layoutPayment(p: ReceiptPayment, clean: (text: string) => string, sheet: Sheet): void {
  const detail = (label: string, value: string) => sheet.text(`  ${label}: ${value}`, plain, "    ");
  sheet.pair(`${paymentMethodLabels[p.method]}${p.partial === true ? " (부분승인)" : ""}`, formatWon(p.amount));
  if (p.cardIssuer !== undefined) detail("카드사", clean(p.cardIssuer));
  if (p.maskedCardNo !== undefined) detail("카드번호", clean(p.maskedCardNo));
  if (p.installmentMonths !== undefined) detail("할부", p.installmentMonths === 0 ? "일시불" : `${p.installmentMonths}개월`);
  if (p.approvalNo !== undefined) detail("승인번호", clean(p.approvalNo));
  if (p.approvedAt !== undefined) detail("승인일시", isoWithZone.test(p.approvedAt) && !Number.isNaN(Date.parse(p.approvedAt)) ? formatKoreanTime(p.approvedAt) : clean(p.approvedAt));
  if (p.tendered !== undefined) sheet.pair("  받은 돈", formatWon(p.tendered));
  if (p.changeGiven !== undefined) sheet.pair("  거스름돈", formatWon(p.changeGiven));
  const refunded = p.refunded ?? 0;
  if (refunded > 0) sheet.pair(refunded === p.amount ? "  전액 취소" : "  부분 취소", formatWon(-refunded));
}

/** 1234567 → "1,234,567원"; −2000 → "-2,000원". Plain string work, no locale. */
export function formatWon(amount: number): string {
  assert(Number.isSafeInteger(amount), "money is whole won");
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+$)/g, ",");
  return `${amount < 0 ? "-" : ""}${digits}원`;
}

/** Ten digits → 000-00-00000 (사업자등록번호); anything else is printed as given. */
export function formatBusinessNo(businessNo: string, clean: (text: string) => string = (t) => t): string {
  const digits = businessNo.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return clean(businessNo);
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

// Made once: building a formatter costs far more than formatting with it.
const receiptTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: receiptTimeZone, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

/** "YYYY-MM-DD HH:mm:ss" in Korean time, whatever the host's zone. */
function formatKoreanTime(iso: string): string {
  const parts = receiptTimeFormat.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "??";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

function encode(lines: Line[], width: number): Buffer {
  for (const line of lines) assert(printerWidth(line.text) <= width, `line wider than ${width} columns: ${line.text}`);
  return encodeKoreanLines(lines.map((l) => ({ ...l, sizeByte: sizeBytes[l.size] })), width, "receipt");
}

function toSlipLine(line: Line): SlipLine {
  return { text: line.text, bold: line.bold, align: line.align, doubleHeight: line.size === "tall", doubleWidth: false };
}
