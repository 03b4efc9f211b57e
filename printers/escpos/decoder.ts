import iconv from "iconv-lite";
import { decoderLimits } from "../limits.ts";
import {
  CR, cutCodes, cutsWithFeed, DLE, ESC, escLengths, escWithState, FS, fsLengths, fullCuts, GS, gsLengths, HT, intlSetKorea, LF,
  replacement, type Step, untilNul,
} from "./commands.ts";
import type { Align, DecoderCounters, DecoderEvent, DecoderOptions, Slip, SlipLine } from "./types.ts";

export type { Align, DecoderCounters, DecoderEvent, DecoderOptions, Slip, SlipLine } from "./types.ts";

export class EscPosDecoder {
  readonly #doubleByteAtInit: boolean;
  #cmd: number[] = [];
  #skip = 0;
  #lead: number | null = null;
  #lines: SlipLine[] = [];
  #text = "";
  #column = 0;
  #lineStyle: Omit<SlipLine, "text"> | null = null;
  #events: DecoderEvent[] = [];
  #bold = false;
  #widthMul = 1;
  #heightMul = 1;
  #align: Align = "left";
  #doubleByte: boolean;
  #intlSet = 0;
  #codeTable = 0;
  readonly #counters: DecoderCounters = { unknownCommands: 0, extendedPairs: 0, invalidBytes: 0, droppedChars: 0, droppedLines: 0 };

  constructor(options: DecoderOptions = {}) {
    this.#doubleByteAtInit = options.doubleByteAtInit ?? false;
    this.#doubleByte = this.#doubleByteAtInit;
  }

