import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

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

/**
 * Stand-in for a PIN or hash that cannot be checked (unknown staff, malformed PIN, bad stored hash):
 * the same scrypt still runs on it, so every answer costs the same time and says nothing.
 */
const dummy = { pin: "00000000", salt: Buffer.alloc(saltBytes, 0x5a), hash: Buffer.alloc(hashBytes, 0) } as const;

/** What scrypt should run on: the real PIN and salt, or the dummy ones (which never match). */
function verifyInput(pin: string, pinHash: string | undefined): { pin: string; salt: Buffer; expected: Buffer; real: boolean } {
  // Malformed PINs never reach scrypt (no one can make us hash a megabyte), but the dummy work still runs.
  const pinOk = pinPattern.test(pin);
  const parts = (pinHash ?? "").split("$");
  const salt = Buffer.from(parts[1] ?? "", "hex");
  const expected = Buffer.from(parts[2] ?? "", "hex");
  const hashOk = parts.length === 3 && parts[0] === "scrypt" && salt.length === saltBytes && expected.length === hashBytes;
  if (pinOk && hashOk) return { pin, salt, expected, real: true };
  return { pin: dummy.pin, salt: dummy.salt, expected: dummy.hash, real: false };
}

/**
 * True when `pin` matches `pinHash`; false for any malformed input, never throws.
 * Synchronous: for config checks and tools. The login path uses {@link verifyPinAsync}.
 */
export function verifyPin(pin: string, pinHash: string | undefined): boolean {
  const input = verifyInput(pin, pinHash);
  const actual = scryptSync(input.pin, input.salt, hashBytes, scryptParams);
  return timingSafeEqual(actual, input.expected) && input.real;
}

/**
 * The login check, off the event loop (scrypt runs on the libuv thread pool). Always does one full
 * scrypt, also for an unknown staff (`pinHash` undefined), a malformed PIN or a bad stored hash,
 * so a wrong PIN, an unknown id and a malformed PIN take the same time.
 */
export async function verifyPinAsync(pin: string, pinHash: string | undefined): Promise<boolean> {
  const input = verifyInput(pin, pinHash);
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(input.pin, input.salt, hashBytes, scryptParams, (error, key) => (error ? reject(error) : resolve(key))));
  return timingSafeEqual(actual, input.expected) && input.real;
}
