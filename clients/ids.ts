/**
 * A random UUID v4 for cmdIds and local ids. `crypto.randomUUID` exists only in secure contexts
 * (HTTPS or localhost): a POS on a restaurant LAN at `http://192.168.x.x` has no such function,
 * while `crypto.getRandomValues` is available everywhere (Web Crypto in browsers, Node ≥ 19).
 */
export function newUuid(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
