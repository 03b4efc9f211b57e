import { ThermalPrinter, PrinterTypes, BreakLine } from "node-thermal-printer";
import { assert } from "../../domain/assert.ts";
import type { Align } from "../escpos/decoder.ts";
import { encodeForPrinter } from "./ksx1001.ts";

/** ESC @, ESC t 0, FS & (double-byte on), ESC R 13 (Korea): the library never sends FS &. */
export const koreanSetup = Buffer.from([0x1b, 0x40, 0x1b, 0x74, 0x00, 0x1c, 0x26, 0x1b, 0x52, 0x0d]);

/** One printed line: text, emphasis, alignment and the GS ! character-size byte. */
export interface EncodedLine {
  readonly text: string;
  readonly bold: boolean;
  readonly align: Align;
  readonly sizeByte: number;
}

/**
 * The bytes of a Korean slip or receipt: one fresh library instance per document (a reused one
 * resends old slips), never execute(). `what` names the document in the assertion.
 */
export function encodeKoreanLines(lines: readonly EncodedLine[], width: number, what: string): Buffer {
  const printer = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: "", width, breakLine: BreakLine.NONE });
  printer.add(koreanSetup);
  for (const line of lines) {
    if (line.align === "center") printer.alignCenter();
    else if (line.align === "right") printer.alignRight();
    else printer.alignLeft();
    printer.bold(line.bold);
    printer.add(Buffer.from([0x1d, 0x21, line.sizeByte]));
    // Our own EUC-KR bytes: the library's per-char encoder switches code pages on its own.
    printer.add(encodeForPrinter(line.text));
    printer.newLine();
  }
  printer.partialCut();
  const bytes = printer.getBuffer();
  assert(bytes.length > koreanSetup.length, `a ${what} must contain more than its setup`);
  return bytes;
}