  /** ESC/GS/FS/DLE commands not in the table; each skipped as prefix + one byte. */
  get unknownCommands(): number {
    return this.#counters.unknownCommands;
  }
  get counters(): Readonly<DecoderCounters> {
    return { ...this.#counters };
  }
  /** True when bytes arrived after the last cut (a connection closing now lost a slip). */
  hasPartial(): boolean {
    return this.#lines.length > 0 || this.#text.length > 0 || this.#cmd.length > 0 || this.#skip > 0 || this.#lead !== null;
  }

  /** Feeds any slice of the stream; commands split across chunks are carried over. */
  push(chunk: Uint8Array): DecoderEvent[] {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.#skip > 0) {
        this.#skip--;
        continue;
      }
      if (this.#cmd.length > 0) {
        this.#cmd.push(b);
        if (this.#command(this.#cmd) === "done") this.#cmd = [];
        continue;
      }
      if (this.#lead !== null) {
        if (this.#trail(this.#lead, b)) continue;
        this.#char(replacement, 1); // a lead byte without a trail: show it, then re-read b
        this.#counters.invalidBytes++;
      }
      this.#byte(b);
    }
    const events = this.#events;
    this.#events = [];
    return events;
  }

  #byte(b: number): void {
    if (b === ESC || b === GS || b === FS || b === DLE) this.#cmd = [b];
    else if (b === LF) this.#endLine();
    else if (b === HT) this.#tab();
    else if (b === CR || b < 0x20 || b === 0x7f) return; // CR is ignored on Epson by default
    else if (b < 0x80) this.#char(b === 0x5c && this.#intlSet === intlSetKorea ? "₩" : String.fromCharCode(b), 1);
    else if (!this.#doubleByte) this.#char(this.#codeTable === 0 ? iconv.decode(Buffer.from([b]), "cp437") : replacement, 1);
    else if (b >= 0x81 && b <= 0xfe) this.#lead = b;
    else {
      this.#char(replacement, 1);
      this.#counters.invalidBytes++;
    }
  }

  /** EUC-KR pairs are A1–FE A1–FE; CP949 adds leads 81–FE with trails 41–5A, 61–7A, 81–FE. */
  #trail(lead: number, b: number): boolean {
    const ksx = lead >= 0xa1 && b >= 0xa1 && b <= 0xfe;
    const cp949 = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x81 && b <= 0xfe);
    this.#lead = null;
    if (!cp949) return false;
    if (!ksx) this.#counters.extendedPairs++;
    this.#char(iconv.decode(Buffer.from([lead, b]), "cp949"), 2);
    return true;
  }

  #command(c: number[]): Step {
    if (c.length < 2) return "more";
    const [p, op] = [c[0]!, c[1]!];
    if (p === ESC) return this.#esc(c, op);
    if (p === GS) return this.#gs(c, op);
    if (p === FS) return this.#fs(c, op);
    return this.#dle(c, op);
  }

  #esc(c: number[], op: number): Step {
    if (op === 0x40) return this.#reset();
    if (op === 0x69 || op === 0x6d) return this.#cut(op === 0x69 ? "full" : "partial"); // legacy ESC i / ESC m
    if (op === 0x44) return untilNul(c, 2); // ESC D tab stops… NUL
    if (op === 0x2a) return this.#thenSkip(c, 5, () => (c[3]! + 256 * c[4]!) * (c[2]! <= 1 ? 1 : 3)); // ESC * bit image
    if (escWithState.has(op)) {
      if (c.length < 3) return "more";
      const n = c[2]!;
      if (op === 0x21) this.#printMode(n);
      else if (op === 0x45) this.#bold = (n & 1) === 1;
      else if (op === 0x61) this.#align = (["left", "center", "right"] as const)[n % 48] ?? "left";
      else if (op === 0x64 && this.#text.length > 0) this.#endLine(); // feed prints the line; blank feeds are paper, not lines
      else if (op === 0x74) this.#codeTable = n;
      else if (op === 0x52) this.#intlSet = n;
      return "done";
    }
    if (op === 0x70) return c.length < 5 ? "more" : "done"; // ESC p m t1 t2: drawer pulse
    return this.#fixed(c, escLengths[op]);
  }

  #gs(c: number[], op: number): Step {
    if (op === 0x21) {
      if (c.length < 3) return "more";
      this.#widthMul = (c[2]! >> 4) + 1; // high nibble is width (the library swaps them)
      this.#heightMul = (c[2]! & 0x0f) + 1;
      return "done";
    }
    if (op === 0x56) {
      if (c.length < 3) return "more";
      const m = c[2]!;
      if (!cutCodes.has(m)) return this.#unknown();
      if (cutsWithFeed.has(m) && c.length < 4) return "more";
      return this.#cut(fullCuts.has(m) ? "full" : "partial");
    }
    if (op === 0x28) return this.#gsParen(c);
    if (op === 0x76) return this.#thenSkip(c, 8, () => (c[4]! + 256 * c[5]!) * (c[6]! + 256 * c[7]!)); // GS v 0 raster
    if (op === 0x2a) return this.#thenSkip(c, 4, () => c[2]! * c[3]! * 8); // GS * download image
    if (op === 0x38) return this.#thenSkip(c, 7, () => c[3]! + (c[4]! << 8) + (c[5]! << 16) + c[6]! * 2 ** 24); // GS 8 L
    if (op === 0x6b) {
      if (c.length < 3) return "more";
      if (c[2]! <= 6) return untilNul(c, 3); // GS k m d… NUL
      return this.#thenSkip(c, 4, () => c[3]!);
    }
    return this.#fixed(c, gsLengths[op]);
  }

  /** GS ( X pL pH …: skip the payload, except fn 48 of GS ( H, the process-ID request. */
  #gsParen(c: number[]): Step {
    if (c.length < 5) return "more";
    const size = c[3]! + 256 * c[4]!;
    if (c[2] !== 0x48 || size > decoderLimits.processIdPayloadBytesMax) return this.#thenSkip(c, 5, () => size);
    if (c.length < 5 + size) return "more";
    if (size === 6 && c[5] === 0x30 && c[6] === 0x30) {
      this.#events.push({ type: "process-id", id: String.fromCharCode(...c.slice(7, 11)) });
    }
    return "done";
  }

  #fs(c: number[], op: number): Step {
    if (op === 0x26 || op === 0x2e) {
      this.#doubleByte = op === 0x26;
      return "done";
    }
    if (op === 0x43 || op === 0x21) return c.length < 3 ? "more" : "done"; // FS C n (code system), FS ! n (kanji mode)
    return this.#fixed(c, fsLengths[op]);
  }

  #dle(c: number[], op: number): Step {
    if (op === 0x04) {
      if (c.length < 3) return "more";
      const n = c[2]!;
      if ((n === 7 || n === 8 || n === 18) && c.length < 4) return "more";
      this.#events.push({ type: "status-request", n });
      return "done";
    }
    if (op === 0x05) return c.length < 3 ? "more" : "done"; // DLE ENQ n
    if (op === 0x14) return c.length < 3 ? "more" : this.#fixed(c, c[2] === 1 || c[2] === 2 ? 5 : undefined);
    // A lone DLE is not a command: drop it and read op as ordinary data.
    this.#counters.unknownCommands++;
    this.#cmd = [];
    this.#byte(op);
    return this.#cmd.length > 0 ? "more" : "done";
  }

  #fixed(c: number[], length: number | undefined): Step {
    if (length === undefined) return this.#unknown();
    return c.length < length ? "more" : "done";
  }

  /** Conservative: skip only prefix + one byte, so following text is not swallowed. */
  #unknown(): Step {
    this.#counters.unknownCommands++;
    return "done";
  }

  #thenSkip(c: number[], header: number, payload: () => number): Step {
    if (c.length < header) return "more";
    this.#skip = payload();
    return "done";
  }

  #printMode(n: number): void {
    this.#bold = (n & 0x08) !== 0;
    this.#heightMul = n & 0x10 ? 2 : 1;
    this.#widthMul = n & 0x20 ? 2 : 1;
  }

  #reset(): Step {
    this.#bold = false;
    this.#widthMul = 1;
    this.#heightMul = 1;
    this.#align = "left";
    this.#doubleByte = this.#doubleByteAtInit;
    this.#intlSet = 0;
    this.#codeTable = 0;
    this.#text = ""; // ESC @ clears the unprinted line buffer
    this.#column = 0;
    this.#lineStyle = null;
    return "done";
  }

  #cut(cut: Slip["cut"]): Step {
    if (this.#text.length > 0) this.#endLine();
    const lines = this.#lines;
    this.#lines = [];
    this.#events.push({ type: "slip", slip: { lines, text: lines.map((l) => l.text).join("\n"), cut } });
    return "done";
  }

  #char(s: string, columns: number): void {
    this.#lineStyle ??= this.#style();
    if (this.#text.length >= decoderLimits.lineCharsMax) {
      this.#counters.droppedChars++;
      return;
    }
    this.#text += s;
    this.#column += columns;
  }

  #tab(): void {
    const spaces = decoderLimits.tabColumns - (this.#column % decoderLimits.tabColumns);
    for (let i = 0; i < spaces; i++) this.#char(" ", 1);
  }

  #style(): Omit<SlipLine, "text"> {
    return { bold: this.#bold, doubleHeight: this.#heightMul >= 2, doubleWidth: this.#widthMul >= 2, align: this.#align };
  }

  /** Style is taken from the line's first character (or from the LF for a blank line). */
  #endLine(): void {
    const line = { text: this.#text, ...(this.#lineStyle ?? this.#style()) };
    this.#text = "";
    this.#column = 0;
    this.#lineStyle = null;
    if (this.#lines.length >= decoderLimits.slipLinesMax) {
      this.#counters.droppedLines++;
      return;
    }
    this.#lines.push(line);
  }
}
