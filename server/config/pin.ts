import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** A PIN is 4 to 8 digits: short enough to type on a POS pad. */
export const pinPattern = /^[0-9]{4,8}$/;

/**
 * scrypt parameters, fixed because the hash format does not record them.
 * N=16384 costs ~40 ms per hash here (16 MiB of memory), so a store with
 * 10 staff loads in well under a second, yet guessing 10^4 PINs offline
 * still takes minutes per hash instead of microseconds.
 */
const scryptParams = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const saltBytes = 16;
const hashBytes = 32;

/** Returns `scrypt$<saltHex>$<hashHex>` with a fresh random salt. */
export function hashPin(pin: string): string {
  // A bad PIN here is a programming error: config validation already checked it.
  if (!pinPattern.test(pin)) throw new Error("hashPin: a PIN must be 4 to 8 digits");
  const salt = randomBytes(saltBytes);
  const hash = scryptSync(pin, salt, hashBytes, scryptParams);
  return `scrypt$${salt.toString("hex")}$${hash.toString("hex")}`;
}

/** True when `pin` matches `pinHash`; false for any malformed input, never throws. */
export function verifyPin(pin: string, pinHash: string): boolean {
  // Rejecting malformed PINs up front also stops anyone making us scrypt a megabyte.
  if (!pinPattern.test(pin)) return false;
  const parts = pinHash.split("$");
  if (parts.length !== 3 || parts[0] !== "scrypt") return false;
  const salt = Buffer.from(parts[1] ?? "", "hex");
  const expected = Buffer.from(parts[2] ?? "", "hex");
  if (salt.length !== saltBytes || expected.length !== hashBytes) return false;
  const actual = scryptSync(pin, salt, hashBytes, scryptParams);
  return timingSafeEqual(actual, expected);
}
