import iconv from "iconv-lite";
import { slipLimits } from "../limits.ts";

/**
 * iconv-lite's "EUC-KR" is really CP949: it also encodes the 8,822 Hangul syllables outside
 * KS X 1001 (똠 → 8C 63), which a KS X 1001 printer misprints, and turns emoji into 3F.
 * So a char is printable only if it is plain ASCII or round-trips through a pair of A1–FE bytes.
 */
const won = "₩";
/** ESC R 13 (Korea international set) prints ₩ at 0x5C, so a backslash cannot be printed. */
const backslash = "\\";
export const unprintableReplacement = "?";

const cache = new Map<string, boolean>();

export function isPrintable(char: string): boolean {
  const cp = char.codePointAt(0);
  if (cp === undefined || char.length > 2 || String.fromCodePoint(cp) !== char) return false;
  if (char === won) return true;
  if (char === backslash) return false;
  if (cp < 0x80) return cp >= 0x20 && cp <= 0x7e;
  const known = cache.get(char);
  if (known !== undefined) return known;
  const bytes = iconv.encode(char, "EUC-KR");
  const ok = bytes.length === 2 && bytes.every((b) => b >= 0xa1 && b <= 0xfe) && iconv.decode(bytes, "EUC-KR") === char;
  if (cache.size < slipLimits.printableCacheMax) cache.set(char, ok);
  return ok;
}

export interface Sanitized {
  text: string;
  /** Each replaced char once, in order of first appearance. */
  replaced: string[];
}

/** Replaces every char a KS X 1001 printer cannot print with "?" and says which ones. */
export function sanitizeForPrinter(text: string): Sanitized {
  let out = "";
  const replaced: string[] = [];
  for (const ch of text.normalize("NFC")) {
    if (isPrintable(ch)) {
      out += ch;
      continue;
    }
    out += unprintableReplacement;
    if (!replaced.includes(ch)) replaced.push(ch);
  }
  return { text: out, replaced };
}

/** Bytes for text that passed `sanitizeForPrinter`, for a printer in FS & + ESC R 13 mode. */
export function encodeForPrinter(text: string): Buffer {
  return iconv.encode(text.replaceAll(won, backslash), "EUC-KR");
}
