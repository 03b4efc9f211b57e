import { assert } from "../../domain/assert.ts";

/** Measures how many monospace columns a string takes. */
export type Measure = (text: string) => number;

/** East Asian Wide (W) and Fullwidth (F) ranges, plus the emoji blocks terminals draw wide. */
const wideRanges: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
/** Combining marks and conjoining jamo vowels/finals take no column of their own. */
const zeroRanges: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], [0x1160, 0x11ff], [0x200b, 0x200f], [0xd7b0, 0xd7ff], [0xfe00, 0xfe0f],
];

const inRanges = (cp: number, ranges: readonly (readonly [number, number])[]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (inRanges(cp, zeroRanges)) return 0;
  return inRanges(cp, wideRanges) ? 2 : 1;
}

/** Unicode display width: Hangul, CJK and fullwidth forms count 2, combining marks 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/**
 * Width on a Korean ESC/POS printer in double-byte mode: every two-byte glyph is drawn
 * full width, including KS X 1001 symbols (·, ※, Greek) that Unicode calls narrow or
 * ambiguous. Valid for text that passed `sanitizeForPrinter`.
 */
export function printerWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return width;
}

/** Longest prefix that fits `width` columns, and the rest (a wide char never straddles the edge). */
export function splitAtWidth(text: string, width: number, measure: Measure = displayWidth): [string, string] {
  assert(Number.isInteger(width) && width >= 0, "width must be a non-negative integer");
  let used = 0;
  let head = "";
  for (const ch of text) {
    const w = measure(ch);
    if (used + w > width) break;
    used += w;
    head += ch;
  }
  assert(measure(head) <= width, "head must fit");
  return [head, text.slice(head.length)];
}

/** Pads with spaces to exactly `width` columns; the text must already fit. */
export function padToWidth(text: string, width: number, align: "left" | "right" | "center" = "left", measure: Measure = displayWidth): string {
  const gap = width - measure(text);
  assert(gap >= 0, `text is wider than ${width} columns`);
  if (align === "left") return text + " ".repeat(gap);
  if (align === "right") return " ".repeat(gap) + text;
  const left = Math.floor(gap / 2);
  return " ".repeat(left) + text + " ".repeat(gap - left);
}

/** Cuts the text to fit and pads it to exactly `width` columns. */
export function fitToWidth(text: string, width: number, measure: Measure = displayWidth): string {
  return padToWidth(splitAtWidth(text, width, measure)[0], width, "left", measure);
}

/** Breaks text into lines of at most `width` columns, preferring the last space. */
export function wrapToWidth(text: string, width: number, measure: Measure = displayWidth): string[] {
  assert(width >= 2, "width must leave room for a wide char");
  const lines: string[] = [];
  let rest = text;
  while (measure(rest) > width) {
    let [head, tail] = splitAtWidth(rest, width, measure);
    const space = head.lastIndexOf(" ");
    if (space > 0) [head, tail] = [head.slice(0, space), head.slice(space + 1) + tail];
    lines.push(head);
    rest = tail;
  }
  if (rest.length > 0 || lines.length === 0) lines.push(rest);
  return lines;
}

/** `left … right` on one line of exactly `width` columns; `left` must fit beside `right`. */
export function twoColumns(left: string, right: string, width: number, measure: Measure = displayWidth): string {
  const leftWidth = width - measure(right) - 1;
  assert(leftWidth >= 0, "right column is wider than the line");
  const line = padToWidth(left, leftWidth, "left", measure) + " " + right;
  assert(measure(line) === width, "two-column line must fill the width exactly");
  return line;
}
