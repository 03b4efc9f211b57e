import { assert } from "../../domain/assert.ts";
import type { Align, SlipLine } from "../escpos/decoder.ts";
import { slipLimits } from "../limits.ts";
import { sanitizeForPrinter } from "./ksx1001.ts";
import { encodeKoreanLines } from "./korean-escpos.ts";
import { printerWidth, splitAtWidth, twoColumns, wrapToWidth } from "./width.ts";

export interface KitchenSlipItem {
  name: string;
  quantity: number;
  options: string[];
  note: string;
  /** On a change slip: the old line being taken back. */
  cancelled?: boolean;
  /** On a change slip: the name of the line this one replaces. */
  replacesName?: string;
}

export interface KitchenSlip {
  storeName: string;
  tableName: string;
  batchNo: number;
  ticketId: string;
  stationName: string;
  source: "pos" | "qr" | "app";
  kind: "new" | "change" | "cancel";
  /** ISO 8601; printed as Korean local time. */
  createdAt: string;
  items: KitchenSlipItem[];
  /** 0 = the original; n = an admin's n-th reprint, printed `*** 재출력 / REPRINT n ***` (R-KRP-3). */
  reprintCount: number;
  /**
   * An earlier attempt at this content may have printed (sent, but its completion was never
   * confirmed): printed `*** 중복 가능 / MAY BE DUPLICATE ***`, wording of its own so the kitchen can
   * tell "maybe a second copy" from an admin's deliberate reprint.
   */
  mayBeDuplicate?: boolean;
  /** Name of the failed printer when this copy goes to a backup printer. */
  backupFrom?: string;
  /** Columns of font A: 42 on 80 mm paper, 32 on 58 mm. */
  widthChars: number;
}

export interface RenderedSlip {
  bytes: Buffer;
  /** The lines we meant to print, joined with "\n" (compare with the decoder's `slip.text`). */
  text: string;
  /** Chars replaced by "?" because a KS X 1001 printer cannot print them. */
  replaced: string[];
  lines: SlipLine[];
}

/** The marks a copy can carry (docs/PRINTING.md §7): every character is KS X 1001 printable. */
export const slipMarks = {
  reprint: (n: number) => `*** 재출력 / REPRINT ${n} ***`,
  mayBeDuplicate: "*** 중복 가능 / MAY BE DUPLICATE ***",
} as const;

const slipTimeZone = "Asia/Seoul";
const sourceLabels = { pos: "POS", qr: "QR 주문", app: "앱 주문" } as const;
const itemIndent = "  ";

type Size = "normal" | "tall" | "big";
/** GS ! n: high nibble = width−1, low nibble = height−1 (setTextSize gets these swapped). */
const sizeBytes: Record<Size, number> = { normal: 0x00, tall: 0x01, big: 0x11 };
interface Line {
  text: string;
  bold: boolean;
  size: Size;
  align: Align;
}

/** Renders one kitchen slip to ESC/POS bytes for a Korean (KS X 1001) Epson-compatible printer. */
export function renderSlip(slip: KitchenSlip): RenderedSlip {
  validate(slip);
  const replaced: string[] = [];
  const clean = (text: string): string => {
    const result = sanitizeForPrinter(text);
    for (const ch of result.replaced) if (!replaced.includes(ch)) replaced.push(ch);
    return result.text;
  };
  const lines = layout(slip, clean);
  const bytes = encode(lines, slip.widthChars);
  const slipLines = lines.map(toSlipLine);
  return { bytes, text: slipLines.map((l) => l.text).join("\n"), replaced, lines: slipLines };
}

function validate(slip: KitchenSlip): void {
  assert(Number.isInteger(slip.widthChars), "widthChars must be an integer");
  assert(slip.widthChars >= slipLimits.widthCharsMin && slip.widthChars <= slipLimits.widthCharsMax, "widthChars out of range");
  assert(slip.items.length >= 1 && slip.items.length <= slipLimits.itemsMax, "a slip has 1..itemsMax items");
  assert(Number.isInteger(slip.reprintCount) && slip.reprintCount >= 0 && slip.reprintCount <= slipLimits.reprintCountMax, "bad reprintCount");
  assert(!Number.isNaN(Date.parse(slip.createdAt)), "createdAt must be ISO 8601");
  const texts = [slip.storeName, slip.tableName, slip.ticketId, slip.stationName, slip.backupFrom ?? ""];
  for (const item of slip.items) {
    assert(Number.isInteger(item.quantity) && item.quantity >= 1 && item.quantity <= slipLimits.quantityMax, "bad quantity");
    assert(item.options.length <= slipLimits.optionsPerItemMax, "too many options");
    texts.push(item.name, item.note, item.replacesName ?? "", ...item.options);
  }
  for (const text of texts) assert(text.length <= slipLimits.textCharsMax, "text longer than textCharsMax");
}

