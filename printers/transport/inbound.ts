import { transportLimits } from "../limits.ts";

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  /** Cutter, unrecoverable or auto-recoverable error. */
  error: boolean;
}

/** DLE EOT 1, 2, 4 (printer, offline cause, paper sensor): real-time, answered even offline. */
export const statusQueries = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
const queriedFunctions = [1, 2, 4] as const;

/** GS ( H fn 48 m=48 d1..d4: the printer answers `37 22 d1..d4 00` once everything before it printed. */
export function processIdRequest(jobTag: string): Buffer {
  return Buffer.concat([Buffer.from([0x1d, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30]), Buffer.from(jobTag, "latin1")]);
}

export function isValidJobTag(jobTag: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(jobTag);
}

/** Status byte of DLE EOT n: bits 1 and 4 fixed on, bits 0 and 7 off. */
const isStatusByte = (b: number) => (b & 0x93) === 0x12;
/** First byte of a 4-byte Automatic Status Back: bits 0, 1, 7 off, bit 4 on. */
const isAsbHeader = (b: number) => (b & 0x93) === 0x10;
/** Reply blocks run to a NUL: 37h for GS ( H (and GS ( E), 5Fh for GS I; their bodies may look like status bytes. */
const blockHeaders = new Set([0x37, 0x5f]);

/**
 * Reads everything a printer sends back, in order: DLE EOT replies (matched to our queries in
 * order), ASB blocks (the DIP switch may turn ASB on), and `37 … 00` / `5F … 00` reply blocks.
 */
export class InboundReader {
  readonly #replies: number[] = [];
  #asb: number[] | null = null;
  #block: number[] | null = null;
  #asbStatus: PrinterStatus | null = null;
  readonly #blocks: string[] = [];

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.#byte(b);
  }

  #byte(b: number): void {
    if (this.#block !== null) {
      if (b === 0x00) {
        this.#blocks.push(Buffer.from(this.#block).toString("latin1"));
        this.#block = null;
      } else if (this.#block.length < transportLimits.replyBlockBytesMax) this.#block.push(b);
      return;
    }
    if (this.#asb !== null) {
      this.#asb.push(b);
      if (this.#asb.length === 4) {
        this.#asbStatus = statusFromAsb(this.#asb);
        this.#asb = null;
      }
      return;
    }
    if (blockHeaders.has(b)) this.#block = [b];
    else if (isStatusByte(b)) {
      if (this.#replies.length < queriedFunctions.length) this.#replies.push(b);
    } else if (isAsbHeader(b)) this.#asb = [b];
  }

  /** True once `37 22 tag 00` arrived (0x22 identifies the GS ( H fn 48 reply). */
  hasEcho(jobTag: string): boolean {
    return this.#blocks.includes(`\x37\x22${jobTag}`);
  }

  /** From the three DLE EOT replies once all came. */
  replyStatus(): PrinterStatus | undefined {
    const [s1, s2, s4] = this.#replies;
    return s1 !== undefined && s2 !== undefined && s4 !== undefined ? statusFromReplies(s1, s2, s4) : undefined;
  }

  /** DLE EOT replies when complete, else the last ASB, else undefined. */
  status(): PrinterStatus | undefined {
    return this.replyStatus() ?? this.#asbStatus ?? undefined;
  }
}

export function statusFromReplies(printer: number, offline: number, paper: number): PrinterStatus {
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offline & 0x40) !== 0,
  };
}

/** ASB byte 1: bit3 offline, bit5 cover open; byte 2: error bits 2,3,5,6; byte 3: bits 0–1 near end, 2–3 paper end. */
export function statusFromAsb(bytes: readonly number[]): PrinterStatus {
  const [b1 = 0, b2 = 0, b3 = 0] = bytes;
  return {
    online: (b1 & 0x08) === 0,
    coverOpen: (b1 & 0x20) !== 0,
    paperOut: (b3 & 0x0c) !== 0,
    paperNearEnd: (b3 & 0x03) !== 0,
    error: (b2 & 0x6c) !== 0,
  };
}
