/** ESC/POS command shapes the decoder knows (Epson reference; PRINTERS.md §7). */
import { decoderLimits } from "../limits.ts";

export const ESC = 0x1b, GS = 0x1d, FS = 0x1c, DLE = 0x10, LF = 0x0a, CR = 0x0d, HT = 0x09;
export const intlSetKorea = 13;
export const replacement = "\uFFFD";
/** Commands we understand well enough to skip: second byte → total length. */
export const escLengths: Record<number, number> = {
  0x20: 3, 0x24: 4, 0x25: 3, 0x2d: 3, 0x32: 2, 0x33: 3, 0x3d: 3, 0x3f: 3, 0x42: 4, 0x47: 3, 0x4a: 3,
  0x4c: 2, 0x4d: 3, 0x53: 2, 0x54: 3, 0x55: 3, 0x56: 3, 0x57: 10, 0x5c: 4, 0x63: 4, 0x65: 3, 0x72: 3, 0x7b: 3,
};
export const gsLengths: Record<number, number> = {
  0x24: 4, 0x2f: 3, 0x42: 3, 0x45: 3, 0x48: 3, 0x49: 3, 0x4c: 4, 0x50: 4, 0x54: 3, 0x57: 4, 0x5c: 4,
  0x61: 3, 0x62: 3, 0x66: 3, 0x68: 3, 0x72: 3, 0x77: 3,
};
export const fsLengths: Record<number, number> = { 0x2d: 3, 0x53: 4, 0x57: 3, 0x70: 4 };
export const fullCuts = new Set([0, 48, 65, 97, 103]);
export const cutsWithFeed = new Set([65, 66, 97, 98, 103, 104]);
export const cutCodes = new Set([0, 1, 48, 49, 65, 66, 97, 98, 103, 104]);

/** ESC ! / E / a / d / t / R: one argument that changes decoder state. */
export const escWithState = new Set([0x21, 0x45, 0x61, 0x64, 0x74, 0x52]);

/** Result of looking at a partial command: wait for more bytes, or consume it. */
export type Step = "more" | "done";

/** NUL-terminated arguments, bounded so a missing NUL cannot swallow the stream. */
export function untilNul(c: number[], header: number): Step {
  if (c.length > header && c[c.length - 1] === 0) return "done";
  return c.length >= header + decoderLimits.nulTerminatedBytesMax ? "done" : "more";
}