function layout(slip: KitchenSlip, clean: (text: string) => string): Line[] {
  const width = slip.widthChars;
  const lines: Line[] = [];
  const add = (text: string, style: Omit<Line, "text">, columns = width) => {
    for (const part of wrapToWidth(text, columns, printerWidth)) lines.push({ text: part, ...style });
  };
  const mark = { bold: true, size: "tall", align: "center" } as const;
  const plain = { bold: false, size: "normal", align: "left" } as const;

  add(clean(slip.storeName), { ...plain, align: "center" });
  if (slip.kind === "cancel") add("*** 취소 / CANCEL ***", mark);
  if (slip.kind === "change") add("*** 변경 / CHANGE ***", mark);
  if (slip.reprintCount > 0) add(slipMarks.reprint(slip.reprintCount), mark);
  if (slip.mayBeDuplicate === true) add(slipMarks.mayBeDuplicate, mark);
  if (slip.backupFrom !== undefined) add(`BACKUP FROM ${clean(slip.backupFrom)}`, mark);
  add(`[${clean(slip.stationName)}]`, { ...mark, size: "normal" });
  const table = clean(slip.tableName);
  const big = printerWidth(table) * 2 <= width; // double width halves the columns
  add(table, { bold: true, size: big ? "big" : "tall", align: "center" }, big ? Math.floor(width / 2) : width);
  const when = formatTime(slip.createdAt);
  const order = splitAtWidth(`#${slip.batchNo} ${sourceLabels[slip.source]}`, width - printerWidth(when) - 1, printerWidth)[0];
  lines.push({ text: twoColumns(order, when, width, printerWidth), ...plain });
  lines.push({ text: "-".repeat(width), ...plain });
  for (const item of slip.items) layoutItem(slip, item, clean, lines, add);
  lines.push({ text: "-".repeat(width), ...plain });
  add(clean(slip.ticketId), plain);
  return lines;
}

function layoutItem(
  slip: KitchenSlip, item: KitchenSlipItem, clean: (text: string) => string, lines: Line[],
  add: (text: string, style: Omit<Line, "text">) => void,
): void {
  const width = slip.widthChars;
  const itemStyle = { bold: true, size: "tall", align: "left" } as const;
  const detail = { bold: false, size: "normal", align: "left" } as const;
  const cancelled = slip.kind === "cancel" || item.cancelled === true;
  const prefix = cancelled ? "취소 " : slip.kind === "change" ? "추가 " : "";
  const quantity = `x${item.quantity}`;
  const nameWidth = width - printerWidth(quantity) - 1;
  const [first = "", ...rest] = wrapToWidth(prefix + clean(item.name), nameWidth, printerWidth);
  lines.push({ text: twoColumns(first, quantity, width, printerWidth), ...itemStyle });
  for (const part of rest) lines.push({ text: part, ...itemStyle });
  if (item.replacesName !== undefined) add(`${itemIndent}(변경 전: ${clean(item.replacesName)})`, detail);
  for (const option of item.options) add(`${itemIndent}+ ${clean(option)}`, detail);
  if (item.note.trim().length > 0) add(`${itemIndent}메모: ${clean(item.note)}`, { ...detail, bold: true });
}

/** "MM-DD HH:mm" in Korean time; the kitchen reads wall-clock time. */
// Building a formatter costs far more than formatting (a profile showed it as the printer actor's top cost).
const slipTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: slipTimeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

function formatTime(iso: string): string {
  const parts = slipTimeFormat.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "??";
  return `${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

function encode(lines: Line[], width: number): Buffer {
  return encodeKoreanLines(lines.map((l) => ({ ...l, sizeByte: sizeBytes[l.size] })), width, "slip");
}

function toSlipLine(line: Line): SlipLine {
  return {
    text: line.text, bold: line.bold, align: line.align,
    doubleHeight: line.size !== "normal", doubleWidth: line.size === "big",
  };
}
