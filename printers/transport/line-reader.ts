import { transportLimits } from "../limits.ts";
import { statusFromAsb, statusFromReplies, type PrinterStatus } from "./inbound.ts";

/** Status byte of DLE EOT n: bits 1 and 4 fixed on, bits 0 and 7 off. */
const isStatusByte = (b: number) => (b & 0x93) === 0x12;
/** First byte of a 4-byte Automatic Status Back: bits 0, 1, 7 off, bit 4 on. */
const isAsbHeader = (b: number) => (b & 0x93) === 0x10;
/** Reply blocks run to a NUL: 37h for GS ( H (and GS ( E), 5Fh for GS I; their bodies may look like status bytes. */
const blockHeaders = new Set([0x37, 0x5f]);

export interface LineEvents {
  /** The three DLE EOT 1/2/4 replies of the connect-time query have all come. */
  status(status: PrinterStatus): void;
  /** A GS ( H echo (`37 22 tag 00`). */
  echo(jobTag: string): void;
  /** An unsolicited ASB block (the DIP switch may turn ASB on). */
  asb(status: PrinterStatus): void;
}

/**
 * Reads a long-lived connection's inbound stream, as InboundReader does for one job: the first
 * three status bytes answer the connect-time DLE EOT 1/2/4, later blocks are echoes, in order.
 */
export class LineReader {
  readonly #replies: number[] = [];
  #asb: number[] | null = null;
  #block: number[] | null = null;

  constructor(private readonly on: LineEvents) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.#byte(b);
  }

  #byte(b: number): void {
    if (this.#block !== null) {
      if (b !== 0x00) {
        if (this.#block.length < transportLimits.replyBlockBytesMax) this.#block.push(b);
        return;
      }
      const block = Buffer.from(this.#block).toString("latin1");
      this.#block = null;
      if (block.startsWith("\x37\x22") && block.length === 6) this.on.echo(block.slice(2));
      return;
    }
    if (this.#asb !== null) {
      this.#asb.push(b);
      if (this.#asb.length === 4) {
        this.on.asb(statusFromAsb(this.#asb));
        this.#asb = null;
      }
      return;
    }
    if (blockHeaders.has(b)) this.#block = [b];
    else if (isStatusByte(b)) {
      if (this.#replies.length >= 3) return;
      this.#replies.push(b);
      const [s1, s2, s4] = this.#replies;
      if (s1 !== undefined && s2 !== undefined && s4 !== undefined) this.on.status(statusFromReplies(s1, s2, s4));
    } else if (isAsbHeader(b)) this.#asb = [b];
  }
}

/** Why a printer cannot print now, from its status; undefined when it can. */
export function notReady(status: PrinterStatus): string | undefined {
  if (!status.online && !status.coverOpen && !status.paperOut) return "offline";
  if (status.paperOut) return "paper_out";
  if (status.coverOpen) return "cover_open";
  return undefined;
}
